-- The `newsletters` feature: claiming a letter's deliveries by a cursor (after the last recipient
-- the worker took), so a claim never walks again over the recipients already sent: sending
-- 50,000 stays linear.
drop function private.claim_newsletter_deliveries(uuid, integer);

create or replace function private.claim_newsletter_deliveries(letter uuid, max integer, after uuid default null)
returns table (user_id uuid, email text, locale text, name text)
language sql security definer set search_path = '' as $$
  select d.user_id, u.email::text, p.locale, p.name
  from public.newsletter_deliveries d
  join public.profiles p on p.id = d.user_id
  left join auth.users u on u.id = d.user_id and u.deleted_at is null
  where d.newsletter_id = letter and d.status = 'pending' and (after is null or d.user_id > after)
  order by d.user_id
  limit max
  for update of d skip locked
$$;
revoke all on function private.claim_newsletter_deliveries(uuid, integer, uuid) from public, anon, authenticated;
grant execute on function private.claim_newsletter_deliveries(uuid, integer, uuid) to service_role;
