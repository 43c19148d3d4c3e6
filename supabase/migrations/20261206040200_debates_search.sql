-- Debates in the one search (core_search): the title, the description as the body, the category;
-- hidden debates are never found (withdrawn and closed ones are, as their pages are seen).
create or replace function private.debate_search_document(debate uuid) returns private.search_document
language sql stable security definer set search_path = '' as $$
  select row(d.component_id, d.space_id, to_jsonb(d.title), to_jsonb(d.description),
             case when d.taxonomy_id is null then '{}'::uuid[] else array[d.taxonomy_id] end, d.created_at,
             null, null)::private.search_document
  from public.debates d
  where d.id = debate and d.hidden_at is null
$$;
revoke all on function private.debate_search_document(uuid) from public, anon, authenticated;

update public.resource_types set search_document = 'private.debate_search_document(uuid)' where resource_type = 'debate';

-- Only what the document reads: arguments, positions and counters do not touch the index.
create trigger debates_search after insert or delete or update of title, description, taxonomy_id, hidden_at, component_id, space_id
  on public.debates for each row execute function private.search_reindex('debate');

select private.search_reindex_type('debate', array(select d.id from public.debates d));
