-- The `proposals` feature, amendments: accepted or rejected by the amended proposal's authors, a rejected one
-- promoted to a proposal of its own. Split from the proposals core migration by concern; the
-- core (…4000_proposals.sql) holds the proposals themselves, their visibility and their counters.

-- ---------------------------------------------------------------------------------------------
-- Amendments: the amended proposal's authors accept or reject; a rejected one can be promoted
-- ---------------------------------------------------------------------------------------------

create or replace function public.react_to_amendment(emendation uuid, accept boolean) returns void
language plpgsql security definer set search_path = '' as $$
declare
  e record;
  amended public.proposals;
begin
  select * into e from public.proposals p where p.id = emendation and p.amends_id is not null for update;
  if not found or not private.can_view_proposal(emendation) then
    raise exception 'no such amendment' using errcode = '23503', constraint = 'proposals_amends';
  end if;
  if not private.is_proposal_author(e.amends_id) then
    raise exception 'the authors of the amended proposal react to amendments' using errcode = '42501';
  end if;
  -- Nobody answers their own amendment (an author of both sides, through co-authorship).
  if private.is_proposal_author(emendation) then
    raise exception 'authors edit their proposal, they do not amend it' using errcode = '23514', constraint = 'proposals_amend_own';
  end if;
  if not private.component_allows(e.component_id, 'react_to_amendment') then
    raise exception 'reactions to amendments are closed' using errcode = '42501';
  end if;
  if e.amendment_state <> 'evaluating' then
    raise exception 'this amendment was already answered' using errcode = '23514', constraint = 'proposals_amendment_answered';
  end if;
  if accept then
    -- Accepting rewrites the amended proposal as the owner (the authors' own edit rules are not
    -- asked on that path): it meets the rules of editing here — not once withdrawn, nor answered
    -- (the answer was given to that text), nor after the edit window.
    select * into amended from public.proposals p where p.id = e.amends_id for update;
    perform private.check_proposal_editable(amended, (select c.settings from public.components c where c.id = e.component_id));
  end if;
  update public.proposals set amendment_state = case when accept then 'accepted' else 'rejected' end where id = emendation;
  if accept then
    -- The amended text becomes the proposal's; the amendment's authors become co-authors.
    update public.proposals set title = e.title, body = e.body where id = e.amends_id;
    insert into public.proposal_coauthors (proposal_id, user_id, status, invited_by, accepted_at)
    select e.amends_id, a.user_id, 'accepted', (select auth.uid()), now() from public.proposal_coauthors a
    where a.proposal_id = emendation and a.status = 'accepted'
    on conflict (proposal_id, user_id) do update set status = 'accepted', accepted_at = now();
  end if;
end $$;

create or replace function public.promote_amendment(emendation uuid) returns uuid
language plpgsql security definer set search_path = '' as $$
declare
  e record;
  created uuid;
begin
  select * into e from public.proposals p where p.id = emendation and p.amends_id is not null for update;
  if not found or not private.is_proposal_author(emendation) then
    raise exception 'the authors of an amendment promote it' using errcode = '42501';
  end if;
  if e.amendment_state <> 'rejected' then
    raise exception 'only a rejected amendment is promoted' using errcode = '23514', constraint = 'proposals_amendment_promote';
  end if;
  if not private.component_allows(e.component_id, 'promote_amendment') then
    raise exception 'promotion of amendments is closed' using errcode = '42501';
  end if;
  -- The promoted proposal is the promoter's: it counts towards their proposal limit.
  perform private.check_proposal_limit(e.component_id, (select c.settings from public.components c where c.id = e.component_id), emendation);
  insert into public.proposals (component_id, space_id, author_id, title, body, taxonomy_id, address, latitude, longitude, published_at, origin_ids)
  values (e.component_id, e.space_id, (select auth.uid()), e.title, e.body, e.taxonomy_id, e.address, e.latitude, e.longitude, now(), array[emendation])
  returning id into created;
  update public.proposals set amendment_state = 'promoted' where id = emendation;
  return created;
end $$;

revoke execute on function public.react_to_amendment(uuid, boolean), public.promote_amendment(uuid) from public, anon;
grant execute on function public.react_to_amendment(uuid, boolean), public.promote_amendment(uuid) to authenticated, service_role;
