-- The demo's notifications: what the seed did (proposals published, answered, commented) is
-- delivered now, so the demo accounts find their bell filled; the emails it would send are not
-- sent (the seed's history is not news to anybody's inbox). Loaded after every feature's seed.

-- A demo resident follows the participatory budget (the space's news reaches her).
insert into public.space_follows (space_id, user_id) values
  ('00000000-0000-4000-8002-000000000001', '00000000-0000-4000-8000-000000000002')
on conflict do nothing;

select private.deliver_notification_event(e) from private.pending_notification_events(100000) e;
update public.notification_emails set status = 'skipped' where status = 'pending';
-- Read, but for each person's three newest: the bell shows a few, the page the rest.
update public.notifications n set read_at = now()
where n.read_at is null
  and n.id not in (select x.id from (select m.id, row_number() over (partition by m.user_id order by m.created_at desc, m.id) as k
                                     from public.notifications m) x where x.k <= 3);
