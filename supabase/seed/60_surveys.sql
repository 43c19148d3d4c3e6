-- Surveys: "Votre quartier et vous", a survey of the participatory budget (phase 2, open to
-- answers, anonymous, visitors allowed once per browser, terms to accept), using every question
-- type on three pages and a display condition, with 300 answers (the sixteen residents and
-- visitors) submitted through form_submit, so every rule and count of the forms library holds.
-- Fixed ids: the component …-8004-000000000030; the questionnaire and its questions
-- …-8020-…, options …-8021-…, matrix rows and the condition …-8022-….

insert into public.components (id, space_id, feature, name, weight, published_at, settings, phase_settings) values
  ('00000000-0000-4000-8004-000000000030', '00000000-0000-4000-8002-000000000001', 'surveys',
   '{"fr": "Votre quartier et vous", "en": "You and your neighbourhood"}', 3, '2026-11-02 09:00:00+01', '{}',
   '{"00000000-0000-4000-8003-000000000001": {},
     "00000000-0000-4000-8003-000000000002": {"allow_answers": true, "allow_unregistered": true, "anonymous": true,
       "terms": {"fr": "<p>Vos réponses servent uniquement à préparer le budget participatif. Elles sont anonymes et ne sont publiées que sous forme de résultats agrégés.</p>",
                 "en": "<p>Your answers are used only to prepare the participatory budget. They are anonymous and published only as aggregated results.</p>"}},
     "00000000-0000-4000-8003-000000000003": {},
     "00000000-0000-4000-8003-000000000004": {}}');

-- The component's trigger made the survey and its questionnaire: give the questionnaire its fixed id.
update public.form_questionnaires set id = '00000000-0000-4000-8020-000000000000',
  title = '{"fr": "Votre quartier et vous", "en": "You and your neighbourhood"}',
  description = '{"fr": "<p>Dix minutes pour nous dire comment vous vivez votre quartier et ce qui devrait y changer en priorité. Les résultats sont publiés en direct.</p>", "en": "<p>Ten minutes to tell us how you live in your neighbourhood and what should change first. Results are published live.</p>"}'
where owner_type = 'survey' and owner_id = '00000000-0000-4000-8004-000000000030';

insert into public.form_questions (id, questionnaire_id, position, kind, body, description, mandatory, max_choices, max_characters, scale_max, scale_min_label, scale_max_label) values
  ('00000000-0000-4000-8020-000000000001', '00000000-0000-4000-8020-000000000000', 1, 'title_and_description',
   '{"fr": "Vous et votre quartier", "en": "You and your neighbourhood"}',
   '{"fr": "<p>Quelques questions sur l’endroit où vous vivez.</p>", "en": "<p>A few questions about where you live.</p>"}', false, null, null, null, '{}', '{}'),
  ('00000000-0000-4000-8020-000000000002', '00000000-0000-4000-8020-000000000000', 2, 'single_option',
   '{"fr": "Dans quel quartier habitez-vous ?", "en": "Which neighbourhood do you live in?"}', '{}', true, null, null, null, '{}', '{}'),
  ('00000000-0000-4000-8020-000000000003', '00000000-0000-4000-8020-000000000000', 3, 'scale',
   '{"fr": "Êtes-vous satisfait·e de la vie dans votre quartier ?", "en": "How satisfied are you with life in your neighbourhood?"}', '{}', true, null, null, 5,
   '{"fr": "Pas du tout", "en": "Not at all"}', '{"fr": "Tout à fait", "en": "Completely"}'),
  ('00000000-0000-4000-8020-000000000004', '00000000-0000-4000-8020-000000000000', 4, 'multiple_option',
   '{"fr": "Qu’aimeriez-vous voir davantage près de chez vous ?", "en": "What would you like to see more of near your home?"}',
   '{"fr": "<p>Trois choix au plus.</p>", "en": "<p>Three choices at most.</p>"}', false, 3, null, null, '{}', '{}'),
  ('00000000-0000-4000-8020-000000000005', '00000000-0000-4000-8020-000000000000', 5, 'separator', '{}', '{}', false, null, null, null, '{}', '{}'),
  ('00000000-0000-4000-8020-000000000006', '00000000-0000-4000-8020-000000000000', 6, 'sorting',
   '{"fr": "Classez ces scénarios pour la place du Marché", "en": "Rank these scenarios for the Market square"}', '{}', false, null, null, null, '{}', '{}'),
  ('00000000-0000-4000-8020-000000000007', '00000000-0000-4000-8020-000000000000', 7, 'matrix_single',
   '{"fr": "Comment jugez-vous ces services dans votre quartier ?", "en": "How do you rate these services in your neighbourhood?"}', '{}', true, null, null, null, '{}', '{}'),
  ('00000000-0000-4000-8020-000000000008', '00000000-0000-4000-8020-000000000000', 8, 'matrix_multiple',
   '{"fr": "Quand fréquentez-vous ces lieux ?", "en": "When do you go to these places?"}', '{}', false, null, null, null, '{}', '{}'),
  ('00000000-0000-4000-8020-000000000009', '00000000-0000-4000-8020-000000000000', 9, 'single_option',
   '{"fr": "Vous déplacez-vous à vélo ?", "en": "Do you get around by bike?"}', '{}', true, null, null, null, '{}', '{}'),
  ('00000000-0000-4000-8020-000000000010', '00000000-0000-4000-8020-000000000000', 10, 'short_answer',
   '{"fr": "Qu’est-ce qui vous en empêche ?", "en": "What keeps you from it?"}', '{}', false, null, 200, null, '{}', '{}'),
  ('00000000-0000-4000-8020-000000000011', '00000000-0000-4000-8020-000000000000', 11, 'separator', '{}', '{}', false, null, null, null, '{}', '{}'),
  ('00000000-0000-4000-8020-000000000012', '00000000-0000-4000-8020-000000000000', 12, 'long_answer',
   '{"fr": "Une idée pour votre quartier ?", "en": "An idea for your neighbourhood?"}', '{}', false, null, 2000, null, '{}', '{}'),
  ('00000000-0000-4000-8020-000000000013', '00000000-0000-4000-8020-000000000000', 13, 'short_answer',
   '{"fr": "Un mot pour décrire votre quartier", "en": "One word to describe your neighbourhood"}', '{}', false, null, 40, null, '{}', '{}');

