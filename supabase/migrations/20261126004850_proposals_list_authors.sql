-- The authors shown on the cards of the proposals list, for a whole page at once. The list has
-- already read these proposals as the visitor (row-level security on public.proposals); reading
-- their authors through the co-authors policy would check the proposal's visibility once per
-- author row (about a millisecond each: 50 ms for a page). This returns the same thing the policy
-- lets anyone read — the accepted authors of published, non-hidden proposals in components the
-- caller sees (emendations only where they are visible to all) — with the visibility computed
-- once per query.
create or replace function private.proposal_list_authors(ids uuid[])
returns table (proposal_id uuid, authors jsonb)
language sql stable security definer set search_path = '' as $$
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
  group by a.proposal_id
$$;
revoke all on function private.proposal_list_authors(uuid[]) from public;
grant execute on function private.proposal_list_authors(uuid[]) to anon, authenticated, service_role;
