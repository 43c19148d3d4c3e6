-- The cursor as one condition the index can use: `id > coalesce(after, 0)`. (An `after is null or
-- id > after` is planned once for both cases, as a filter: the claim walked the index from the
-- start again.)
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
  where e.status = 'pending' and e.id > coalesce(after, 0)
  order by e.id
  limit max
  for update of e skip locked
$$;