insert into public.form_options (id, question_id, position, body, free_text) values
  ('00000000-0000-4000-8021-000000000021', '00000000-0000-4000-8020-000000000002', 1, '{"fr": "Centre-ville", "en": "Town centre"}', false),
  ('00000000-0000-4000-8021-000000000022', '00000000-0000-4000-8020-000000000002', 2, '{"fr": "Les Tanneurs", "en": "Les Tanneurs"}', false),
  ('00000000-0000-4000-8021-000000000023', '00000000-0000-4000-8020-000000000002', 3, '{"fr": "Bords de Loire", "en": "Loire riverside"}', false),
  ('00000000-0000-4000-8021-000000000024', '00000000-0000-4000-8020-000000000002', 4, '{"fr": "La Croix-Verte", "en": "La Croix-Verte"}', false),
  ('00000000-0000-4000-8021-000000000025', '00000000-0000-4000-8020-000000000002', 5, '{"fr": "Saint-Martin", "en": "Saint-Martin"}', false),
  ('00000000-0000-4000-8021-000000000041', '00000000-0000-4000-8020-000000000004', 1, '{"fr": "Des bancs", "en": "Benches"}', false),
  ('00000000-0000-4000-8021-000000000042', '00000000-0000-4000-8020-000000000004', 2, '{"fr": "Des arbres et de l’ombre", "en": "Trees and shade"}', false),
  ('00000000-0000-4000-8021-000000000043', '00000000-0000-4000-8020-000000000004', 3, '{"fr": "Des pistes cyclables", "en": "Cycle lanes"}', false),
  ('00000000-0000-4000-8021-000000000044', '00000000-0000-4000-8020-000000000004', 4, '{"fr": "Des aires de jeux", "en": "Playgrounds"}', false),
  ('00000000-0000-4000-8021-000000000045', '00000000-0000-4000-8020-000000000004', 5, '{"fr": "Des toilettes publiques", "en": "Public toilets"}', false),
  ('00000000-0000-4000-8021-000000000046', '00000000-0000-4000-8020-000000000004', 6, '{"fr": "Autre", "en": "Other"}', true),
  ('00000000-0000-4000-8021-000000000061', '00000000-0000-4000-8020-000000000006', 1, '{"fr": "Une place entièrement piétonne", "en": "A fully pedestrian square"}', false),
  ('00000000-0000-4000-8021-000000000062', '00000000-0000-4000-8020-000000000006', 2, '{"fr": "Une zone de rencontre à 20 km/h", "en": "A 20 km/h shared space"}', false),
  ('00000000-0000-4000-8021-000000000063', '00000000-0000-4000-8020-000000000006', 3, '{"fr": "La place actuelle, plus verte", "en": "The square as it is, greener"}', false),
  ('00000000-0000-4000-8021-000000000071', '00000000-0000-4000-8020-000000000007', 1, '{"fr": "Très bien", "en": "Very good"}', false),
  ('00000000-0000-4000-8021-000000000072', '00000000-0000-4000-8020-000000000007', 2, '{"fr": "Bien", "en": "Good"}', false),
  ('00000000-0000-4000-8021-000000000073', '00000000-0000-4000-8020-000000000007', 3, '{"fr": "Moyen", "en": "Fair"}', false),
  ('00000000-0000-4000-8021-000000000074', '00000000-0000-4000-8020-000000000007', 4, '{"fr": "Mal", "en": "Poor"}', false),
  ('00000000-0000-4000-8021-000000000081', '00000000-0000-4000-8020-000000000008', 1, '{"fr": "Le matin", "en": "Morning"}', false),
  ('00000000-0000-4000-8021-000000000082', '00000000-0000-4000-8020-000000000008', 2, '{"fr": "L’après-midi", "en": "Afternoon"}', false),
  ('00000000-0000-4000-8021-000000000083', '00000000-0000-4000-8020-000000000008', 3, '{"fr": "Le soir", "en": "Evening"}', false),
  ('00000000-0000-4000-8021-000000000091', '00000000-0000-4000-8020-000000000009', 1, '{"fr": "Oui, souvent", "en": "Yes, often"}', false),
  ('00000000-0000-4000-8021-000000000092', '00000000-0000-4000-8020-000000000009', 2, '{"fr": "De temps en temps", "en": "Now and then"}', false),
  ('00000000-0000-4000-8021-000000000093', '00000000-0000-4000-8020-000000000009', 3, '{"fr": "Jamais", "en": "Never"}', false);

