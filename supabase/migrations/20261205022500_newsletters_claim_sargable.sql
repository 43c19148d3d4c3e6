-- The `newsletters` feature: the claim's cursor as one condition the index can use (the smallest
-- uuid when there is none yet), so each claim starts where the last one stopped.
create or replace function private.claim_newsletter_deliveries(letter uuid, max integer, after uuid default null)
returns table (user_id uuid, email text, locale text, name text)
language sql security definer set search_path = '' as $$
  select d.user_id, u.email::text, p.locale, p.name
  from public.newsletter_deliveries d
  join public.profiles p on p.id = d.user_id
  left join auth.users u on u.id = d.user_id and u.deleted_at is null
  where d.newsletter_id = letter and d.status = 'pending' and d.user_id > coalesce(after, '00000000-0000-0000-0000-000000000000'::uuid)
  order by d.user_id
  limit max
  for update of d skip locked
$$;
