-- Demo data of the budgets feature, loaded after supabase/seed.sql (the city, its spaces, its
-- proposals and residents). Fixed ids in the 8030–8034 block:
--   budgets …-8030-…, projects …-8031-…, ballots …-8032-…, census lines and verifications …-8033-…,
--   the census upload …-8034-….
-- The "Budget participatif 2027" process gets a "Budgets" component (…-8004-000000000040) with five
-- district budgets and a city-wide one, 39 projects (three of them the accepted proposals, linked
-- to them), a census of the demo accounts and residents (verified residents vote in their district's
-- budget and the city-wide one), ballots checked out and some still in progress.
-- The vote is the process's fourth phase ("Vote"); so that it can be tried now, it is also open in
-- the current phase (the second).

insert into public.components (id, space_id, feature, name, weight, published_at, settings, phase_settings, permissions) values
  ('00000000-0000-4000-8004-000000000040', '00000000-0000-4000-8002-000000000001', 'budgets',
    '{"fr": "Budgets", "en": "Budgets"}', 3, '2026-11-01 09:00:00+01',
    '{"workflow": "district", "default_sort": "random", "geocoding_enabled": true, "reminder_delay_hours": 24,
      "comments_enabled": true, "comments_max_length": 1000,
      "announcement": {"fr": "<p>Chaque habitant·e vote dans le budget de son quartier et dans celui de toute la ville. Votre vote n’est compté qu’une fois <strong>confirmé</strong>.</p>", "en": "<p>Each resident votes in the budget of their district and in the city-wide one. Your vote counts only once <strong>confirmed</strong>.</p>"}}',
    '{"00000000-0000-4000-8003-000000000001": {"votes": "disabled"},
      "00000000-0000-4000-8003-000000000002": {"votes": "enabled", "show_votes": false},
      "00000000-0000-4000-8003-000000000003": {"votes": "disabled"},
      "00000000-0000-4000-8003-000000000004": {"votes": "enabled", "show_votes": true}}',
    '{"vote": ["census", "direct"]}')
on conflict (id) do nothing;

insert into public.budgets (id, component_id, title, description, total_budget, taxonomy_id, weight, vote_rule, threshold_percent,
                            minimum_projects, range_min, range_max, selection_method) values
  ('00000000-0000-4000-8030-000000000001', '00000000-0000-4000-8004-000000000040', '{"fr": "Centre-ville", "en": "Town centre"}',
    '{"fr": "<p>Les projets du centre-ville : commerces, places et rues piétonnes.</p>", "en": "<p>Projects for the town centre: shops, squares and pedestrian streets.</p>"}',
    200000, '00000000-0000-4000-8001-000000000011', 0, 'threshold_percent', 70, 1, 1, 5, 'greedy'),
  ('00000000-0000-4000-8030-000000000002', '00000000-0000-4000-8004-000000000040', '{"fr": "Les Tanneurs", "en": "Les Tanneurs"}',
    '{"fr": "<p>Les projets des Tanneurs, construits avec le conseil citoyen.</p>", "en": "<p>Projects for Les Tanneurs, built with the citizens’ council.</p>"}',
    150000, '00000000-0000-4000-8001-000000000012', 1, 'minimum_projects', 70, 2, 1, 5, 'greedy'),
  ('00000000-0000-4000-8030-000000000003', '00000000-0000-4000-8004-000000000040', '{"fr": "Bords de Loire", "en": "Loire riverside"}',
    '{"fr": "<p>Les projets des bords de Loire, entre nature et loisirs.</p>", "en": "<p>Projects for the Loire riverside, between nature and leisure.</p>"}',
    180000, '00000000-0000-4000-8001-000000000013', 2, 'threshold_percent', 50, 1, 1, 5, 'greedy'),
  ('00000000-0000-4000-8030-000000000004', '00000000-0000-4000-8004-000000000040', '{"fr": "La Croix-Verte", "en": "La Croix-Verte"}',
    '{"fr": "<p>Choisissez de un à trois projets pour la Croix-Verte.</p>", "en": "<p>Choose one to three projects for La Croix-Verte.</p>"}',
    150000, '00000000-0000-4000-8001-000000000014', 3, 'projects_range', 70, 1, 1, 3, 'greedy'),
  ('00000000-0000-4000-8030-000000000005', '00000000-0000-4000-8004-000000000040', '{"fr": "Saint-Martin", "en": "Saint-Martin"}',
    '{"fr": "<p>Les lauréats de Saint-Martin seront choisis par la méthode des parts égales.</p>", "en": "<p>The winners of Saint-Martin will be chosen by the Method of Equal Shares.</p>"}',
    120000, '00000000-0000-4000-8001-000000000015', 4, 'threshold_percent', 60, 1, 1, 5, 'equal_shares'),
  ('00000000-0000-4000-8030-000000000006', '00000000-0000-4000-8004-000000000040', '{"fr": "Toute la ville", "en": "Whole city"}',
    '{"fr": "<p>Des projets pour toute la ville, ouverts au vote de tous les habitants.</p>", "en": "<p>Projects for the whole city, open to every resident’s vote.</p>"}',
    400000, null, 5, 'threshold_percent', 50, 1, 1, 5, 'equal_shares')
