-- Proposals' visibility helpers in PL/pgSQL (see …_core_plan_cache.sql: a SQL function that
-- cannot be inlined is planned on every call; these run once per query in the policies and in
-- the search's unviewable list). Same bodies, same answers.

create or replace function private.my_proposal_ids() returns uuid[]
language plpgsql stable security definer set search_path = '' as $$
#variable_conflict use_column
begin
  return (
    select coalesce(array_agg(a.proposal_id), '{}') from public.proposal_coauthors a
      where a.user_id = (select auth.uid()) and a.status = 'accepted'
  );
end $$;

create or replace function private.amendments_visible_to_all(component uuid) returns boolean
language plpgsql stable security definer set search_path = '' as $$
#variable_conflict use_column
begin
  return (
    select coalesce(private.component_phase_settings(component) ->> 'amendments_visibility', 'all') <> 'participants'
  );
end $$;

create or replace function private.amendments_restricted_component_ids() returns uuid[]
language plpgsql stable security definer set search_path = '' as $$
begin
  -- Set-based: the settings of each proposals component read once (not through
  -- amendments_visible_to_all per component), the visibility asked only of the restricted ones.
  return (
    select coalesce(array_agg(c.id), '{}') from public.components c
    where c.feature = 'proposals'
      and private.active_phase_settings(c.id) ->> 'amendments_visibility' = 'participants'
      and private.can_view_component(c.id)
  );
end $$;

create or replace function private.is_proposal_author(proposal uuid) returns boolean
language plpgsql stable security definer set search_path = '' as $$
#variable_conflict use_column
begin
  return (
    select (select auth.uid()) is not null and exists (
        select 1 from public.proposal_coauthors a
        where a.proposal_id = proposal and a.user_id = (select auth.uid()) and a.status = 'accepted')
  );
end $$;

create or replace function private.can_view_proposal_row(proposal uuid, component uuid, space uuid, published_at timestamp with time zone, hidden_at timestamp with time zone, amends_id uuid) returns boolean
language plpgsql stable security definer set search_path = '' as $$
#variable_conflict use_column
begin
  return (
    select private.can_view_component(component) and (
        (published_at is not null and private.has_space_role(space, 'moderator'))
        or private.is_proposal_author(proposal)
        or (published_at is not null and hidden_at is null
            and (amends_id is null or private.amendments_visible_to_all(component) or private.is_proposal_author(amends_id))))
  );
end $$;

create or replace function private.unviewable_proposal_ids() returns uuid[]
language plpgsql stable security definer set search_path = '' as $$
#variable_conflict use_column
begin
  return (
    with amended as (
        select distinct p.component_id from public.proposals p where p.amends_id is not null
      ), restricted as (
        select a.component_id from amended a where not private.amendments_visible_to_all(a.component_id)
      )
      select coalesce(array_agg(x.id), '{}') from (
        select p.id from public.proposals p
        where p.hidden_at is not null
          and not private.can_view_proposal_row(p.id, p.component_id, p.space_id, p.published_at, p.hidden_at, p.amends_id)
        union
        select p.id from public.proposals p join restricted r on r.component_id = p.component_id
        where p.amends_id is not null
          and not private.can_view_proposal_row(p.id, p.component_id, p.space_id, p.published_at, p.hidden_at, p.amends_id)
      ) x
  );
end $$;

create or replace function private.unviewable_collaborative_draft_ids() returns uuid[]
language plpgsql stable security definer set search_path = '' as $$
#variable_conflict use_column
begin
  return (
    select coalesce(array_agg(d.id), '{}') from public.proposal_collaborative_drafts d
      where d.hidden_at is not null and not private.can_view_collaborative_draft(d.id)
  );
end $$;

