-- The list page's helpers in PL/pgSQL (see …_proposals_plan_cache.sql): the authors and the support
-- counts of a page, the counts of a component, which components show their counts, whether a
-- component hides them. As security-definer SQL functions they were planned again on every call,
-- each page paying for it twice (0.5–0.7 ms per call). Same bodies, same answers.

create or replace function private.proposal_list_authors(ids uuid[])
returns table (proposal_id uuid, authors jsonb)
language plpgsql stable security definer set search_path = '' as $$
#variable_conflict use_column
begin
  return query
    select a.proposal_id,
           jsonb_agg(jsonb_build_object('name', pr.name, 'nickname', pr.nickname) order by a.accepted_at nulls first, a.created_at)
    from public.proposals p
    join public.proposal_coauthors a on a.proposal_id = p.id and a.status = 'accepted'
    join public.profiles pr on pr.id = a.user_id
    where p.id = any (ids)
      and cardinality(ids) <= 500
      and p.published_at is not null and p.hidden_at is null
      and p.component_id = any ((select private.visible_component_ids())::uuid[])
      and (p.amends_id is null or not p.component_id = any ((select private.amendments_restricted_component_ids())::uuid[]))
    group by a.proposal_id;
end $$;

create or replace function private.supports_shown_component_ids() returns uuid[]
language plpgsql stable security definer set search_path = '' as $$
#variable_conflict use_column
begin
  return (
    select coalesce(array_agg(c.id), '{}') from public.components c
    where c.feature = 'proposals' and c.id = any ((select private.visible_component_ids())::uuid[])
      and (not private.bool_setting(private.active_phase_settings(c.id), 'votes_hidden')
           or private.has_space_role(c.space_id, 'evaluator'))
  );
end $$;

create or replace function private.proposal_supports(ids uuid[]) returns table (proposal_id uuid, supports integer)
language plpgsql stable security definer set search_path = '' as $$
#variable_conflict use_column
begin
  return query
    select p.id, p.supports_count from public.proposals p
    where p.id = any (ids)
      and p.component_id = any ((select private.supports_shown_component_ids())::uuid[])
      and ((p.published_at is not null and p.space_id = any ((select private.moderated_space_ids())::uuid[]))
        or p.id = any ((select private.my_proposal_ids())::uuid[])
        or (p.published_at is not null and p.hidden_at is null
            and (p.amends_id is null or not p.component_id = any ((select private.amendments_restricted_component_ids())::uuid[])
                 or p.amends_id = any ((select private.my_proposal_ids())::uuid[]))));
end $$;

create or replace function private.component_proposal_supports(components uuid[]) returns table (proposal_id uuid, supports integer)
language plpgsql stable security definer set search_path = '' as $$
#variable_conflict use_column
begin
  return query
    select p.id, p.supports_count from public.proposals p
    where p.component_id = any (components)
      and p.component_id = any ((select private.supports_shown_component_ids())::uuid[])
      and ((p.published_at is not null and p.space_id = any ((select private.moderated_space_ids())::uuid[]))
        or p.id = any ((select private.my_proposal_ids())::uuid[])
        or (p.published_at is not null and p.hidden_at is null
            and (p.amends_id is null or not p.component_id = any ((select private.amendments_restricted_component_ids())::uuid[])
                 or p.amends_id = any ((select private.my_proposal_ids())::uuid[]))));
end $$;

create or replace function private.votes_hidden(component uuid) returns boolean
language plpgsql stable security definer set search_path = '' as $$
#variable_conflict use_column
begin
  return (select private.bool_setting(private.component_phase_settings(component), 'votes_hidden'));
end $$;