on conflict (id) do nothing;

-- The three accepted proposals with a cost become projects of their district's budget, linked to them.
with accepted as (
  select p.id, p.title, p.body, p.cost, p.taxonomy_id, p.address, p.latitude, p.longitude, p.number,
         row_number() over (order by p.number) as n
  from public.proposals p join public.proposal_states s on s.id = p.state_id
  where p.component_id = '00000000-0000-4000-8004-000000000010' and s.token = 'accepted' and p.cost is not null
), made as (
  insert into public.projects (id, budget_id, title, description, cost, taxonomy_id, address, latitude, longitude, weight)
  select ('00000000-0000-4000-8031-' || lpad(a.n::text, 12, '0'))::uuid,
         case a.taxonomy_id
           when '00000000-0000-4000-8001-000000000011' then '00000000-0000-4000-8030-000000000001'::uuid
           when '00000000-0000-4000-8001-000000000012' then '00000000-0000-4000-8030-000000000002'::uuid
           when '00000000-0000-4000-8001-000000000013' then '00000000-0000-4000-8030-000000000003'::uuid
           when '00000000-0000-4000-8001-000000000014' then '00000000-0000-4000-8030-000000000004'::uuid
           when '00000000-0000-4000-8001-000000000015' then '00000000-0000-4000-8030-000000000005'::uuid
           else '00000000-0000-4000-8030-000000000006'::uuid end,
         jsonb_build_object('fr', a.title), jsonb_build_object('fr', a.body), a.cost::bigint, a.taxonomy_id, a.address, a.latitude, a.longitude, 0
  from accepted a
  on conflict (id) do nothing
  returning id
)
insert into public.project_links (project_id, resource_type, resource_id, title, path)
select ('00000000-0000-4000-8031-' || lpad(a.n::text, 12, '0'))::uuid, 'proposal', a.id, a.title,
       'processes/budget-participatif-2027/f/00000000-0000-4000-8004-000000000010/proposals/' || a.id
from accepted a
where exists (select 1 from public.projects x where x.id = ('00000000-0000-4000-8031-' || lpad(a.n::text, 12, '0'))::uuid)
on conflict do nothing;

-- The other projects: budget (1 to 6), theme, cost, address and point.
insert into public.projects (id, budget_id, title, description, cost, taxonomy_id, address, latitude, longitude, weight)
select ('00000000-0000-4000-8031-' || lpad(p.n::text, 12, '0'))::uuid, ('00000000-0000-4000-8030-00000000000' || p.b)::uuid,
       jsonb_build_object('fr', p.title_fr, 'en', p.title_en), jsonb_build_object('fr', '<p>' || p.body || '</p>'),
       p.cost, ('00000000-0000-4000-8001-0000000000' || p.theme)::uuid, p.address, p.lat, p.lng, p.n
