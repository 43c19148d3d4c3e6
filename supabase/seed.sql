-- Demo data, in French, loaded once on the first `npm start` (and by `supabase db reset`).
-- Demo accounts: see supabase/demo-accounts.ts (same emails, password decidons-demo-2026).

insert into public.organization (name, description, default_locale, available_locales, contact_email)
values (
  '{"fr": "Ville de Belleville-sur-Loire", "en": "City of Belleville-sur-Loire"}',
  '{"fr": "<p>Bienvenue sur la plateforme de participation citoyenne de Belleville-sur-Loire. Proposez, débattez et décidez ensemble de l''avenir de notre ville.</p>", "en": "<p>Welcome to the citizen participation platform of Belleville-sur-Loire. Propose, debate and decide together on the future of our city.</p>"}',
  'fr',
  array['fr', 'en'],
  'participation@demo.decidons.fr'
)
on conflict (id) do nothing;

with accounts (id, email, name, nickname, locale) as (
  values
    ('00000000-0000-4000-8000-000000000001'::uuid, 'admin@demo.decidons.fr', 'Claire Admin', 'claire_admin', 'fr'),
    ('00000000-0000-4000-8000-000000000002'::uuid, 'camille.martin@demo.decidons.fr', 'Camille Martin', 'camille', 'fr'),
    ('00000000-0000-4000-8000-000000000003'::uuid, 'karim.benali@demo.decidons.fr', 'Karim Benali', 'karim_b', 'fr'),
    ('00000000-0000-4000-8000-000000000004'::uuid, 'lea.dupont@demo.decidons.fr', 'Léa Dupont', 'lea_d', 'en')
), inserted as (
  insert into auth.users (
    instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
    raw_app_meta_data, raw_user_meta_data, created_at, updated_at,
    confirmation_token, recovery_token, email_change_token_new, email_change
  )
  select
    '00000000-0000-0000-0000-000000000000', id, 'authenticated', 'authenticated', email,
    extensions.crypt('decidons-demo-2026', extensions.gen_salt('bf', 10)), now(),
    '{"provider": "email", "providers": ["email"]}',
    jsonb_build_object('name', name, 'nickname', nickname, 'locale', locale),
    now(), now(), '', '', '', ''
  from accounts
  on conflict (id) do nothing
  returning id, email
)
insert into auth.identities (provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
select id::text, id, jsonb_build_object('sub', id::text, 'email', email, 'email_verified', true, 'phone_verified', false), 'email', now(), now(), now()
from inserted
on conflict (provider_id, provider) do nothing;

update public.profiles p
set bio = a.bio
from (values
  ('00000000-0000-4000-8000-000000000001'::uuid, 'Chargée de la participation citoyenne à la mairie.'),
  ('00000000-0000-4000-8000-000000000002'::uuid, 'Habitante du quartier des Tanneurs, cycliste du quotidien.'),
  ('00000000-0000-4000-8000-000000000003'::uuid, 'Parent d''élève et bénévole au jardin partagé.'),
  ('00000000-0000-4000-8000-000000000004'::uuid, 'Étudiante Erasmus, préfère l''interface en anglais.')
) as a (id, bio)
where p.id = a.id;

-- ---------------------------------------------------------------------------------------------
-- Participatory spaces. Fixed ids so that tests and docs can name them:
--   taxonomies 00000000-0000-4000-8001-…, spaces …-8002-…, phases …-8003-…, components …-8004-….
-- Run once, as the superuser, without a signed-in user: the action log records these rows as
-- done by the system.
-- ---------------------------------------------------------------------------------------------

-- Claire administers the whole platform (organization admins are set here, never self-service).
insert into public.organization_admins (user_id) values ('00000000-0000-4000-8000-000000000001') on conflict do nothing;

insert into public.taxonomies (id, parent_id, name, weight) values
  ('00000000-0000-4000-8001-000000000001', null, '{"fr": "Quartiers", "en": "Districts"}', 0),
  ('00000000-0000-4000-8001-000000000011', '00000000-0000-4000-8001-000000000001', '{"fr": "Centre-ville", "en": "Town centre"}', 0),
  ('00000000-0000-4000-8001-000000000012', '00000000-0000-4000-8001-000000000001', '{"fr": "Les Tanneurs", "en": "Les Tanneurs"}', 1),
  ('00000000-0000-4000-8001-000000000013', '00000000-0000-4000-8001-000000000001', '{"fr": "Bords de Loire", "en": "Loire riverside"}', 2),
  ('00000000-0000-4000-8001-000000000014', '00000000-0000-4000-8001-000000000001', '{"fr": "La Croix-Verte", "en": "La Croix-Verte"}', 3),
  ('00000000-0000-4000-8001-000000000015', '00000000-0000-4000-8001-000000000001', '{"fr": "Saint-Martin", "en": "Saint-Martin"}', 4),
  ('00000000-0000-4000-8001-000000000002', null, '{"fr": "Thèmes", "en": "Topics"}', 1),
  ('00000000-0000-4000-8001-000000000021', '00000000-0000-4000-8001-000000000002', '{"fr": "Mobilités", "en": "Getting around"}', 0),
  ('00000000-0000-4000-8001-000000000022', '00000000-0000-4000-8001-000000000002', '{"fr": "Nature en ville", "en": "Nature in the city"}', 1),
  ('00000000-0000-4000-8001-000000000023', '00000000-0000-4000-8001-000000000002', '{"fr": "Solidarités", "en": "Solidarity"}', 2),
  ('00000000-0000-4000-8001-000000000024', '00000000-0000-4000-8001-000000000002', '{"fr": "Culture et patrimoine", "en": "Culture and heritage"}', 3),
  ('00000000-0000-4000-8001-000000000025', '00000000-0000-4000-8001-000000000002', '{"fr": "Jeunesse et sport", "en": "Youth and sport"}', 4)
on conflict (id) do nothing;

insert into public.spaces (
  id, kind, slug, title, subtitle, short_description, description, start_date, end_date, promoted, published_at, private,
  purpose, composition, assembly_type, parent_id, weight
) values
  (
    '00000000-0000-4000-8002-000000000001', 'process', 'budget-participatif-2027',
    '{"fr": "Budget participatif 2027", "en": "Participatory budget 2027"}',
    '{"fr": "1 million d''euros pour vos idées", "en": "1 million euros for your ideas"}',
    '{"fr": "<p>Proposez des projets pour votre quartier, puis votez pour ceux que la ville réalisera en 2027.</p>", "en": "<p>Propose projects for your neighbourhood, then vote for the ones the city will carry out in 2027.</p>"}',
    '{"fr": "<p>Chaque année, la ville de Belleville-sur-Loire consacre <strong>1 million d''euros</strong> de son budget d''investissement à des projets proposés et choisis par les habitantes et les habitants.</p><h2>Qui peut participer ?</h2><ul><li>Toute personne qui vit, travaille ou étudie à Belleville-sur-Loire, dès 11 ans.</li><li>Les associations et les collectifs d''habitants.</li></ul><h2>Comment ça marche ?</h2><p>Les idées déposées sont étudiées par les services de la ville, puis les projets réalisables sont soumis au vote de toutes et tous.</p>", "en": "<p>Every year, the city of Belleville-sur-Loire sets aside <strong>1 million euros</strong> of its investment budget for projects proposed and chosen by its residents.</p><h2>Who can take part?</h2><ul><li>Anyone who lives, works or studies in Belleville-sur-Loire, from the age of 11.</li><li>Associations and residents'' groups.</li></ul><h2>How does it work?</h2><p>The city''s departments study the ideas submitted, then the feasible projects are put to everyone''s vote.</p>"}',
    '2026-10-01', '2027-06-30', true, '2026-09-15 09:00:00+02', false,
    '{}', '{}', null, null, 0
  ),
  (
    '00000000-0000-4000-8002-000000000002', 'assembly', 'conseil-citoyen',
    '{"fr": "Conseil citoyen", "en": "Citizens'' council"}',
    '{"fr": "Les Tanneurs et La Croix-Verte", "en": "Les Tanneurs and La Croix-Verte"}',
    '{"fr": "<p>Habitants, associations et acteurs locaux des quartiers prioritaires construisent avec la ville les projets qui les concernent.</p>", "en": "<p>Residents, associations and local organisations of the priority neighbourhoods shape the projects that concern them together with the city.</p>"}',
    '{"fr": "<p>Créé en 2015 dans le cadre du contrat de ville, le conseil citoyen se réunit une fois par mois à la maison de quartier des Tanneurs. Ses séances sont ouvertes au public.</p>", "en": "<p>Set up in 2015 as part of the city contract, the citizens'' council meets once a month at the Les Tanneurs community centre. Its meetings are open to the public.</p>"}',
    '2015-06-01', null, false, '2026-01-10 10:00:00+01', false,
    '{"fr": "<p>Faire entendre la voix des habitants des quartiers prioritaires et participer au pilotage du contrat de ville.</p>", "en": "<p>Give the residents of the priority neighbourhoods a voice and take part in steering the city contract.</p>"}',
    '{"fr": "<p>24 membres : 12 habitants tirés au sort et 12 représentants d''associations et d''acteurs locaux, renouvelés tous les trois ans.</p>", "en": "<p>24 members: 12 residents drawn by lot and 12 representatives of associations and local organisations, renewed every three years.</p>"}',
    'Instance consultative', null, 0
  ),
  (
    '00000000-0000-4000-8002-000000000003', 'process', 'plan-velo-2028',
    '{"fr": "Plan vélo 2028", "en": "Cycling plan 2028"}',
    '{"fr": "En préparation", "en": "In preparation"}',
    '{"fr": "<p>Où faut-il de nouvelles pistes cyclables et des stationnements vélo ? Concertation à venir.</p>", "en": "<p>Where do we need new cycle lanes and bike parking? Consultation coming soon.</p>"}',
    '{"fr": "<p>Brouillon : ce processus n''est pas encore publié.</p>", "en": "<p>Draft: this process is not published yet.</p>"}',
    '2027-03-01', '2027-09-30', false, null, false,
    '{}', '{}', null, null, 1
  ),
  (
    '00000000-0000-4000-8002-000000000004', 'assembly', 'comite-de-suivi-budget',
    '{"fr": "Comité de suivi du budget participatif", "en": "Participatory budget monitoring committee"}',
    '{"fr": "Espace privé", "en": "Private space"}',
    '{"fr": "<p>Les membres du comité suivent la réalisation des projets lauréats.</p>", "en": "<p>The committee members follow up the delivery of the winning projects.</p>"}',
    '{"fr": "<p>Espace de travail réservé aux membres du comité.</p>", "en": "<p>Workspace for the committee members only.</p>"}',
    '2026-01-15', null, false, '2026-01-15 18:00:00+01', true,
    '{"fr": "<p>Vérifier que les projets votés sont réalisés dans les délais et le budget annoncés.</p>", "en": "<p>Check that the projects voted for are delivered on time and on budget.</p>"}',
    '{"fr": "<p>8 habitants volontaires et 2 élus.</p>", "en": "<p>8 volunteer residents and 2 councillors.</p>"}',
    'Comité de suivi', '00000000-0000-4000-8002-000000000002', 1
  )
on conflict (id) do nothing;

-- The process is in the second of its four phases; the third starts on its own when its date
-- arrives (the `spaces.activate-phases` job). A process's first phase is active on insert.
insert into public.phases (id, space_id, position, title, description, start_date, end_date, cta_text, cta_path) values
  (
    '00000000-0000-4000-8003-000000000001', '00000000-0000-4000-8002-000000000001', 1,
    '{"fr": "Information", "en": "Information"}',
    '{"fr": "<p>Réunions publiques dans chaque quartier pour présenter le budget participatif et ses règles.</p>", "en": "<p>Public meetings in every district to present the participatory budget and its rules.</p>"}',
    '2026-10-01', '2026-10-31', '{}', null
  ),
  (
    '00000000-0000-4000-8003-000000000002', '00000000-0000-4000-8002-000000000001', 2,
    '{"fr": "Dépôt des idées", "en": "Submitting ideas"}',
    '{"fr": "<p>Déposez vos idées en ligne ou dans l''urne de votre mairie de quartier. Chaque idée doit relever des compétences de la ville et coûter moins de 150 000 €.</p>", "en": "<p>Submit your ideas online or in the ballot box of your district town hall. Each idea must fall within the city''s remit and cost less than €150,000.</p>"}',
    '2026-11-01', '2026-12-13',
    '{"fr": "Lire le règlement", "en": "Read the rules"}',
    '/fr/processes/budget-participatif-2027/f/00000000-0000-4000-8004-000000000001'
  ),
  (
    '00000000-0000-4000-8003-000000000003', '00000000-0000-4000-8002-000000000001', 3,
    '{"fr": "Analyse des idées", "en": "Reviewing the ideas"}',
    '{"fr": "<p>Les services de la ville étudient la faisabilité et le coût de chaque idée, avec leurs auteurs.</p>", "en": "<p>The city''s departments assess the feasibility and cost of each idea, together with their authors.</p>"}',
    '2026-12-14', '2027-01-31', '{}', null
  ),
  (
    '00000000-0000-4000-8003-000000000004', '00000000-0000-4000-8002-000000000001', 4,
    '{"fr": "Vote", "en": "Vote"}',
    '{"fr": "<p>Choisissez jusqu''à cinq projets. Les projets les plus soutenus sont réalisés dans la limite du budget.</p>", "en": "<p>Choose up to five projects. The most supported projects are carried out within the budget.</p>"}',
    '2027-02-01', '2027-03-14', '{}', null
  ),
  (
    '00000000-0000-4000-8003-000000000011', '00000000-0000-4000-8002-000000000003', 1,
    '{"fr": "Diagnostic partagé", "en": "Shared assessment"}', '{}', '2027-03-01', '2027-04-30', '{}', null
  ),
  (
    '00000000-0000-4000-8003-000000000012', '00000000-0000-4000-8002-000000000003', 2,
    '{"fr": "Ateliers de quartier", "en": "District workshops"}', '{}', '2027-05-01', '2027-09-30', '{}', null
  )
on conflict (id) do nothing;
select public.activate_phase('00000000-0000-4000-8003-000000000002');

insert into public.components (id, space_id, feature, name, weight, published_at, settings, phase_settings) values
  ('00000000-0000-4000-8004-000000000001', '00000000-0000-4000-8002-000000000001', 'pages',
    '{"fr": "Règlement", "en": "Rules"}', 0, '2026-09-15 09:00:00+02', '{"comments_enabled": true, "comments_max_length": 1000, "alignment_enabled": false}', '{}'),
  ('00000000-0000-4000-8004-000000000002', '00000000-0000-4000-8002-000000000001', 'pages',
    '{"fr": "Foire aux questions", "en": "Frequently asked questions"}', 1, null, '{"comments_enabled": true, "comments_max_length": 1000, "alignment_enabled": false}', '{}'),
  ('00000000-0000-4000-8004-000000000003', '00000000-0000-4000-8002-000000000002', 'pages',
    '{"fr": "Fonctionnement du conseil", "en": "How the council works"}', 0, '2026-01-10 10:00:00+01', '{"comments_enabled": true, "comments_max_length": 1000, "alignment_enabled": false}', '{}'),
  ('00000000-0000-4000-8004-000000000004', '00000000-0000-4000-8002-000000000004', 'pages',
    '{"fr": "Documents de travail", "en": "Working documents"}', 0, '2026-01-15 18:00:00+01', '{"comments_enabled": true, "comments_max_length": 1000, "alignment_enabled": false}', '{}')
on conflict (id) do nothing;

insert into public.pages (component_id, body) values
  (
    '00000000-0000-4000-8004-000000000001',
    '{"fr": "<h2>Qui peut déposer une idée ?</h2><p>Toute personne de plus de 11 ans qui vit, travaille ou étudie à Belleville-sur-Loire. Les associations peuvent aussi déposer des idées.</p><h2>Quelles idées sont recevables ?</h2><ul><li>Elles relèvent des compétences de la ville (voirie, espaces verts, équipements sportifs et culturels, écoles…).</li><li>Elles servent l''intérêt général et sont accessibles à toutes et tous.</li><li>Leur coût est inférieur à <strong>150 000 €</strong> et elles ne génèrent pas de frais de fonctionnement importants.</li></ul><h2>Le vote</h2><p>Chaque participant choisit jusqu''à cinq projets. Les résultats sont publiés en mars 2027 et le suivi des réalisations est public.</p><p>Le règlement complet est disponible sur le <a href=\"https://www.belleville-sur-loire.example/budget-participatif\">site de la ville</a>.</p>", "en": "<h2>Who can submit an idea?</h2><p>Anyone over 11 who lives, works or studies in Belleville-sur-Loire. Associations can submit ideas too.</p><h2>Which ideas are eligible?</h2><ul><li>They fall within the city''s remit (roads, green spaces, sports and cultural facilities, schools…).</li><li>They serve the general interest and are open to everyone.</li><li>They cost less than <strong>€150,000</strong> and do not bring significant running costs.</li></ul><h2>The vote</h2><p>Each participant chooses up to five projects. The results are published in March 2027 and the delivery of the projects is followed in public.</p><p>The full rules are on the <a href=\"https://www.belleville-sur-loire.example/budget-participatif\">city website</a>.</p>"}'
  ),
  (
    '00000000-0000-4000-8004-000000000002',
    '{"fr": "<h2>Puis-je déposer plusieurs idées ?</h2><p>Oui, sans limite.</p><h2>Qui réalise les projets ?</h2><p>Les services de la ville, avec les porteurs d''idées.</p>", "en": "<h2>Can I submit several ideas?</h2><p>Yes, as many as you like.</p><h2>Who carries out the projects?</h2><p>The city''s departments, together with the people who proposed them.</p>"}'
  ),
  (
    '00000000-0000-4000-8004-000000000003',
    '{"fr": "<h2>Nos séances</h2><p>Le conseil se réunit le <strong>premier mardi de chaque mois à 18 h 30</strong> à la maison de quartier des Tanneurs, 12 rue des Mégissiers. Les séances sont ouvertes au public.</p><h2>Nos missions</h2><ul><li>Donner un avis sur les projets de rénovation urbaine des Tanneurs et de La Croix-Verte.</li><li>Proposer des actions pour l''emploi, la santé et le cadre de vie.</li><li>Relayer les questions des habitants auprès des élus.</li></ul><p>Comptes rendus et contact : <a href=\"https://www.belleville-sur-loire.example/conseil-citoyen\">page du conseil citoyen</a>.</p>", "en": "<h2>Our meetings</h2><p>The council meets on the <strong>first Tuesday of every month at 6.30 pm</strong> at the Les Tanneurs community centre, 12 rue des Mégissiers. Meetings are open to the public.</p><h2>What we do</h2><ul><li>Give our opinion on the urban renewal projects of Les Tanneurs and La Croix-Verte.</li><li>Propose actions for jobs, health and the living environment.</li><li>Pass residents'' questions on to the councillors.</li></ul><p>Minutes and contact: <a href=\"https://www.belleville-sur-loire.example/conseil-citoyen\">citizens'' council page</a>.</p>"}'
  ),
  (
    '00000000-0000-4000-8004-000000000004',
    '{"fr": "<p>Tableau de suivi des projets lauréats 2026 : 14 projets, dont 9 livrés.</p>", "en": "<p>Follow-up table of the 2026 winning projects: 14 projects, 9 of them delivered.</p>"}'
  )
on conflict (component_id) do nothing;

insert into public.space_taxonomies (space_id, taxonomy_id) values
  ('00000000-0000-4000-8002-000000000001', '00000000-0000-4000-8001-000000000022'),
  ('00000000-0000-4000-8002-000000000001', '00000000-0000-4000-8001-000000000023'),
  ('00000000-0000-4000-8002-000000000001', '00000000-0000-4000-8001-000000000025'),
  ('00000000-0000-4000-8002-000000000002', '00000000-0000-4000-8001-000000000012'),
  ('00000000-0000-4000-8002-000000000002', '00000000-0000-4000-8001-000000000014'),
  ('00000000-0000-4000-8002-000000000002', '00000000-0000-4000-8001-000000000023'),
  ('00000000-0000-4000-8002-000000000003', '00000000-0000-4000-8001-000000000011'),
  ('00000000-0000-4000-8002-000000000003', '00000000-0000-4000-8001-000000000013'),
  ('00000000-0000-4000-8002-000000000003', '00000000-0000-4000-8001-000000000021')
on conflict do nothing;

-- Camille moderates the participatory budget; Karim collaborates on it (he previews unpublished
-- content); Léa sits on the private monitoring committee.
insert into public.space_roles (space_id, user_id, role) values
  ('00000000-0000-4000-8002-000000000001', '00000000-0000-4000-8000-000000000002', 'moderator'),
  ('00000000-0000-4000-8002-000000000001', '00000000-0000-4000-8000-000000000003', 'collaborator')
on conflict do nothing;
insert into public.space_members (space_id, user_id) values
  ('00000000-0000-4000-8002-000000000004', '00000000-0000-4000-8000-000000000004')
on conflict do nothing;

-- ---------------------------------------------------------------------------------------------
-- Proposals: the "Propositions" component of the participatory budget (…-8004-000000000010),
-- 40 proposals (…-8005-0000000000nn, nn = their order here) spread over the five districts, with
-- points inside the districts the platform's map draws (src/features/proposals/map-style.ts);
-- supports, likes, follows and comments (…-8006-…) written as rows: the triggers keep the counts.
-- ---------------------------------------------------------------------------------------------

-- Residents who took part (they do not sign in: no password).
with residents (id, name, nickname) as (
  values
    ('00000000-0000-4000-8000-000000000101'::uuid, 'Sophie Leroy', 'sophie_l'),
    ('00000000-0000-4000-8000-000000000102'::uuid, 'Thomas Girard', 'thomas_g'),
    ('00000000-0000-4000-8000-000000000103'::uuid, 'Nadia Haddad', 'nadia_h'),
    ('00000000-0000-4000-8000-000000000104'::uuid, 'Julien Moreau', 'julien_m'),
    ('00000000-0000-4000-8000-000000000105'::uuid, 'Élodie Petit', 'elodie_p'),
    ('00000000-0000-4000-8000-000000000106'::uuid, 'Mamadou Diallo', 'mamadou_d'),
    ('00000000-0000-4000-8000-000000000107'::uuid, 'Chantal Roux', 'chantal_r'),
    ('00000000-0000-4000-8000-000000000108'::uuid, 'Hugo Lambert', 'hugo_l'),
    ('00000000-0000-4000-8000-000000000109'::uuid, 'Inès Fontaine', 'ines_f'),
    ('00000000-0000-4000-8000-000000000110'::uuid, 'Bernard Chevalier', 'bernard_c'),
    ('00000000-0000-4000-8000-000000000111'::uuid, 'Manon Garnier', 'manon_g'),
    ('00000000-0000-4000-8000-000000000112'::uuid, 'Youssef Amrani', 'youssef_a'),
    ('00000000-0000-4000-8000-000000000113'::uuid, 'Anne-Marie Faure', 'annemarie_f'),
    ('00000000-0000-4000-8000-000000000114'::uuid, 'Lucas Bertrand', 'lucas_b'),
    ('00000000-0000-4000-8000-000000000115'::uuid, 'Fatou Ndiaye', 'fatou_n'),
    ('00000000-0000-4000-8000-000000000116'::uuid, 'Pierre Dubois', 'pierre_d')
)
insert into auth.users (
  instance_id, id, aud, role, email, raw_app_meta_data, raw_user_meta_data, created_at, updated_at,
  confirmation_token, recovery_token, email_change_token_new, email_change
)
select '00000000-0000-0000-0000-000000000000', id, 'authenticated', 'authenticated', replace(nickname, '_', '.') || '@habitants.demo.decidons.fr',
       '{"provider": "email", "providers": ["email"]}', jsonb_build_object('name', name, 'nickname', nickname, 'locale', 'fr'),
       now(), now(), '', '', '', ''
from residents
on conflict (id) do nothing;

-- Ideas are submitted and supported in phase 2 (active); phase 3 blocks supports while the city
-- reviews them; phase 4 is the vote. At most 10 supports per person; 20 supports make a proposal
-- eligible, and more still count.
insert into public.components (id, space_id, feature, name, weight, published_at, settings, phase_settings) values
  ('00000000-0000-4000-8004-000000000010', '00000000-0000-4000-8002-000000000001', 'proposals',
    '{"fr": "Propositions", "en": "Proposals"}', 2, '2026-10-25 09:00:00+02',
    '{"vote_limit": 10, "minimum_votes_per_user": 0, "threshold_per_proposal": 20, "can_accumulate_votes_beyond_threshold": true,
      "proposal_limit": 0, "proposal_length": 500, "proposal_edit_time": "limited", "edit_time_minutes": 15,
      "geocoding_enabled": true, "official_proposals_enabled": true, "proposal_answering_enabled": true,
      "publish_answers_immediately": true, "answers_with_costs": true, "amendments_enabled": true,
      "comments_enabled": true, "comments_max_length": 1000, "alignment_enabled": true, "default_sort": "random",
      "announcement": {"fr": "<p>Déposez vos idées jusqu’au 13 décembre : elles doivent relever des compétences de la ville et coûter moins de 150 000 €.</p>", "en": "<p>Submit your ideas until 13 December: they must fall within the city’s remit and cost less than €150,000.</p>"}}',
    '{"00000000-0000-4000-8003-000000000001": {},
      "00000000-0000-4000-8003-000000000002": {"creation_enabled": true, "votes_enabled": true, "likes_enabled": true,
        "amendment_creation_enabled": true, "amendment_reaction_enabled": true, "amendment_promotion_enabled": true,
        "amendments_visibility": "all"},
      "00000000-0000-4000-8003-000000000003": {"votes_enabled": true, "votes_blocked": true, "likes_enabled": true,
        "amendment_reaction_enabled": true, "amendments_visibility": "all"},
      "00000000-0000-4000-8003-000000000004": {"votes_enabled": true, "votes_hidden": false, "likes_enabled": true,
        "amendments_visibility": "all"}}')
