-- Proposals in the one search: published ones that are not hidden (drafts and hidden proposals are
-- never found; emendations restricted to their authors are filtered out at query time by the type's
-- `unviewable`), their title over their body, their taxonomy and publication date for the filters.
create or replace function private.proposal_search_document(proposal uuid) returns private.search_document
language sql stable security definer set search_path = '' as $$
  select row(p.component_id, p.space_id, to_jsonb(p.title), to_jsonb(p.body),
             case when p.taxonomy_id is null then '{}'::uuid[] else array[p.taxonomy_id] end, p.published_at)::private.search_document
  from public.proposals p
  where p.id = proposal and p.published_at is not null and p.hidden_at is null
$$;
revoke all on function private.proposal_search_document(uuid) from public, anon, authenticated;

update public.resource_types set search_document = 'private.proposal_search_document(uuid)' where resource_type = 'proposal';

-- Only what the document reads: a support or a like (counters) does not touch the index.
create trigger proposals_search after insert or delete or update of title, body, taxonomy_id, published_at, hidden_at, component_id
  on public.proposals for each row execute function private.search_reindex('proposal');

select private.search_reindex_type('proposal', array(select p.id from public.proposals p));
