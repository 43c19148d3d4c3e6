-- Words searched in one space (the search page's space filter): the text index keyed by type and
-- component cannot narrow to a space, so each type's count intersected the word's matches in every
-- space (13,000 entries for "jardin quartier" over 100,000) with the space's 10,000 entries, two
-- bitmaps built and ANDed per type (5.4 ms of a 12 ms search). Keyed by the space as well, the
-- index intersects them itself (the search filtered by space: 12.8 → 8.8 ms p50). A separate index,
-- not a column added to the component one: the component's text filter was slower on a four-key
-- index in every measurement (its 2,000 ids: 4.6–6.6 ms against 2.8–3.8 ms).
create index if not exists search_index_public_type_space_document_idx on public.search_index
  using gin (resource_type, space_id, document) where public;
create index if not exists search_index_restricted_type_space_document_idx on public.search_index
  using gin (resource_type, space_id, document) where not public;
