-- A newsletter draft from the demo's organization, about the participatory budget and its news
-- (id in the 8042 block): ready to preview, test and send from the admin.
insert into public.newsletters (id, subject, blocks, audience, status, created_by, created_at, updated_at) values (
  '00000000-0000-4000-8042-000000000001',
  '{"fr": "Budget participatif 2027 : à vous de proposer !", "en": "2027 participatory budget: your turn to propose!"}',
  '[{"type": "text", "html": {"fr": "<p>Bonjour,</p><p>Le budget participatif 2027 est ouvert : <strong>1,2 million d’euros</strong> pour les projets des habitantes et des habitants. Déposez vos idées jusqu’à la fin de la phase de dépôt.</p>", "en": "<p>Hello,</p><p>The 2027 participatory budget is open: <strong>€1.2 million</strong> for residents’ projects.</p>"}},
    {"type": "spaces", "ids": ["00000000-0000-4000-8002-000000000001"]},
    {"type": "resources", "items": [{"type": "blog_post", "id": "00000000-0000-4000-8040-000000000001"}, {"type": "blog_post", "id": "00000000-0000-4000-8040-000000000002"}]}]',
  '{"scope": "all"}', 'draft', '00000000-0000-4000-8000-000000000001', now() - interval '1 day', now() - interval '1 day');

-- Demo residents who agreed to receive it (the others are asked once when they sign in).
update public.profile_preferences set newsletter_opt_in_at = now() - interval '30 days', newsletter_answered_at = now() - interval '30 days'
where id in ('00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000003');
update public.profile_preferences set newsletter_answered_at = now() - interval '30 days'
where id in ('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000004');
