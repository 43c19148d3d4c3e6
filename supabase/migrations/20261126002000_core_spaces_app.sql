-- What the spaces admin needs beyond the tables: finding a participant by email or nickname to
-- grant a role or add a private member, and listing a space's people with their email and
-- whether their invitation is still pending. Emails live in auth.users, which the API roles
-- cannot read: these two security-definer functions answer only a space's admins (and
-- organization admins), and only about what that job needs.

-- Finding a person by email or nickname: the matching rule, once. Profiles are public, emails
-- are not, so it is never granted to the API roles; the functions that use it decide who may ask
-- and what the answer may reveal.
create or replace function private.person_matching(identifier text) returns uuid
language sql stable security definer set search_path = '' as $$
  select p.id
  from public.profiles p
  join auth.users u on u.id = p.id
  where char_length(identifier) <= 320
    and (lower(u.email) = lower(btrim(identifier)) or p.nickname = lower(ltrim(btrim(identifier), '@')))
  order by (lower(u.email) = lower(btrim(identifier))) desc
  limit 1
$$;
revoke all on function private.person_matching(text) from public, anon, authenticated;

-- The participant with this email (any case) or nickname (with or without "@"), or null. Null
-- too for anyone who is not an admin of `space`, so the function cannot be used to probe who
-- has an account.
create or replace function public.find_participant(space uuid, identifier text) returns uuid
language sql stable security definer set search_path = '' as $$
  select case when (select private.has_space_role(space, 'admin')) then private.person_matching(identifier) end
$$;
revoke all on function public.find_participant(uuid, text) from public, anon;
grant execute on function public.find_participant(uuid, text) to authenticated;

-- The people of a space for its admins: role holders (one row per role) and private members,
-- with name, nickname, email and whether they have yet to accept an emailed invitation.
create or replace function public.space_people(space uuid)
returns table (
  user_id uuid,
  relation text,
  role text,
  name text,
  nickname text,
  email text,
  invitation_pending boolean,
  created_at timestamptz
)
language sql stable security definer set search_path = '' as $$
  select r.user_id, 'role', r.role, p.name, p.nickname, u.email::text,
    (u.invited_at is not null and u.email_confirmed_at is null), r.created_at
  from public.space_roles r
  join public.profiles p on p.id = r.user_id
  join auth.users u on u.id = r.user_id
  where r.space_id = space and (select private.has_space_role(space, 'admin'))
  union all
  select m.user_id, 'member', null, p.name, p.nickname, u.email::text,
    (u.invited_at is not null and u.email_confirmed_at is null), m.created_at
  from public.space_members m
  join public.profiles p on p.id = m.user_id
  join auth.users u on u.id = m.user_id
  where m.space_id = space and (select private.has_space_role(space, 'admin'))
  order by 2, 8
$$;
revoke all on function public.space_people(uuid) from public, anon;
grant execute on function public.space_people(uuid) to authenticated;
