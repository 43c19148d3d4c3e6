-- Authors of a published proposal invite co-authors by nickname, among the participants (as
-- Decidim does). Never by email: profiles (and their nicknames) are public, emails are not, and
-- an invitation answered "nobody has this address" for one email and "invited" for another would
-- tell any author whose account an email is. Returns the person (null: no such nickname) and
-- whether they were already invited or an author (then nothing is written).
create or replace function public.invite_coauthor(proposal uuid, nickname text, out invitee uuid, out already boolean)
language plpgsql security definer set search_path = '' as $$
begin
  already := false;
  if not private.is_proposal_author(proposal) then
    raise exception 'only authors invite co-authors' using errcode = '42501';
  end if;
  if not exists (select 1 from public.proposals p where p.id = proposal and p.published_at is not null and p.withdrawn_at is null) then
    raise exception 'co-authors are invited to a published proposal' using errcode = '23514', constraint = 'proposal_coauthors_published';
  end if;
  -- "@nickname" as people write it; anything else that is not a nickname (an email) matches nobody.
  select p.id into invitee from public.profiles p
  where char_length(invite_coauthor.nickname) <= 64 and p.nickname = lower(ltrim(btrim(invite_coauthor.nickname), '@'));
  if invitee is null then
    return;
  end if;
  if exists (select 1 from public.proposal_coauthors a where a.proposal_id = proposal and a.user_id = invitee) then
    already := true;
    return;
  end if;
  -- An author of the amended proposal does not co-author an amendment of it (nor the reverse).
  if private.amends_own_proposal(proposal, invitee) then
    raise exception 'authors edit their proposal, they do not amend it' using errcode = '23514', constraint = 'proposals_amend_own';
  end if;
  insert into public.proposal_coauthors (proposal_id, user_id, status, invited_by)
  values (proposal, invitee, 'invited', (select auth.uid()));
end $$;
revoke all on function public.invite_coauthor(uuid, text) from public, anon;
grant execute on function public.invite_coauthor(uuid, text) to authenticated;
