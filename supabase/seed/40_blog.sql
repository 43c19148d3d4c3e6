-- The news of "Budget participatif 2027" (the `blog` component): posts by the organization, one
-- signed by the admin herself, one scheduled for next week (only the space's team sees it until
-- then), comments and likes from residents. Ids in the 8040 block (posts), 8041 (comments).

insert into public.components (id, space_id, feature, name, weight, published_at, settings, phase_settings) values
  ('00000000-0000-4000-8004-000000000050', '00000000-0000-4000-8002-000000000001', 'blog',
   '{"fr": "Actualités", "en": "News"}', 5, now() - interval '20 days',
   '{"creation_enabled": false, "comments_enabled": true, "comments_max_length": 1000, "likes_enabled": true}', '{}');

insert into public.blog_posts (id, component_id, author_id, created_by, title, body, published_at, created_at, updated_at) values
  ('00000000-0000-4000-8040-000000000001', '00000000-0000-4000-8004-000000000050', null, '00000000-0000-4000-8000-000000000001',
   '{"fr": "Le budget participatif 2027 est lancé", "en": "The 2027 participatory budget is open"}',
   '{"fr": "<p>Cette année, <strong>1,2 million d’euros</strong> du budget d’investissement sont confiés aux habitantes et aux habitants.</p><p>Jusqu’à la fin de la phase de dépôt, chacun peut proposer un projet pour son quartier : aménagements, nature en ville, mobilités, équipements sportifs ou culturels.</p><ul><li>Déposez vos idées en ligne ;</li><li>venez en parler lors des ateliers de quartier ;</li><li>suivez l’avancement ici même.</li></ul>",
     "en": "<p>This year, <strong>€1.2 million</strong> of the investment budget is entrusted to residents.</p><p>Until the end of the submission phase, anyone can propose a project for their neighbourhood.</p>"}',
   now() - interval '18 days', now() - interval '18 days', now() - interval '18 days'),
  ('00000000-0000-4000-8040-000000000002', '00000000-0000-4000-8004-000000000050', null, '00000000-0000-4000-8000-000000000001',
   '{"fr": "Ateliers de quartier : le calendrier"}',
   '{"fr": "<p>Six ateliers sont organisés dans les maisons de quartier pour vous aider à préparer vos propositions, avec les services techniques de la Ville.</p><h2>Dates</h2><ul><li>Centre-ville : mardi 18 h 30, salle des fêtes ;</li><li>Les Rives : jeudi 18 h 30, maison de quartier ;</li><li>Le Plateau : samedi 10 h, médiathèque.</li></ul><p>Entrée libre, sans inscription.</p>"}',
   now() - interval '12 days', now() - interval '12 days', now() - interval '12 days'),
  ('00000000-0000-4000-8040-000000000003', '00000000-0000-4000-8004-000000000050', '00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000001',
   '{"fr": "Déjà plus de trente propositions : merci !"}',
   '{"fr": "<p>Vous êtes nombreuses et nombreux à avoir déposé une proposition : pistes cyclables, jardins partagés, aires de jeux… Les services de la Ville commencent l’analyse de faisabilité.</p><p>Pensez à soutenir les propositions qui vous tiennent à cœur et à en débattre dans les commentaires.</p>"}',
   now() - interval '3 days', now() - interval '3 days', now() - interval '3 days'),
  ('00000000-0000-4000-8040-000000000004', '00000000-0000-4000-8004-000000000050', null, '00000000-0000-4000-8000-000000000001',
   '{"fr": "Ouverture du vote : mode d’emploi"}',
   '{"fr": "<p>Le vote ouvrira avec la phase 3. Chaque habitante et chaque habitant de plus de 16 ans pourra choisir ses projets préférés dans la limite de l’enveloppe.</p>"}',
   now() + interval '7 days', now() - interval '1 day', now() - interval '1 day');

insert into public.comments (id, resource_type, resource_id, author_id, body, created_at, updated_at) values
  ('00000000-0000-4000-8041-000000000001', 'blog_post', '00000000-0000-4000-8040-000000000002', '00000000-0000-4000-8000-000000000002',
   'Merci pour ces dates ! Est-ce qu’il y aura un atelier le soir aux Rives pour les personnes qui travaillent ?', now() - interval '11 days', now() - interval '11 days'),
  ('00000000-0000-4000-8041-000000000002', 'blog_post', '00000000-0000-4000-8040-000000000001', '00000000-0000-4000-8000-000000000003',
   'Très bonne nouvelle, le montant est en hausse par rapport à l’an dernier.', now() - interval '17 days', now() - interval '17 days');

insert into public.likes (resource_type, resource_id, user_id) values
  ('blog_post', '00000000-0000-4000-8040-000000000001', '00000000-0000-4000-8000-000000000002'),
  ('blog_post', '00000000-0000-4000-8040-000000000001', '00000000-0000-4000-8000-000000000003'),
  ('blog_post', '00000000-0000-4000-8040-000000000003', '00000000-0000-4000-8000-000000000004');