from (values
  (11, 1, 'Des arceaux vélos devant les commerces', 'Bike racks outside the shops', 'Quarante arceaux le long de la rue Nationale et de la place du Marché, pour venir faire ses courses à vélo.', 12000, '21', 'Rue Nationale, Belleville-sur-Loire', 47.5008, 2.8512),
  (12, 1, 'Un jardin de pluie square Victor-Hugo', 'A rain garden in Victor-Hugo square', 'Une noue plantée qui recueille l’eau des toitures voisines et rafraîchit le square l’été.', 35000, '22', 'Square Victor-Hugo, Belleville-sur-Loire', 47.4962, 2.8508),
  (13, 1, 'De l’ombre et des bancs place du Marché', 'Shade and benches on Market square', 'Des voiles d’ombrage et huit bancs avec dossier pour les jours de marché.', 24000, '23', 'Place du Marché, Belleville-sur-Loire', 47.5033, 2.8560),
  (14, 1, 'Une boîte à livres devant la médiathèque', 'A book box outside the library', 'Une petite bibliothèque de rue fabriquée par les élèves du lycée professionnel.', 6000, '24', 'Place Jean-Jaurès, Belleville-sur-Loire', 47.5043, 2.8487),
  (15, 1, 'Trois fontaines d’eau potable', 'Three drinking fountains', 'Des fontaines à boire place du Marché, square Victor-Hugo et devant la gare.', 27000, '22', 'Place du Marché, Belleville-sur-Loire', 47.4968, 2.8550),
  (16, 1, 'Éclairer le passage des Halles', 'Lighting the Halles passage', 'Des lanternes solaires pour que le passage ne soit plus un coupe-gorge le soir.', 41000, '21', 'Rue des Halles, Belleville-sur-Loire', 47.5002, 2.8595),
  (21, 2, 'Une aire de jeux au square des Tanneurs', 'A playground in Tanneurs square', 'Des jeux pour les 2 à 8 ans sur sol souple, clôturés, avec des bancs pour les parents.', 62000, '25', 'Square des Tanneurs, Belleville-sur-Loire', 47.5045, 2.8832),
  (22, 2, 'Rénover le terrain multisport', 'Renovating the multi-sport pitch', 'Un nouveau revêtement, des filets et un éclairage jusqu’à 22 heures.', 85000, '25', 'Avenue de la Tannerie, Belleville-sur-Loire', 47.4980, 2.8750),
  (23, 2, 'Un composteur par résidence', 'A composter for each block of flats', 'Des composteurs collectifs et une formation des référents dans chaque résidence.', 9000, '22', 'Résidence des Tanneurs, Belleville-sur-Loire', 47.5055, 2.8783),
  (24, 2, 'Une fresque participative sous le pont', 'A community mural under the bridge', 'Une fresque peinte avec les habitants et un artiste du quartier.', 15000, '24', 'Passage de la Voie-Ferrée, Belleville-sur-Loire', 47.4975, 2.8825),
  (25, 2, 'Des tables de pique-nique au bord du canal', 'Picnic tables by the canal', 'Six tables et des poubelles de tri le long du chemin de halage.', 11000, '22', 'Rue du Moulin, Belleville-sur-Loire', 47.5015, 2.8853),
  (31, 3, 'Un ponton de pêche accessible', 'An accessible fishing jetty', 'Un ponton où l’on pêche en fauteuil roulant, avec un garde-corps adapté.', 48000, '25', 'Quai de Loire, Belleville-sur-Loire', 47.4840, 2.8500),
  (32, 3, 'Des nichoirs et un sentier nature', 'Nest boxes and a nature trail', 'Vingt nichoirs et des panneaux pour découvrir les oiseaux de la Loire.', 14000, '22', 'Île aux Castors, Belleville-sur-Loire', 47.4812, 2.8545),
  (33, 3, 'Une guinguette éphémère l’été', 'A pop-up riverside café in summer', 'Un lieu convivial tenu par des associations, de juin à septembre.', 30000, '24', 'Plage de la Loire, Belleville-sur-Loire', 47.4864, 2.8437),
  (34, 3, 'Des toilettes sèches près de la plage', 'Dry toilets near the beach', 'Des toilettes sans eau ni raccordement, entretenues par la ville.', 22000, '23', 'Plage de la Loire, Belleville-sur-Loire', 47.4808, 2.8509),
  (35, 3, 'Un abri à vélos à la base nautique', 'A bike shelter at the sailing centre', 'Un abri couvert de vingt places pour les sportifs et les promeneurs.', 16000, '21', 'Base nautique, Belleville-sur-Loire', 47.4868, 2.8554),
  (41, 4, 'Un verger partagé dans le parc', 'A shared orchard in the park', 'Des pommiers, poiriers et pruniers de variétés anciennes, entretenus avec les écoles.', 26000, '22', 'Parc de la Croix-Verte, Belleville-sur-Loire', 47.5198, 2.8560),
  (42, 4, 'Des abris aux arrêts de bus', 'Shelters at the bus stops', 'Des abris avec un banc et un plan du réseau aux quatre arrêts du quartier.', 54000, '21', 'Boulevard du Nord, Belleville-sur-Loire', 47.5142, 2.8550),
  (43, 4, 'Des ateliers numériques pour les seniors', 'Digital workshops for older people', 'Une salle équipée d’ordinateurs et des bénévoles deux après-midis par semaine.', 19000, '23', 'Maison des associations, Belleville-sur-Loire', 47.5194, 2.8430),
  (44, 4, 'Rénover les jeux du parc', 'Renovating the park’s playground', 'Des jeux accessibles aux enfants en situation de handicap, sur sol souple.', 70000, '25', 'Parc de la Croix-Verte, Belleville-sur-Loire', 47.5146, 2.8440),
  (45, 4, 'Une rue aux écoles rue Pasteur', 'A school street on rue Pasteur', 'La rue fermée aux voitures aux heures d’école, avec des barrières et des bacs plantés.', 33000, '21', 'Rue Pasteur, Belleville-sur-Loire', 47.5174, 2.8590),
  (46, 4, 'Éclairer le chemin du collège', 'Lighting the path to the school', 'Des bornes lumineuses basses et sobres pour les trajets d’hiver.', 29000, '21', 'Chemin du Collège, Belleville-sur-Loire', 47.5138, 2.8510),
  (51, 5, 'Une mare pédagogique à l’école', 'A school pond', 'Une petite mare clôturée pour observer libellules et grenouilles.', 12000, '22', 'École Saint-Martin, Belleville-sur-Loire', 47.4990, 2.8220),
  (52, 5, 'Des bandes cyclables route de Vierzon', 'Cycle lanes on the Vierzon road', 'Des bandes larges et un séparateur jusqu’au rond-point.', 68000, '21', 'Route de Vierzon, Belleville-sur-Loire', 47.5025, 2.8256),
  (53, 5, 'Des bancs le long du chemin de Saint-Martin', 'Benches along the Saint-Martin path', 'Quatre bancs pour faire une pause dans la montée vers l’église.', 8000, '23', 'Chemin de Saint-Martin, Belleville-sur-Loire', 47.5020, 2.8178),
  (54, 5, 'Un jardin d’aromatiques place de l’Église', 'A herb garden on Church square', 'Des bacs de thym, romarin et menthe où chacun peut se servir.', 5000, '22', 'Place de l’Église, Belleville-sur-Loire', 47.4960, 2.8184),
  (55, 5, 'Refaire les trottoirs de la rue des Vignes', 'New pavements on rue des Vignes', 'Des trottoirs praticables en poussette et en fauteuil, en gardant les arbres.', 57000, '21', 'Rue des Vignes, Belleville-sur-Loire', 47.4995, 2.8274),
  (56, 5, 'Une salle de musique pour les jeunes', 'A music room for young people', 'Une salle insonorisée et équipée, ouverte aux groupes du quartier.', 40000, '25', 'Rue de la Salle-des-Fêtes, Belleville-sur-Loire', 47.4955, 2.8250),
  (61, 6, 'Un festival des quartiers', 'A festival of the districts', 'Un week-end de fête, chaque quartier tenant une scène et des stands.', 45000, '24', null, null, null),
  (62, 6, 'Une ressourcerie municipale', 'A municipal reuse centre', 'Un lieu où l’on donne, répare et achète à petit prix meubles et objets.', 120000, '23', 'Zone des Varennes, Belleville-sur-Loire', 47.5060, 2.8400),
  (63, 6, 'Végétaliser les cours d’école', 'Greening the school playgrounds', 'Remplacer le bitume de quatre cours par des arbres, du sable et des jeux en bois.', 150000, '22', null, null, null),
  (64, 6, 'Une navette électrique le week-end', 'An electric shuttle at weekends', 'Une navette gratuite entre les quartiers et le centre le samedi et le dimanche.', 90000, '21', null, null, null),
  (65, 6, 'Des défibrillateurs dans tous les quartiers', 'Defibrillators in every district', 'Douze défibrillateurs accessibles jour et nuit, et des formations aux premiers secours.', 36000, '23', null, null, null),
  (66, 6, 'Un plan de circulation apaisée', 'A calmer traffic plan', 'Des zones à 30 km/h et des rues partagées autour des écoles.', 60000, '21', null, null, null),
  (67, 6, 'Des ateliers de réparation de vélos', 'Bike repair workshops', 'Un atelier mobile qui passe chaque mois dans chaque quartier.', 22000, '21', null, null, null),
  (68, 6, 'Une carte des arbres remarquables', 'A map of remarkable trees', 'Un inventaire participatif et des panneaux devant les arbres remarquables.', 8000, '22', null, null, null)
) as p (n, b, title_fr, title_en, body, cost, theme, address, lat, lng)
on conflict (id) do nothing;

