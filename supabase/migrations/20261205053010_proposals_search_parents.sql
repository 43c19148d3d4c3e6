-- The search document now says where a resource lives (core_search_parents): a proposal lives on
-- no other resource. Same document otherwise.
create or replace function private.proposal_search_document(proposal uuid) returns private.search_document
language sql stable security definer set search_path = '' as $$
  select row(p.component_id, p.space_id, to_jsonb(p.title), to_jsonb(p.body),
             case when p.taxonomy_id is null then '{}'::uuid[] else array[p.taxonomy_id] end, p.published_at,
             null, null)::private.search_document
  from public.proposals p
  where p.id = proposal and p.published_at is not null and p.hidden_at is null
$$;
revoke all on function private.proposal_search_document(uuid) from public, anon, authenticated;
