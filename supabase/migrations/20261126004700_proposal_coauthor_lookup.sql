-- Authors of a proposal invite co-authors by nickname or email. Profiles are public, emails are
-- not: this finds the person for an author of that proposal only, and says nothing else (no
-- email is returned). Same matching as public.find_participant (email first, then nickname).
create or replace function public.find_coauthor(proposal uuid, identifier text) returns uuid
language sql stable security definer set search_path = '' as $$
  select p.id
  from public.profiles p
  join auth.users u on u.id = p.id
  where (select private.is_proposal_author(proposal))
    and char_length(identifier) <= 320
    and (
      lower(u.email) = lower(btrim(identifier))
      or p.nickname = lower(ltrim(btrim(identifier), '@'))
    )
  order by (lower(u.email) = lower(btrim(identifier))) desc
  limit 1
$$;
revoke all on function public.find_coauthor(uuid, text) from public, anon;
grant execute on function public.find_coauthor(uuid, text) to authenticated;
