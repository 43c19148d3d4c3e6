-- Claiming pending emails by a cursor: each claim starts after the last row the worker took,
-- instead of walking again, from the start of the index, over every row already sent (dead index
-- entries until vacuum: a quadratic cost over a long outbox).
drop function private.claim_notification_emails(integer);

create or replace function private.claim_notification_emails(max integer, after bigint default null)
returns table (id bigint, user_id uuid, frequency text, period text, email text, locale text, name text, items jsonb)
language sql security definer set search_path = '' as $$
  select e.id, e.user_id, e.frequency, e.period::text, u.email::text, p.locale, p.name,
         coalesce((select jsonb_agg(jsonb_build_object('id', n.id, 'kind', n.kind, 'resource_type', n.resource_type,
                                                        'resource_id', n.resource_id, 'data', n.data, 'created_at', n.created_at,
                                                        'read_at', n.read_at) order by n.created_at desc)
                   from public.notifications n where n.id = any (e.notification_ids)), '[]')
  from public.notification_emails e
  join public.profiles p on p.id = e.user_id
  left join auth.users u on u.id = e.user_id and u.deleted_at is null
  where e.status = 'pending' and (after is null or e.id > after)
  order by e.id
  limit max
  for update of e skip locked
$$;
revoke all on function private.claim_notification_emails(integer, bigint) from public, anon, authenticated;
grant execute on function private.claim_notification_emails(integer, bigint) to service_role;
