-- A component's text filter (every component's list) reads its own component's matches only: the
-- public part's text index also keys the component (btree_gin), so "bancs" in one component of
-- 10,000 proposals intersects that component's entries with the word's in the index, instead of
-- fetching the word's 16,000 matches in every component and keeping a tenth. A search without a
-- component reads the words alone from the same index, as before.
create extension if not exists btree_gin with schema extensions;

create index if not exists search_index_public_component_document_idx on public.search_index using gin (component_id, document) where public;
drop index if exists public.search_index_public_document_idx;
