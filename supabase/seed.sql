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