-- ---------------------------------------------------------------------------------------------
-- The census: the demo accounts and the residents, plus residents who have no account yet.
-- Identifiers BL-2026-NNNN; Léa (lea.dupont@…) is in it but not verified yet: she can try the
-- verification page with BL-2026-0004, born on 21/03/2001.
-- ---------------------------------------------------------------------------------------------

insert into public.census_uploads (id, uploaded_by, file_name, lines_read, lines_added, created_at, finished_at)
values ('00000000-0000-4000-8034-000000000001', '00000000-0000-4000-8000-000000000001', 'recensement-2026.csv', 60, 60,
        '2026-10-20 10:00:00+02', '2026-10-20 10:00:05+02')
on conflict (id) do nothing;

with people (n, born, district) as (
  values
    (1, date '1975-01-30', '11'), (2, date '1988-05-14', '12'), (3, date '1979-09-02', '11'), (4, date '2001-03-21', '13'),
    (101, date '1983-02-11', '11'), (102, date '1969-07-23', '11'), (103, date '1992-12-01', '11'),
    (104, date '1958-04-17', '12'), (105, date '1990-08-08', '12'), (106, date '1977-03-03', '12'),
    (107, date '1985-10-10', '13'), (108, date '1999-06-30', '13'), (109, date '1962-01-19', '13'),
    (110, date '1981-11-11', '14'), (111, date '1974-05-25', '14'), (112, date '1995-09-14', '14'),
    (113, date '1987-02-28', '15'), (114, date '1971-12-24', '15'), (115, date '2003-07-07', '15'), (116, date '1966-03-15', '15')
), others as (
  select 1000 + g as n, date '1950-01-01' + (g * 397) % 20000 as born, (11 + g % 5)::text as district from generate_series(1, 40) g
)
insert into public.census_lines (id, hash, district_id, upload_id, created_at)
select ('00000000-0000-4000-8033-' || lpad(x.n::text, 12, '0'))::uuid,
       private.census_hash('BL-2026-' || lpad(x.n::text, 4, '0'), x.born),
       ('00000000-0000-4000-8001-0000000000' || x.district)::uuid, '00000000-0000-4000-8034-000000000001', '2026-10-20 10:00:00+02'
