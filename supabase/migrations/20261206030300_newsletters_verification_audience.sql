-- Newsletters to the people holding a verification (core verifications): an audience may name
-- verification methods (`"verifications": ["census"]`); then only the consenting people of its
-- scope who hold one of them receive it ("everyone verified by the census", "the verified
-- followers of this process"). Counted before sending by the same function that writes the
-- recipients, as every audience is.

alter table public.newsletters drop constraint newsletters_audience;
alter table public.newsletters add constraint newsletters_audience check (
  jsonb_typeof(audience) = 'object' and audience ->> 'scope' in ('all', 'followers', 'participants')
  and jsonb_typeof(coalesce(audience -> 'spaces', '[]')) = 'array' and jsonb_typeof(coalesce(audience -> 'taxonomies', '[]')) = 'array'
  and jsonb_typeof(coalesce(audience -> 'verifications', '[]')) = 'array');

create or replace function private.newsletter_audience(audience jsonb) returns table (user_id uuid)
language sql stable security definer set search_path = '' as $$
  with scope as (select audience ->> 'scope' as kind, private.newsletter_audience_spaces(audience) as spaces,
                        array(select jsonb_array_elements_text(coalesce(audience -> 'verifications', '[]'))) as methods),
  scoped as (
    select f.user_id from public.space_follows f, scope where scope.kind = 'followers' and f.space_id = any (scope.spaces)
    union
    select m.user_id from public.space_members m, scope where scope.kind = 'participants' and m.space_id = any (scope.spaces)
    union
    select v.editor_id from public.versions v, scope where scope.kind = 'participants' and v.space_id = any (scope.spaces) and v.editor_id is not null
    union
    select c.author_id from public.comments c, scope where scope.kind = 'participants' and c.space_id = any (scope.spaces) and c.author_id is not null
    union
    select l.user_id from public.likes l join public.components k on k.id = l.component_id, scope
    where scope.kind = 'participants' and k.space_id = any (scope.spaces)
    union
    select r.user_id from public.reports r, scope where scope.kind = 'participants' and r.space_id = any (scope.spaces)
  ),
  verified as (
    select distinct v.user_id from public.verifications v, scope where v.method = any (scope.methods)
  )
  select p.id from public.profile_preferences p
  join auth.users u on u.id = p.id
  where p.newsletter_opt_in_at is not null
    and u.email is not null and u.email <> '' and u.deleted_at is null and (u.banned_until is null or u.banned_until <= now())
    and ((select kind from scope) = 'all' or p.id in (select s.user_id from scoped s))
    and (cardinality((select methods from scope)) = 0 or p.id in (select v.user_id from verified v))
$$;
revoke all on function private.newsletter_audience(jsonb) from public, anon, authenticated;
