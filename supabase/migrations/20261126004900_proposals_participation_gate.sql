-- Supports and likes are the hottest writes of the platform: every click of a live vote. Their
-- policies ask `proposal_is_open` (and `component_allows`, which the core answers the same way),
-- which was an SQL function nesting a dozen others (space and component visibility, roles, phase
-- settings) that Postgres plans again on every call. It becomes a plpgsql function that answers
-- the common case (published, in a public published space) with one query whose plan is kept for
-- the session, and hands every other case (private or unpublished spaces, emendations) to the
-- general helper. Same answers for everyone (tests/proposals/db-gate.test.ts compares them with
-- the general definition).

create or replace function private.proposal_is_open(proposal uuid) returns boolean
language plpgsql stable security definer set search_path = '' as $$
declare
  r record;
begin
  select p.id, p.component_id, p.space_id, p.published_at, p.withdrawn_at, p.hidden_at, p.amends_id,
         c.published_at as component_published_at, s.published_at as space_published_at, s.private as space_private
  into r
  from public.proposals p
  join public.components c on c.id = p.component_id
  join public.spaces s on s.id = p.space_id
  where p.id = proposal;
  if not found or r.published_at is null or r.withdrawn_at is not null or r.hidden_at is not null then
    return false;
  end if;
  -- A published proposal (not an emendation) of a published component in a public published
  -- space is visible to everyone.
  if r.amends_id is null and not r.space_private and r.component_published_at is not null and r.space_published_at is not null then
    return true;
  end if;
  return private.can_view_proposal_row(r.id, r.component_id, r.space_id, r.published_at, r.hidden_at, r.amends_id);
end $$;