from (select * from people union all select * from others) x
on conflict (id) do nothing;

-- Camille, Karim and the residents verified themselves against it (each claimed their own line).
insert into public.verifications (id, user_id, method, district_id, census_line_id, created_at)
select ('00000000-0000-4000-8033-' || lpad((5000 + n)::text, 12, '0'))::uuid, ('00000000-0000-4000-8000-' || lpad(n::text, 12, '0'))::uuid,
       'census', l.district_id, l.id, '2026-11-02 12:00:00+01'
from unnest(array[2, 3, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116]) n
join public.census_lines l on l.id = ('00000000-0000-4000-8033-' || lpad(n::text, 12, '0'))::uuid
on conflict do nothing;

-- ---------------------------------------------------------------------------------------------
-- Ballots: each within its budget's rule; most checked out, some in progress (the space shows
-- Camille her unconfirmed vote in Les Tanneurs).
-- ---------------------------------------------------------------------------------------------

with ballots (n, person, budget, projects, checked_out) as (
  values
    (1, 101, 1, array[1, 11], true), (2, 102, 1, array[12, 13, 15, 16, 14, 11], true), (3, 103, 1, array[1, 13], true),
    (4, 3, 1, array[12, 16, 15, 13, 11, 14], true),
    (5, 104, 2, array[2, 21], true), (6, 105, 2, array[21, 22], true), (7, 106, 2, array[2, 23, 24], true), (8, 2, 2, array[2, 21], false),
    (9, 107, 3, array[3, 32], true), (10, 108, 3, array[31, 33, 34], true), (11, 109, 3, array[3, 31, 35], false),
    (12, 110, 4, array[41, 45], true), (13, 111, 4, array[42], false), (14, 112, 4, array[44, 41, 46], true),
    (15, 113, 5, array[52, 53], true), (16, 114, 5, array[55, 51, 54], true), (17, 115, 5, array[56, 51, 54, 53], false),
    (18, 116, 5, array[52, 56, 51], true),
    (19, 101, 6, array[63, 61, 65], true), (20, 102, 6, array[62, 64], true), (21, 104, 6, array[63, 66, 67], true),
    (22, 107, 6, array[65, 68, 67, 63], true), (23, 110, 6, array[64, 66, 61], false)
), made as (
  insert into public.ballots (id, budget_id, user_id, created_at)
  select ('00000000-0000-4000-8032-' || lpad(b.n::text, 12, '0'))::uuid, ('00000000-0000-4000-8030-00000000000' || b.budget)::uuid,
         ('00000000-0000-4000-8000-' || lpad(b.person::text, 12, '0'))::uuid, timestamptz '2026-11-20 18:00:00+01' + b.n * interval '3 hours'
  from ballots b
  on conflict do nothing
  returning id
)
insert into public.ballot_lines (ballot_id, project_id)
select ('00000000-0000-4000-8032-' || lpad(b.n::text, 12, '0'))::uuid, ('00000000-0000-4000-8031-' || lpad(p::text, 12, '0'))::uuid
from ballots b cross join unnest(b.projects) p
where exists (select 1 from made m where m.id = ('00000000-0000-4000-8032-' || lpad(b.n::text, 12, '0'))::uuid)
on conflict do nothing;

