-- Counting per type in one pass when the matches are few (profiled after …040600: with nine
-- searchable types, planning the nine capped counts cost more than running them — 4–5 ms for a
-- word found nowhere). The matches of every type are first read together, up to the cap: when
-- they are no more than the cap, that read counted them all, per type, exactly; only a word with
-- more matches than the cap is counted type by type (each capped).
create or replace function private.search_count_types(q tsquery, p_space uuid, p_taxonomy uuid, p_from timestamptz, p_to timestamptz, cap integer,
  restricted uuid[], unviewable uuid[])
returns table (resource_type text, n integer)
language plpgsql stable security definer set search_path = '' set enable_seqscan = off as $$
declare
  stmt text;
  seen integer;
begin
  execute format('select coalesce(jsonb_object_agg(x.t, x.n), ''{}''), coalesce(sum(x.n), 0)::integer
      from (select m.resource_type as t, count(*)::integer as n
            from (select i.resource_type from public.search_index i where %s limit %s) m group by 1) x',
    private.search_filter(q, null, p_space, p_taxonomy, p_from, p_to, search_count_types.restricted, search_count_types.unviewable), cap + 1)
    into stmt, seen;
  if seen <= cap then
    return query select r.resource_type, (stmt::jsonb ->> r.resource_type)::integer
      from public.resource_types r
      where r.search_document is not null and stmt::jsonb ? r.resource_type
      order by r.resource_type;
    return;
  end if;
  select string_agg(format('(select %L::text as resource_type, count(*)::integer as n from (select 1 from public.search_index i where %s limit %s) x)',
                           r.resource_type, private.search_filter(q, r.resource_type, p_space, p_taxonomy, p_from, p_to,
                             search_count_types.restricted, search_count_types.unviewable), cap + 1),
                    ' union all ' order by r.resource_type)
    into stmt
  from public.resource_types r where r.search_document is not null;
  if stmt is null then
    return;
  end if;
  return query execute 'select c.resource_type, c.n from (' || stmt || ') c where c.n > 0';
end $$;
revoke all on function private.search_count_types(tsquery, uuid, uuid, timestamptz, timestamptz, integer, uuid[], uuid[]) from public, anon, authenticated;