insert into public.form_matrix_rows (id, question_id, position, body) values
  ('00000000-0000-4000-8022-000000000071', '00000000-0000-4000-8020-000000000007', 1, '{"fr": "La propreté", "en": "Cleanliness"}'),
  ('00000000-0000-4000-8022-000000000072', '00000000-0000-4000-8020-000000000007', 2, '{"fr": "L’éclairage", "en": "Street lighting"}'),
  ('00000000-0000-4000-8022-000000000073', '00000000-0000-4000-8020-000000000007', 3, '{"fr": "Les transports en commun", "en": "Public transport"}'),
  ('00000000-0000-4000-8022-000000000074', '00000000-0000-4000-8020-000000000007', 4, '{"fr": "La sécurité", "en": "Safety"}'),
  ('00000000-0000-4000-8022-000000000081', '00000000-0000-4000-8020-000000000008', 1, '{"fr": "Le parc", "en": "The park"}'),
  ('00000000-0000-4000-8022-000000000082', '00000000-0000-4000-8020-000000000008', 2, '{"fr": "Le marché", "en": "The market"}'),
  ('00000000-0000-4000-8022-000000000083', '00000000-0000-4000-8020-000000000008', 3, '{"fr": "La médiathèque", "en": "The library"}');

-- "What keeps you from it?" only for those who never cycle.
insert into public.form_conditions (id, question_id, condition_question_id, kind, option_id, mandatory) values
  ('00000000-0000-4000-8022-000000000100', '00000000-0000-4000-8020-000000000010', '00000000-0000-4000-8020-000000000009', 'equal',
   '00000000-0000-4000-8021-000000000093', true);

-- 300 answers: the sixteen residents (signed in; the phase is anonymous, so stored without them)
-- and 284 visitors (a browser token each, spread over many addresses), drawn with a fixed seed.
-- Each goes through form_submit as its author would, so the counts and rules are the real ones.
do $$
declare
  i integer;
  people uuid[] := array(select p.id from public.profiles p where p.id::text like '00000000-0000-4000-8000-0000000001__' order by p.id);
  district integer;
  bike integer;
  picks jsonb;
  answers jsonb;
  ideas text[] := array['Plus de bancs à l’ombre près des écoles.', 'Un marché bio le mercredi soir.', 'Des fontaines à eau dans le parc.',
                        'Fermer la rue aux voitures le dimanche.', 'Un atelier de réparation de vélos.', 'Plus de poubelles de tri.',
                        'Un jardin partagé derrière la médiathèque.', 'Des concerts gratuits l’été.'];
  words text[] := array['Vivant', 'Calme', 'Familial', 'Vert', 'Bruyant', 'Solidaire', 'Animé', 'Paisible'];
  obstacles text[] := array['Trop de voitures', 'Pas de parking à vélos', 'Les côtes', 'Je n’ai pas de vélo'];