-- Checked out (the counts follow), with the voter's district for the statistics.
update public.ballots b
set checked_out_at = b.created_at + interval '20 minutes', district_id = v.district_id
from public.verifications v
where v.user_id = b.user_id and v.method = 'census'
  and b.id in (select ('00000000-0000-4000-8032-' || lpad(n::text, 12, '0'))::uuid
               from unnest(array[1, 2, 3, 4, 5, 6, 7, 9, 10, 12, 14, 15, 16, 18, 19, 20, 21, 22]) n)
  and b.checked_out_at is null;

-- ---------------------------------------------------------------------------------------------
-- Last year's vote, imported (closed to votes): 150 anonymous ballots, tallied greedily and
-- confirmed, so that its results page shows what a published tally looks like.
-- ---------------------------------------------------------------------------------------------

insert into public.budgets (id, component_id, title, description, total_budget, weight, vote_rule, threshold_percent, selection_method, imported)
values ('00000000-0000-4000-8030-000000000007', '00000000-0000-4000-8004-000000000040',
  '{"fr": "Budget participatif 2026 (archives)", "en": "Participatory budget 2026 (archive)"}',
  '{"fr": "<p>Le vote de l’an dernier, importé pour mémoire : 150 votants, 300 000 €.</p>", "en": "<p>Last year’s vote, imported for the record: 150 voters, €300,000.</p>"}',
  300000, 9, 'threshold_percent', 50, 'greedy',
  '{"description": "Budget participatif 2026", "country": "France", "unit": "Belleville-sur-Loire", "instance": "2026", "budget": "300000", "vote_type": "approval", "rule": "greedy"}')
