-- Collaborative drafts in the participatory budget's proposals (…-8004-000000000010): switched on,
-- one open draft Camille and Karim write together (Léa has asked to join), one withdrawn.
update public.components set settings = settings || '{"collaborative_drafts_enabled": true}'
where id = '00000000-0000-4000-8004-000000000010';

insert into public.proposal_collaborative_drafts (id, component_id, space_id, author_id, title, body, state, withdrawn_at, created_at) values
  ('00000000-0000-4000-8050-000000000001', '00000000-0000-4000-8004-000000000010', '00000000-0000-4000-8002-000000000001',
   '00000000-0000-4000-8000-000000000002', 'Un jardin partagé sur la friche des Tanneurs',
   '<p>Transformer la friche de la rue des Tanneurs en jardin partagé, avec des parcelles pour les écoles du quartier et un composteur collectif.</p>',
   'open', null, '2026-11-20 18:30:00+01'),
  ('00000000-0000-4000-8050-000000000002', '00000000-0000-4000-8004-000000000010', '00000000-0000-4000-8002-000000000001',
   '00000000-0000-4000-8000-000000000003', 'Des bancs le long des quais',
   '<p>Installer des bancs tous les deux cents mètres le long des quais de Loire.</p>',
   'withdrawn', '2026-11-28 10:00:00+01', '2026-11-22 09:15:00+01');

insert into public.proposal_draft_collaborators (draft_id, user_id) values
  ('00000000-0000-4000-8050-000000000001', '00000000-0000-4000-8000-000000000003')
on conflict do nothing;
insert into public.proposal_draft_requests (draft_id, user_id) values
  ('00000000-0000-4000-8050-000000000001', '00000000-0000-4000-8000-000000000004');