begin
  perform setseed(0.2027);
  for i in 1..300 loop
    district := 1 + floor(random() * 5)::int;
    bike := case when random() < 0.35 then 1 when random() < 0.6 then 2 else 3 end;
    select coalesce(jsonb_agg(jsonb_build_object('option', o) || case when o = '00000000-0000-4000-8021-000000000046' then '{"free_text": "Un kiosque à musique"}'::jsonb else '{}'::jsonb end), '[]')
      into picks
    from (select o from unnest(array['00000000-0000-4000-8021-000000000041', '00000000-0000-4000-8021-000000000042', '00000000-0000-4000-8021-000000000043',
                                     '00000000-0000-4000-8021-000000000044', '00000000-0000-4000-8021-000000000045', '00000000-0000-4000-8021-000000000046']) o
          order by random() limit floor(random() * 4)::int) x;
    answers := jsonb_build_object(
      '00000000-0000-4000-8020-000000000002', jsonb_build_object('choices', jsonb_build_array(jsonb_build_object('option', format('00000000-0000-4000-8021-00000000002%s', district)))),
      '00000000-0000-4000-8020-000000000003', jsonb_build_object('value', least(5, 1 + floor(random() * 3 + random() * 3)::int)),
      '00000000-0000-4000-8020-000000000006', jsonb_build_object('ranking', (
        select jsonb_agg(o order by random()) from unnest(array['00000000-0000-4000-8021-000000000061', '00000000-0000-4000-8021-000000000062', '00000000-0000-4000-8021-000000000063']) o)),
      '00000000-0000-4000-8020-000000000007', jsonb_build_object('rows', (
        select jsonb_object_agg(r, jsonb_build_array(format('00000000-0000-4000-8021-00000000007%s', 1 + floor(random() * 4)::int)))
        from unnest(array['00000000-0000-4000-8022-000000000071', '00000000-0000-4000-8022-000000000072', '00000000-0000-4000-8022-000000000073', '00000000-0000-4000-8022-000000000074']) r)),
      '00000000-0000-4000-8020-000000000008', jsonb_build_object('rows', (
        select jsonb_object_agg(r, (select jsonb_agg(format('00000000-0000-4000-8021-00000000008%s', t)) from generate_series(1, 3) t where random() < 0.4))
        from unnest(array['00000000-0000-4000-8022-000000000081', '00000000-0000-4000-8022-000000000082', '00000000-0000-4000-8022-000000000083']) r)),
      '00000000-0000-4000-8020-000000000009', jsonb_build_object('choices', jsonb_build_array(jsonb_build_object('option', format('00000000-0000-4000-8021-00000000009%s', bike)))));
    -- Rows nobody ticked are no answer (form_normalize drops them; jsonb_object_agg kept nulls).
    answers := jsonb_set(answers, '{00000000-0000-4000-8020-000000000008,rows}',
      coalesce((select jsonb_object_agg(k, v) from jsonb_each(answers #> '{00000000-0000-4000-8020-000000000008,rows}') e(k, v) where jsonb_typeof(v) = 'array'), '{}'));
    if jsonb_array_length(picks) > 0 then
      answers := answers || jsonb_build_object('00000000-0000-4000-8020-000000000004', jsonb_build_object('choices', picks));
    end if;
    if bike = 3 and random() < 0.7 then
      answers := answers || jsonb_build_object('00000000-0000-4000-8020-000000000010', jsonb_build_object('text', obstacles[1 + floor(random() * 4)::int]));
    end if;
    if random() < 0.3 then
      answers := answers || jsonb_build_object('00000000-0000-4000-8020-000000000012', jsonb_build_object('text', ideas[1 + floor(random() * 8)::int]));
    end if;
    if random() < 0.5 then
      answers := answers || jsonb_build_object('00000000-0000-4000-8020-000000000013', jsonb_build_object('text', words[1 + floor(random() * 8)::int]));
    end if;
    if i <= cardinality(people) then
      perform set_config('request.jwt.claims', jsonb_build_object('role', 'authenticated', 'sub', people[i])::text, true);
      perform public.form_submit('00000000-0000-4000-8020-000000000000', answers, null, true, 'fr');
    else
      perform set_config('request.jwt.claims', '{"role": "anon"}', true);
      perform set_config('request.headers', jsonb_build_object('x-forwarded-for', format('198.51.100.%s', i % 200))::text, true);
      perform public.form_submit('00000000-0000-4000-8020-000000000000', answers, md5('seed-visitor-' || i) || md5('browser-' || i), true, case when i % 7 = 0 then 'en' else 'fr' end);
    end if;
  end loop;
  perform set_config('request.jwt.claims', '', true);
  perform set_config('request.headers', '', true);
end $$;

-- The results of the choice questions are published, live while answers are open.
update public.form_questionnaires set results_published_at = '2026-11-03 09:00:00+01', results_live = true
where id = '00000000-0000-4000-8020-000000000000';
update public.form_questions set results_published = true
where questionnaire_id = '00000000-0000-4000-8020-000000000000' and kind in ('single_option', 'multiple_option', 'sorting', 'matrix_single', 'matrix_multiple', 'scale');
