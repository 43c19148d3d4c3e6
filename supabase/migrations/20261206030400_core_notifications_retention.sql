-- Retention of notifications (the `notifications.purge` job, daily): delivered events once their
-- notifications hold all they need (a month), notifications their person read long ago (three
-- months; unread ones stay until read), and the outbox rows of emails sent, skipped or failed a
-- month ago (pending ones always stay). Set-based, in bounded batches (each call deletes at most
-- `max` rows of each table, the oldest first, in the caller's transaction), so that a backlog
-- never holds long locks nor one huge transaction.

create index notification_events_delivered_idx on public.notification_events (delivered_at) where delivered_at is not null;
create index notifications_read_idx on public.notifications (read_at) where read_at is not null;
create index notification_emails_done_idx on public.notification_emails (coalesce(sent_at, created_at)) where status <> 'pending';

create or replace function private.purge_notifications(
  max integer default 5000,
  events_after interval default interval '30 days',
  read_after interval default interval '90 days',
  emails_after interval default interval '30 days'
) returns table (events integer, notifications integer, emails integer)
language plpgsql security definer set search_path = '' as $$
declare
  e integer;
  n integer;
  m integer;
begin
  delete from public.notification_events x
  where x.id in (select y.id from public.notification_events y
                 where y.delivered_at is not null and y.delivered_at < now() - events_after
                 order by y.delivered_at limit max for update skip locked);
  get diagnostics e = row_count;
  delete from public.notifications x
  where x.id in (select y.id from public.notifications y
                 where y.read_at is not null and y.read_at < now() - read_after
                 order by y.read_at limit max for update skip locked);
  get diagnostics n = row_count;
  delete from public.notification_emails x
  where x.id in (select y.id from public.notification_emails y
                 where y.status <> 'pending' and coalesce(y.sent_at, y.created_at) < now() - emails_after
                 order by coalesce(y.sent_at, y.created_at) limit max for update skip locked);
  get diagnostics m = row_count;
  return query select e, n, m;
end $$;
revoke all on function private.purge_notifications(integer, interval, interval, interval) from public, anon, authenticated;
grant execute on function private.purge_notifications(integer, interval, interval, interval) to service_role;

-- The live unread count goes only to the people whose unread rows changed: purging read rows
-- (thousands of people at once) tells nobody, as a digest marking rows emailed tells nobody.
create or replace function private.notifications_broadcast_unread() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  perform realtime.send(
    jsonb_build_object('unread', (select count(*) from public.notifications n where n.user_id = t.user_id and n.read_at is null)),
    'unread', private.notifications_topic(t.user_id), true)
  from (select distinct c.user_id from changed c where c.read_at is null) t;
  return null;
end $$;
