-- Counts per type in one statement (profiled after …041000): a word with more matches than the
-- cap was counted by one statement per searchable type, each planned on every call and each
-- reading the word's whole posting list to keep its own type's rows (nine times "bancs", 16,000
-- matches, for 8–16 ms). Now one statement, planned once, counts every type through a lateral
-- subquery, and the text index also keys the type (btree_gin, as it keys the component): a small
-- type's count intersects its own entries with the word's in the index, without the heap rows of
-- the other types. The component's text filter reads the same index (component and type keyed;
-- …_core_search_prefixes.sql).
create index if not exists search_index_public_type_component_document_idx on public.search_index
  using gin (resource_type, component_id, document) where public;
create index if not exists search_index_restricted_type_component_document_idx on public.search_index
  using gin (resource_type, component_id, document) where not public;
-- Without words (filters only), a type's count reads its rows of the space from a plain index
-- (index only), not the intersection of the text index's type with the space's index.
create index if not exists search_index_public_type_space_idx on public.search_index (resource_type, space_id) where public;
create index if not exists search_index_restricted_type_space_idx on public.search_index (resource_type, space_id) where not public;
drop index if exists public.search_index_public_component_document_idx;
drop index if exists public.search_index_restricted_document_idx;

create or replace function private.search_count_types(q tsquery, p_space uuid, p_taxonomy uuid, p_from timestamptz, p_to timestamptz, cap integer,
  restricted uuid[], unviewable uuid[])
returns table (resource_type text, n integer)
language plpgsql stable security definer set search_path = '' set enable_seqscan = off as $$
begin
  return query execute format(
    'select r.resource_type, c.n from public.resource_types r
       cross join lateral (select count(*)::integer as n
                           from (select 1 from public.search_index i where %s and i.resource_type = r.resource_type limit %s) x) c
     where r.search_document is not null and c.n > 0
     order by r.resource_type',
    private.search_filter(q, null, p_space, p_taxonomy, p_from, p_to, search_count_types.restricted, search_count_types.unviewable), cap + 1);
end $$;
revoke all on function private.search_count_types(tsquery, uuid, uuid, timestamptz, timestamptz, integer, uuid[], uuid[]) from public, anon, authenticated;