on conflict (id) do nothing;

insert into public.projects (id, budget_id, title, cost, source_ref, weight)
select ('00000000-0000-4000-8031-0000000001' || lpad(p.n::text, 2, '0'))::uuid, '00000000-0000-4000-8030-000000000007',
       jsonb_build_object('fr', p.title), p.cost, p.n::text, p.n
from (values
  (1, 'Rénovation du city-stade des Tanneurs', 90000), (2, 'Un jardin pédagogique à l’école Pasteur', 25000),
  (3, 'Des pistes cyclables quai de Loire', 120000), (4, 'Une fresque au skatepark', 15000),
  (5, 'Des ruches sur le toit de la mairie', 8000), (6, 'Un espace de jeux d’eau', 75000),
  (7, 'Des bancs le long du mail', 30000), (8, 'Une boîte à dons', 5000)
) as p (n, title, cost)
on conflict (id) do nothing;

do $$
declare
  budget constant uuid := '00000000-0000-4000-8030-000000000007';
  total_spent bigint := 0;
  r record;
  n integer := 0;
begin
  if exists (select 1 from public.budget_tallies where budget_id = budget) then
    return;
  end if;
  insert into public.ballots (id, budget_id, user_id, voter_ref, checked_out_at, created_at)
  select ('00000000-0000-4000-8032-0000000010' || lpad(v::text, 2, '0'))::uuid, budget, null, v::text,
         timestamptz '2026-03-01 12:00:00+01' + v * interval '1 hour', timestamptz '2026-03-01 12:00:00+01'
  from generate_series(1, 99) v;
  insert into public.ballots (id, budget_id, user_id, voter_ref, checked_out_at, created_at)
  select ('00000000-0000-4000-8032-000000001' || lpad(v::text, 3, '0'))::uuid, budget, null, v::text,
         timestamptz '2026-03-01 12:00:00+01' + v * interval '1 hour', timestamptz '2026-03-01 12:00:00+01'
  from generate_series(100, 150) v;
  -- Each ballot holds the projects its number picks, the first ones more often.
  insert into public.ballot_lines (ballot_id, project_id)
  select b.id, p.id from public.ballots b join public.projects p on p.budget_id = b.budget_id
  where b.budget_id = budget and (b.voter_ref::int * 7 + p.weight * 13) % 10 < 9 - p.weight;
  update public.projects p set votes_count = (select count(*) from public.ballot_lines l where l.project_id = p.id) where p.budget_id = budget;
  insert into public.budget_tallies (budget_id, component_id, method, voters, spent, computed_at, confirmed_at, confirmed_by)
  values (budget, '00000000-0000-4000-8004-000000000040', 'greedy', 150, 0, timestamptz '2026-03-20 09:00:00+01',
          timestamptz '2026-03-21 10:00:00+01', '00000000-0000-4000-8000-000000000001');
  -- Greedy by votes, the cheaper first on a tie: what the budgets.tally job computes.
  for r in select p.id, p.cost, p.votes_count from public.projects p where p.budget_id = budget order by p.votes_count desc, p.cost, p.id loop
    n := n + 1;
    insert into public.budget_results (budget_id, project_id, votes, score, rank, proposed, paid_by)
    values (budget, r.id, r.votes_count, r.votes_count, n, r.votes_count > 0 and total_spent + r.cost <= 300000,
            case when r.votes_count > 0 and total_spent + r.cost <= 300000 then 'greedy' end);
    if r.votes_count > 0 and total_spent + r.cost <= 300000 then
      total_spent := total_spent + r.cost;
    end if;
  end loop;
  update public.budget_tallies t set spent = total_spent where t.budget_id = budget;
  update public.projects p set selected_at = timestamptz '2026-03-21 10:00:00+01'
  where p.budget_id = budget and exists (select 1 from public.budget_results x where x.project_id = p.id and x.proposed);
end $$;
