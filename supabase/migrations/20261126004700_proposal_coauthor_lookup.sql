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

-- The spaces admin's lookup (…2000_spaces_app) keeps its contract and now uses the same rule.
create or replace function public.find_participant(space uuid, identifier text) returns uuid
language sql stable security definer set search_path = '' as $$
  select case when (select private.has_space_role(space, 'admin')) then private.person_matching(identifier) end
$$;

-- Authors of a published proposal invite co-authors by nickname or email. Profiles are public,
-- emails are not: the lookup is never answered on its own (anyone can start a draft, and a bare
-- lookup would tell them, silently, whose account an email is); it invites the person it finds,
-- who is notified and sees the invitation. The matching is private.person_matching (email first,
-- then nickname). Returns the person (null: nobody matches) and whether they were already invited
-- or an author (then nothing is written).
create or replace function public.invite_coauthor(proposal uuid, identifier text, out invitee uuid, out already boolean)
language plpgsql security definer set search_path = '' as $$
begin
  already := false;
  if not private.is_proposal_author(proposal) then
    raise exception 'only authors invite co-authors' using errcode = '42501';
  end if;
  if not exists (select 1 from public.proposals p where p.id = proposal and p.published_at is not null and p.withdrawn_at is null) then
    raise exception 'co-authors are invited to a published proposal' using errcode = '23514', constraint = 'proposal_coauthors_published';
  end if;
  invitee := private.person_matching(identifier);
  if invitee is null then
    return;
  end if;
  if exists (select 1 from public.proposal_coauthors a where a.proposal_id = proposal and a.user_id = invitee) then
    already := true;
    return;
  end if;
  insert into public.proposal_coauthors (proposal_id, user_id, status, invited_by)
  values (proposal, invitee, 'invited', (select auth.uid()));
end $$;
revoke all on function public.invite_coauthor(uuid, text) from public, anon;
grant execute on function public.invite_coauthor(uuid, text) to authenticated;