on conflict (id) do nothing;

-- Proposals are filed by district.
insert into public.space_taxonomies (space_id, taxonomy_id)
select '00000000-0000-4000-8002-000000000001', t.id from public.taxonomies t
where t.parent_id = '00000000-0000-4000-8001-000000000001'
on conflict do nothing;

-- Two official proposals (the city's, no author); the last one amends the second.
insert into public.proposals (id, component_id, author_id, official, title, body, taxonomy_id, address, latitude, longitude,
                              amends_id, amendment_state, published_at, created_at)
select p.id, '00000000-0000-4000-8004-000000000010', p.author_id, p.official, p.title, p.body, p.taxonomy_id, p.address, p.lat, p.lng,
       case when p.n = 40 then '00000000-0000-4000-8005-000000000002'::uuid end, case when p.n = 40 then 'evaluating' end,
       timestamptz '2026-11-02 09:30:00+01' + (p.n - 1) * interval '13 hours', timestamptz '2026-11-02 09:30:00+01' + (p.n - 1) * interval '13 hours'
from (values
  ('00000000-0000-4000-8005-000000000001'::uuid, 1, '00000000-0000-4000-8000-000000000002'::uuid, false, 'Une piste cyclable protégée rue Nationale', '<p>Aujourd’hui les vélos partagent la rue Nationale avec les bus et les livraisons. Je propose une piste cyclable séparée par une bordure, de la gare à la place de la Mairie, avec des feux adaptés aux carrefours.</p>', '00000000-0000-4000-8001-000000000011'::uuid, 'Rue Nationale, Belleville-sur-Loire', 47.5, 2.85),
  ('00000000-0000-4000-8005-000000000002'::uuid, 2, '00000000-0000-4000-8000-000000000003'::uuid, false, 'Des bancs à l’ombre place du Marché', '<p>Les jours de marché, les personnes âgées n’ont nulle part où s’asseoir. Installer six bancs avec dossier sous les platanes de la place du Marché, dont deux accessibles aux personnes à mobilité réduite.</p>', '00000000-0000-4000-8001-000000000011'::uuid, 'Place du Marché, Belleville-sur-Loire', 47.5035, 2.8566),
  ('00000000-0000-4000-8005-000000000003'::uuid, 3, '00000000-0000-4000-8000-000000000101'::uuid, false, 'Des toilettes publiques ouvertes toute la journée', '<p>Le centre-ville n’a qu’une toilette publique, souvent fermée. Une cabine autonettoyante près de l’office de tourisme rendrait service aux familles, aux touristes et aux personnes âgées.</p>', '00000000-0000-4000-8001-000000000011'::uuid, 'Rue de l’Hôtel-de-Ville, Belleville-sur-Loire', 47.4965, 2.8555),
  ('00000000-0000-4000-8005-000000000004'::uuid, 4, '00000000-0000-4000-8000-000000000004'::uuid, false, 'Un parking à vélos sécurisé près de la gare', '<p>Beaucoup de navetteurs viendraient à vélo s’ils pouvaient le laisser à l’abri. Un local fermé de 60 places avec accès par badge, sur le parvis de la gare.</p>', '00000000-0000-4000-8001-000000000011'::uuid, 'Parvis de la gare, Belleville-sur-Loire', 47.503, 2.8423),
  ('00000000-0000-4000-8005-000000000005'::uuid, 5, '00000000-0000-4000-8000-000000000102'::uuid, false, 'Végétaliser la cour de la mairie', '<p>La cour de la mairie est entièrement goudronnée et brûlante l’été. Remplacer une partie du bitume par des massifs plantés et deux arbres, et récupérer l’eau de pluie pour l’arrosage.</p>', '00000000-0000-4000-8001-000000000011'::uuid, 'Place de la Mairie, Belleville-sur-Loire', 47.497, 2.8434),
  ('00000000-0000-4000-8005-000000000006'::uuid, 6, null::uuid, true, 'Rénover l’éclairage de la rue des Halles', '<p>Proposition de la ville : remplacer les 24 lampadaires de la rue des Halles par des lanternes LED à détection de présence, pour mieux éclairer les piétons tout en divisant la consommation par trois.</p>', '00000000-0000-4000-8001-000000000011'::uuid, 'Rue des Halles, Belleville-sur-Loire', 47.5005, 2.8599),
  ('00000000-0000-4000-8005-000000000007'::uuid, 7, '00000000-0000-4000-8000-000000000103'::uuid, false, 'Une boîte à livres devant la médiathèque', '<p>Une petite bibliothèque de rue en bois, fabriquée par les élèves du lycée professionnel, pour échanger des livres à toute heure devant la médiathèque.</p>', '00000000-0000-4000-8001-000000000011'::uuid, 'Place Jean-Jaurès, Belleville-sur-Loire', 47.5045, 2.8489),
  ('00000000-0000-4000-8005-000000000008'::uuid, 8, '00000000-0000-4000-8000-000000000002'::uuid, false, 'Des fontaines d’eau potable dans le centre', '<p>Installer trois fontaines à boire : place du Marché, square Victor-Hugo et devant la gare. Utile l’été pour les enfants, les sportifs et les personnes sans abri.</p>', '00000000-0000-4000-8001-000000000011'::uuid, 'Square Victor-Hugo, Belleville-sur-Loire', 47.496, 2.8511),
  ('00000000-0000-4000-8005-000000000009'::uuid, 9, '00000000-0000-4000-8000-000000000003'::uuid, false, 'Un jardin partagé rue des Mégissiers', '<p>Le terrain vague à l’angle de la rue des Mégissiers pourrait devenir un jardin partagé avec une vingtaine de parcelles, un composteur collectif et un abri à outils, animé par l’association de quartier.</p>', '00000000-0000-4000-8001-000000000012'::uuid, 'Rue des Mégissiers, Belleville-sur-Loire', 47.501, 2.879),
  ('00000000-0000-4000-8005-000000000010'::uuid, 10, '00000000-0000-4000-8000-000000000104'::uuid, false, 'Une aire de jeux pour les petits au square des Tanneurs', '<p>Le square n’a qu’un toboggan abîmé. Une aire de jeux pour les 2–8 ans avec sol souple, balançoires et jeux d’eau l’été, clôturée pour la sécurité des enfants.</p>', '00000000-0000-4000-8001-000000000012'::uuid, 'Square des Tanneurs, Belleville-sur-Loire', 47.5045, 2.8832),
  ('00000000-0000-4000-8005-000000000011'::uuid, 11, '00000000-0000-4000-8000-000000000105'::uuid, false, 'Éclairer le passage sous la voie ferrée', '<p>Le passage piéton sous la voie ferrée est sombre et inquiétant le soir. Un éclairage renforcé et une fresque réalisée avec les jeunes du quartier le rendraient plus sûr.</p>', '00000000-0000-4000-8001-000000000012'::uuid, 'Passage de la Voie-Ferrée, Belleville-sur-Loire', 47.4975, 2.8825),
  ('00000000-0000-4000-8005-000000000012'::uuid, 12, '00000000-0000-4000-8000-000000000004'::uuid, false, 'Des cours de français pour adultes à la maison de quartier', '<p>Financer le matériel et une salle équipée pour des ateliers de français langue étrangère, le soir et le samedi matin, avec une garde d’enfants pendant les cours.</p>', '00000000-0000-4000-8001-000000000012'::uuid, '12 rue des Mégissiers, Belleville-sur-Loire', 47.504, 2.8741),
  ('00000000-0000-4000-8005-000000000013'::uuid, 13, '00000000-0000-4000-8000-000000000106'::uuid, false, 'Ralentir la circulation avenue de la Tannerie', '<p>Les voitures roulent trop vite devant l’école Jules-Ferry. Je propose deux plateaux surélevés, un passage piéton éclairé et une zone 30 sur toute l’avenue.</p>', '00000000-0000-4000-8001-000000000012'::uuid, 'Avenue de la Tannerie, Belleville-sur-Loire', 47.498, 2.8748),
  ('00000000-0000-4000-8005-000000000014'::uuid, 14, '00000000-0000-4000-8000-000000000107'::uuid, false, 'Un terrain de basket rénové', '<p>Le terrain du quartier a des paniers cassés et un sol fissuré. Le refaire avec un revêtement neuf, des filets solides et un éclairage jusqu’à 22 h.</p>', '00000000-0000-4000-8001-000000000012'::uuid, 'Rue du Moulin, Belleville-sur-Loire', 47.5015, 2.8853),
  ('00000000-0000-4000-8005-000000000015'::uuid, 15, '00000000-0000-4000-8000-000000000002'::uuid, false, 'Des bacs à compost au pied des immeubles', '<p>Installer des composteurs partagés au pied des trois grands immeubles, avec une formation des habitants volontaires et un suivi par le service propreté.</p>', '00000000-0000-4000-8001-000000000012'::uuid, 'Résidence des Tanneurs, Belleville-sur-Loire', 47.5055, 2.8783),
  ('00000000-0000-4000-8005-000000000016'::uuid, 16, '00000000-0000-4000-8000-000000000108'::uuid, false, 'Un atelier de réparation de vélos solidaire', '<p>Un local où l’on apprend à réparer son vélo avec des bénévoles, et où les vélos abandonnés sont remis en état pour les habitants qui n’en ont pas.</p>', '00000000-0000-4000-8001-000000000012'::uuid, 'Rue des Corroyeurs, Belleville-sur-Loire', 47.497, 2.8797),
  ('00000000-0000-4000-8005-000000000017'::uuid, 17, '00000000-0000-4000-8000-000000000109'::uuid, false, 'Une promenade piétonne le long de la Loire', '<p>Prolonger le chemin de halage jusqu’au pont de pierre avec un revêtement stabilisé, des bancs et des panneaux sur la faune et la flore des bords de Loire.</p>', '00000000-0000-4000-8001-000000000013'::uuid, 'Quai de Loire, Belleville-sur-Loire', 47.484, 2.85),
  ('00000000-0000-4000-8005-000000000018'::uuid, 18, '00000000-0000-4000-8000-000000000003'::uuid, false, 'Des toilettes et un point d’eau à la base nautique', '<p>Les familles qui viennent pique-niquer près de la base nautique n’ont ni toilettes ni point d’eau. Une installation saisonnière, ouverte d’avril à octobre.</p>', '00000000-0000-4000-8001-000000000013'::uuid, 'Base nautique, Belleville-sur-Loire', 47.4868, 2.8554),
  ('00000000-0000-4000-8005-000000000019'::uuid, 19, '00000000-0000-4000-8000-000000000110'::uuid, false, 'Un observatoire des oiseaux sur l’île aux Castors', '<p>Une petite cabane d’observation en bois, accessible aux fauteuils roulants, pour observer les hérons et les sternes sans les déranger. Animations avec la LPO.</p>', '00000000-0000-4000-8001-000000000013'::uuid, 'Île aux Castors, Belleville-sur-Loire', 47.4812, 2.8545),
  ('00000000-0000-4000-8005-000000000020'::uuid, 20, '00000000-0000-4000-8000-000000000004'::uuid, false, 'Des tables de pique-nique au bord de l’eau', '<p>Installer une dizaine de tables de pique-nique et des poubelles de tri le long de la plage de la Loire, pour garder les berges propres l’été.</p>', '00000000-0000-4000-8001-000000000013'::uuid, 'Plage de la Loire, Belleville-sur-Loire', 47.4864, 2.8437),
  ('00000000-0000-4000-8005-000000000021'::uuid, 21, '00000000-0000-4000-8000-000000000111'::uuid, false, 'Sécuriser la traversée du quai pour les écoliers', '<p>Un passage piéton surélevé et un feu à bouton devant l’école des Bords-de-Loire, que les enfants traversent chaque matin au milieu des voitures.</p>', '00000000-0000-4000-8001-000000000013'::uuid, 'Quai des Mariniers, Belleville-sur-Loire', 47.4816, 2.8446),
  ('00000000-0000-4000-8005-000000000022'::uuid, 22, '00000000-0000-4000-8000-000000000002'::uuid, false, 'Une piste cyclable vers les communes voisines', '<p>Relier la ville à Saint-Firmin par une voie verte le long de la Loire, pour aller au travail ou au collège à vélo en sécurité.</p>', '00000000-0000-4000-8001-000000000013'::uuid, 'Route de Saint-Firmin, Belleville-sur-Loire', 47.4844, 2.8581),
  ('00000000-0000-4000-8005-000000000023'::uuid, 23, '00000000-0000-4000-8000-000000000112'::uuid, false, 'Replanter des arbres sur le quai des Mariniers', '<p>Les arbres abattus l’an dernier n’ont pas été remplacés. Replanter une vingtaine d’essences locales adaptées à la sécheresse pour ombrager le quai.</p>', '00000000-0000-4000-8001-000000000013'::uuid, 'Quai des Mariniers, Belleville-sur-Loire', 47.4876, 2.8491),
  ('00000000-0000-4000-8005-000000000024'::uuid, 24, null::uuid, true, 'Une guinguette municipale l’été', '<p>Proposition de la ville : un lieu convivial et temporaire au bord de la Loire, géré avec les associations, avec concerts gratuits les week-ends de juillet et d’août.</p>', '00000000-0000-4000-8001-000000000013'::uuid, 'Plage de la Loire, Belleville-sur-Loire', 47.4808, 2.8509),
  ('00000000-0000-4000-8005-000000000025'::uuid, 25, '00000000-0000-4000-8000-000000000113'::uuid, false, 'Un city-stade à la Croix-Verte', '<p>Les jeunes de la Croix-Verte jouent sur le parking faute de terrain. Un city-stade multisport clôturé, à côté du gymnase, ouvert tous les jours.</p>', '00000000-0000-4000-8001-000000000014'::uuid, 'Rue de la Croix-Verte, Belleville-sur-Loire', 47.517, 2.85),
  ('00000000-0000-4000-8005-000000000026'::uuid, 26, '00000000-0000-4000-8000-000000000003'::uuid, false, 'Un verger partagé dans le parc de la Croix-Verte', '<p>Planter des pommiers, poiriers et pruniers de variétés anciennes dans le parc, que les habitants et les écoles entretiendraient et récolteraient ensemble.</p>', '00000000-0000-4000-8001-000000000014'::uuid, 'Parc de la Croix-Verte, Belleville-sur-Loire', 47.5198, 2.856),
  ('00000000-0000-4000-8005-000000000027'::uuid, 27, '00000000-0000-4000-8000-000000000114'::uuid, false, 'Des abris aux arrêts de bus', '<p>Aucun des quatre arrêts de bus du quartier n’a d’abri. Les personnes âgées attendent sous la pluie : installer des abris avec un banc et un plan du réseau.</p>', '00000000-0000-4000-8001-000000000014'::uuid, 'Boulevard du Nord, Belleville-sur-Loire', 47.5142, 2.855),
  ('00000000-0000-4000-8005-000000000028'::uuid, 28, '00000000-0000-4000-8000-000000000004'::uuid, false, 'Des ateliers numériques pour les seniors', '<p>Équiper une salle de la maison des associations en ordinateurs et tablettes pour aider les seniors dans leurs démarches en ligne, deux après-midis par semaine.</p>', '00000000-0000-4000-8001-000000000014'::uuid, 'Maison des associations, Belleville-sur-Loire', 47.5194, 2.843),
  ('00000000-0000-4000-8005-000000000029'::uuid, 29, '00000000-0000-4000-8000-000000000115'::uuid, false, 'Rénover les jeux du parc de la Croix-Verte', '<p>Les jeux du parc datent des années 1990. Les remplacer par des jeux accessibles aux enfants en situation de handicap, avec un sol souple.</p>', '00000000-0000-4000-8001-000000000014'::uuid, 'Parc de la Croix-Verte, Belleville-sur-Loire', 47.5146, 2.844),
  ('00000000-0000-4000-8005-000000000030'::uuid, 30, '00000000-0000-4000-8000-000000000002'::uuid, false, 'Une rue aux écoles devant le groupe scolaire Pasteur', '<p>Fermer la rue Pasteur aux voitures aux heures d’entrée et de sortie des classes, avec des barrières amovibles et des bacs plantés.</p>', '00000000-0000-4000-8001-000000000014'::uuid, 'Rue Pasteur, Belleville-sur-Loire', 47.5174, 2.859),
  ('00000000-0000-4000-8005-000000000031'::uuid, 31, '00000000-0000-4000-8000-000000000116'::uuid, false, 'Un marché de producteurs le samedi', '<p>Un petit marché de producteurs locaux le samedi matin sur le parking du centre commercial, pour que le quartier ait accès à des produits frais.</p>', '00000000-0000-4000-8001-000000000014'::uuid, 'Place de la Croix-Verte, Belleville-sur-Loire', 47.5206, 2.849),
  ('00000000-0000-4000-8005-000000000032'::uuid, 32, '00000000-0000-4000-8000-000000000101'::uuid, false, 'Mieux éclairer le chemin du collège', '<p>Le chemin piéton entre la Croix-Verte et le collège Jean-Moulin n’est pas éclairé. Des bornes lumineuses basses, peu gourmandes, pour les trajets d’hiver.</p>', '00000000-0000-4000-8001-000000000014'::uuid, 'Chemin du Collège, Belleville-sur-Loire', 47.5138, 2.851),
  ('00000000-0000-4000-8005-000000000033'::uuid, 33, '00000000-0000-4000-8000-000000000102'::uuid, false, 'Une mare pédagogique à l’école Saint-Martin', '<p>Creuser une petite mare dans le jardin de l’école pour que les élèves observent les libellules et les grenouilles, avec une clôture basse.</p>', '00000000-0000-4000-8001-000000000015'::uuid, 'École Saint-Martin, Belleville-sur-Loire', 47.499, 2.822),
  ('00000000-0000-4000-8005-000000000034'::uuid, 34, '00000000-0000-4000-8000-000000000003'::uuid, false, 'Des pistes cyclables sur la route de Vierzon', '<p>La route de Vierzon est la seule entrée ouest de la ville et elle est dangereuse à vélo. Des bandes cyclables larges et un séparateur jusqu’au rond-point.</p>', '00000000-0000-4000-8001-000000000015'::uuid, 'Route de Vierzon, Belleville-sur-Loire', 47.5025, 2.8256),
  ('00000000-0000-4000-8005-000000000035'::uuid, 35, '00000000-0000-4000-8000-000000000103'::uuid, false, 'Un skatepark à Saint-Martin', '<p>Les jeunes vont jusqu’à Bourges pour faire du skate. Un petit skatepark en béton, conçu avec eux, près de la salle des fêtes.</p>', '00000000-0000-4000-8001-000000000015'::uuid, 'Rue de la Salle-des-Fêtes, Belleville-sur-Loire', 47.4955, 2.825),
  ('00000000-0000-4000-8005-000000000036'::uuid, 36, '00000000-0000-4000-8000-000000000104'::uuid, false, 'Des bancs le long du chemin de Saint-Martin', '<p>Le chemin qui monte à l’église est long et sans bancs. En installer quatre, régulièrement espacés, pour que chacun puisse faire une pause.</p>', '00000000-0000-4000-8001-000000000015'::uuid, 'Chemin de Saint-Martin, Belleville-sur-Loire', 47.502, 2.8178),
  ('00000000-0000-4000-8005-000000000037'::uuid, 37, '00000000-0000-4000-8000-000000000004'::uuid, false, 'Un jardin de plantes aromatiques en libre service', '<p>Des bacs de plantes aromatiques (thym, romarin, menthe, ciboulette) sur la place de l’église, où chacun peut se servir et participer à l’entretien.</p>', '00000000-0000-4000-8001-000000000015'::uuid, 'Place de l’Église, Belleville-sur-Loire', 47.496, 2.8184),
  ('00000000-0000-4000-8005-000000000038'::uuid, 38, '00000000-0000-4000-8000-000000000105'::uuid, false, 'Réparer les trottoirs de la rue des Vignes', '<p>Les trottoirs de la rue des Vignes sont déformés par les racines : impossible d’y passer en poussette ou en fauteuil. Les refaire en préservant les arbres.</p>', '00000000-0000-4000-8001-000000000015'::uuid, 'Rue des Vignes, Belleville-sur-Loire', 47.4995, 2.8274),
  ('00000000-0000-4000-8005-000000000039'::uuid, 39, '00000000-0000-4000-8000-000000000106'::uuid, false, 'Une navette gratuite vers le centre-ville', '<p>Une petite navette électrique le mercredi et le samedi entre Saint-Martin et le centre-ville, pour les personnes sans voiture.</p>', '00000000-0000-4000-8001-000000000015'::uuid, 'Place de l’Église, Belleville-sur-Loire', 47.5035, 2.8214),
  ('00000000-0000-4000-8005-000000000040'::uuid, 40, '00000000-0000-4000-8000-000000000004'::uuid, false, 'Des bancs à l’ombre place du Marché et rue Nationale', '<p>Six bancs avec dossier sous les platanes de la place du Marché, et quatre de plus le long de la rue Nationale, dont deux accessibles aux personnes à mobilité réduite.</p>', '00000000-0000-4000-8001-000000000011'::uuid, 'Place du Marché, Belleville-sur-Loire', 47.5, 2.85)
) as p (id, n, author_id, official, title, body, taxonomy_id, address, lat, lng)
on conflict (id) do nothing;

-- An edited proposal (its page shows two versions) and a withdrawn one.
update public.proposals
set body = '<p>Beaucoup de navetteurs viendraient à vélo s’ils pouvaient le laisser à l’abri. Un local fermé de <strong>120 places</strong> avec accès par badge sur le parvis de la gare, et des arceaux en libre accès pour les visiteurs.</p>'
where id = '00000000-0000-4000-8005-000000000004'
  and not exists (select 1 from public.versions v where v.resource_type = 'proposal' and v.resource_id = '00000000-0000-4000-8005-000000000004' and v.version > 1);
update public.proposals set withdrawn_at = '2026-11-22 18:00:00+01'
where id = '00000000-0000-4000-8005-000000000039' and withdrawn_at is null;

-- Supports of 20 people (the residents, Camille, Karim, Léa and Claire), within the vote limit;
-- the cycle lane on rue Nationale reaches the threshold. Inserted as rows, counted by the trigger.
with voters as (
  select u.id, row_number() over (order by u.id) as r from public.profiles u
  where u.id::text like '00000000-0000-4000-8000-0000000001__' or u.id in (
    '00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002',
    '00000000-0000-4000-8000-000000000003', '00000000-0000-4000-8000-000000000004')
), popularity (n, pop) as (
  values (1, 100), (9, 6), (17, 5), (13, 5), (25, 4), (30, 4), (2, 3), (10, 3), (22, 3), (34, 3), (19, 2), (28, 2)
), ranked as (
  select p.id as proposal_id, v.id as user_id, 4 + (v.r * 3) % 7 as k,
         row_number() over (partition by v.id order by coalesce(pp.pop, 0) * 8 + ((right(p.id::text, 2)::int * 37 + v.r * 17) % 23) desc, p.id) as rank
  from voters v
  cross join public.proposals p
  left join popularity pp on pp.n = right(p.id::text, 2)::int
  where p.component_id = '00000000-0000-4000-8004-000000000010' and right(p.id::text, 2)::int not in (39, 40)
)
insert into public.proposal_supports (proposal_id, user_id)
select r.proposal_id, r.user_id from ranked r
where r.rank <= r.k
  and not exists (select 1 from public.proposal_supports s where s.proposal_id = r.proposal_id and s.user_id = r.user_id)
order by r.user_id, r.proposal_id;

-- Likes and follows of the same people (authors already follow their proposals).
with voters as (
  select u.id, row_number() over (order by u.id) as r from public.profiles u
  where u.id::text like '00000000-0000-4000-8000-0000000001__' or u.id in (
    '00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000003', '00000000-0000-4000-8000-000000000004')
), pairs as (
  select p.id as proposal_id, v.id as user_id, right(p.id::text, 2)::int as n, v.r
  from voters v cross join public.proposals p
  where p.component_id = '00000000-0000-4000-8004-000000000010' and right(p.id::text, 2)::int not in (39, 40)
), likes as (
  insert into public.likes (resource_type, resource_id, user_id, created_at)
  select 'proposal', proposal_id, user_id, timestamptz '2026-11-20 12:00:00+01' + n * interval '1 hour' from pairs where (n * 5 + r * 3) % 7 = 0
  on conflict do nothing
)
insert into public.follows (resource_type, resource_id, user_id)
select 'proposal', proposal_id, user_id from pairs where (n + r) % 9 = 0
on conflict do nothing;

-- Comments: none to four per proposal, with a stance (for, neutral, against).
with texts (i, body, alignment) as (
  values
    (0, 'Excellente idée, j’habite à côté et ça manque vraiment.', 1),
    (1, 'Je soutiens, à condition que l’entretien soit prévu dans la durée.', 1),
    (2, 'Est-ce que le coût a été estimé ? Ça me paraît ambitieux pour 150 000 €.', 0),
    (3, 'Pas convaincu : il y a d’autres priorités dans le quartier.', -1),
    (4, 'Nous en avons parlé au conseil de quartier, tout le monde était pour.', 1),
    (5, 'Il faudrait associer les écoles au projet dès le départ.', 0),
    (6, 'Attention au bruit le soir pour les riverains.', -1),
    (7, 'Très bien, et pourquoi pas l’étendre aux autres quartiers ?', 1),
    (8, 'Les services techniques ont-ils donné un avis ?', 0),
    (9, 'Je suis d’accord, mon fils de huit ans en profiterait tous les jours.', 1),
    (10, 'Bonne proposition, mais le stationnement risque d’en pâtir.', 0),
    (11, 'Je préférerais que cet argent aille à la rénovation des écoles.', -1),
    (12, 'Oui ! On attend ça depuis des années.', 1),
    (13, 'Pensez aux personnes à mobilité réduite dans la conception.', 0),
    (14, 'Ça rendrait le quartier beaucoup plus agréable.', 1),
    (15, 'Il existe déjà quelque chose de semblable à deux rues d’ici.', -1)
), voters as (
  select u.id, row_number() over (order by u.id) - 1 as r from public.profiles u
  where u.id::text like '00000000-0000-4000-8000-0000000001__' or u.id in (
    '00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000003', '00000000-0000-4000-8000-000000000004')
), planned as (
  select p.id as proposal_id, p.published_at, right(p.id::text, 2)::int as n, j
  from public.proposals p cross join generate_series(0, 3) j
  where p.component_id = '00000000-0000-4000-8004-000000000010' and j < (right(p.id::text, 2)::int * 3) % 5
)
insert into public.comments (id, resource_type, resource_id, author_id, body, alignment, created_at, updated_at)
select ('00000000-0000-4000-8006-' || lpad((pl.n * 10 + pl.j)::text, 12, '0'))::uuid, 'proposal', pl.proposal_id, v.id, t.body, t.alignment,
       pl.published_at + (pl.j + 1) * interval '5 hours', pl.published_at + (pl.j + 1) * interval '5 hours'
from planned pl
join voters v on v.r = (pl.n + pl.j * 5) % 19
join texts t on t.i = (pl.n * 7 + pl.j * 3) % 16
order by pl.n, pl.j
on conflict (id) do nothing;
-- Karim answers a question about the cycle lane.
insert into public.comments (id, resource_type, resource_id, parent_id, author_id, body, created_at, updated_at) values
  ('00000000-0000-4000-8006-000000001000', 'proposal', '00000000-0000-4000-8005-000000000001', '00000000-0000-4000-8006-000000000010',
   '00000000-0000-4000-8000-000000000003', 'La piste serait à double sens côté ouest, le stationnement déplacé rue des Halles.',
   '2026-11-03 08:00:00+01', '2026-11-03 08:00:00+01')
on conflict (id) do nothing;

-- Official answers, published at once (the component's setting): accepted with a cost and a
-- period, rejected with the reason, or under review.
insert into public.proposal_answers (proposal_id, state_id, answer, cost, execution_period)
select ('00000000-0000-4000-8005-0000000000' || a.n)::uuid, s.id, a.answer::jsonb, a.cost, a.period::jsonb
from (values
  ('01', 'accepted', '{"fr": "<p>Retenue : les services ont validé un tracé entre la gare et la place de la Mairie, avec une bordure continue. Les travaux seront coordonnés avec la réfection de la chaussée.</p>", "en": "<p>Accepted: the city’s departments approved a route between the station and the town hall square, with a continuous kerb. The works will be carried out with the resurfacing of the road.</p>"}', 148000.00, '{"fr": "Printemps 2027", "en": "Spring 2027"}'),
  ('09', 'accepted', '{"fr": "<p>Retenue : le terrain appartient à la ville et l’association de quartier s’engage à animer le jardin.</p>", "en": "<p>Accepted: the city owns the plot and the residents’ association will run the garden.</p>"}', 18500.00, '{"fr": "Mars à mai 2027", "en": "March to May 2027"}'),
  ('17', 'accepted', '{"fr": "<p>Retenue, sous réserve de l’avis de la DREAL sur la zone Natura 2000.</p>", "en": "<p>Accepted, subject to the environmental authority’s opinion on the Natura 2000 area.</p>"}', 95000.00, '{"fr": "2027", "en": "2027"}'),
  ('03', 'rejected', '{"fr": "<p>Non retenue : une cabine est déjà prévue dans le réaménagement de la place de la Gare, financé par ailleurs.</p>", "en": "<p>Not accepted: a toilet is already planned in the redevelopment of the station square, funded separately.</p>"}', null, '{}'),
  ('35', 'rejected', '{"fr": "<p>Non retenue : le coût d’un skatepark dépasse le plafond de 150 000 € du budget participatif. Le projet est transmis au plan jeunesse.</p>", "en": "<p>Not accepted: a skatepark costs more than the participatory budget’s €150,000 ceiling. The project is passed on to the youth plan.</p>"}', null, '{}'),
  ('10', 'evaluating', '{"fr": "<p>Le service des sports étudie la faisabilité avec les parents d’élèves.</p>", "en": "<p>The sports department is assessing the feasibility with the parents.</p>"}', null, '{}'),
  ('25', 'evaluating', '{"fr": "<p>Un terrain est à l’étude à côté du gymnase.</p>", "en": "<p>A site next to the gym is being assessed.</p>"}', null, '{}'),
  ('30', 'evaluating', '{"fr": "<p>Une expérimentation est envisagée au printemps avec l’école.</p>", "en": "<p>A trial with the school is being considered for the spring.</p>"}', null, '{}')
) as a (n, token, answer, cost, period)
join public.proposal_states s on s.component_id = '00000000-0000-4000-8004-000000000010' and s.token = a.token
on conflict (proposal_id) do nothing;
