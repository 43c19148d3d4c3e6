-- Resources that live on another one (a comment on a proposal) in the one search. Their document
-- names that resource (its type and id): the entry is then found only by whoever may see it too —
-- the same rule as the resource type's own policies (`not resource_id = any (unviewable)` on the
-- parent), since a parent may be hidden or restricted to its authors while its component is seen.
-- The features' `search_document` functions return the two new attributes (null: no parent).

alter type private.search_document add attribute parent_type text, add attribute parent_id uuid;

alter table public.search_index add column parent_type text, add column parent_id uuid;
alter table public.search_index add constraint search_index_parent check ((parent_type is null) = (parent_id is null));

drop policy "the index answers where the resources are seen" on public.search_index;
create policy "the index answers where the resources are seen" on public.search_index for select to anon, authenticated
  using (component_id = any ((select private.visible_component_ids())::uuid[])
    and not resource_id = any ((select private.unviewable_resource_ids())::uuid[])
    and (parent_id is null or not parent_id = any ((select private.unviewable_resource_ids())::uuid[])));

create or replace function private.search_entry(resource_type text, resource_id uuid, doc private.search_document) returns public.search_index
language sql stable set search_path = '' as $$
  select search_entry.resource_type, search_entry.resource_id, doc.component_id, doc.space_id, coalesce(doc.taxonomy_ids, '{}'),
         t.title, t.body, doc.published_at,
         setweight(private.search_vector(t.title), 'A') || setweight(private.search_vector(t.body), 'C'),
         private.search_vector(t.title), now(), doc.parent_type, doc.parent_id
  from (select private.search_text(coalesce(doc.title, '""')) as title, private.search_text(doc.body) as body) t
$$;

create or replace function private.search_refresh(resource_type text, resource_id uuid) returns void
language plpgsql security definer set search_path = '' as $$
declare
  fn regproc;
  doc private.search_document;
begin
  select t.search_document::oid::regproc into fn from public.resource_types t where t.resource_type = search_refresh.resource_type;
  if fn is not null then
    execute format('select * from %s($1)', fn) into doc using search_refresh.resource_id;
  end if;
  if fn is null or doc is null or doc.component_id is null then
    delete from public.search_index i where i.resource_type = search_refresh.resource_type and i.resource_id = search_refresh.resource_id;
    return;
  end if;
  insert into public.search_index
  select e.* from private.search_entry(search_refresh.resource_type, search_refresh.resource_id, doc) e
  on conflict on constraint search_index_pkey do update set
    component_id = excluded.component_id, space_id = excluded.space_id, taxonomy_ids = excluded.taxonomy_ids,
    title = excluded.title, body = excluded.body, published_at = excluded.published_at, document = excluded.document,
    title_document = excluded.title_document, indexed_at = excluded.indexed_at,
    parent_type = excluded.parent_type, parent_id = excluded.parent_id;
end $$;
revoke all on function private.search_refresh(text, uuid) from public, anon, authenticated;

-- The policy's predicate, with the parents' rule.
create or replace function private.search_where(q tsquery, p_type text, p_space uuid, p_taxonomy uuid, p_from timestamptz, p_to timestamptz,
  visible uuid[], unviewable uuid[])
returns text
language sql stable security definer set search_path = '' as $$
  select format('i.component_id = any (%1$L::uuid[]) and not i.resource_id = any (%2$L::uuid[])
                 and (i.parent_id is null or not i.parent_id = any (%2$L::uuid[]))', visible, unviewable)
    || case when q is null then '' else format(' and i.document @@ %L::tsquery', q) end
    || case when p_type is null then '' else format(' and i.resource_type = %L', p_type) end
    || case when p_space is null then '' else format(' and i.space_id = %L::uuid', p_space) end
    || case when p_taxonomy is null then '' else format(' and i.taxonomy_ids && %L::uuid[]', private.search_taxonomy_ids(p_taxonomy)) end
    || case when p_from is null then '' else format(' and i.published_at >= %L::timestamptz', p_from) end
    || case when p_to is null then '' else format(' and i.published_at < %L::timestamptz', p_to) end
$$;
revoke all on function private.search_where(tsquery, text, uuid, uuid, timestamptz, timestamptz, uuid[], uuid[]) from public, anon, authenticated;

-- A page of results now also says where each one lives (its parent), for its address and title.
drop function private.search_page(tsquery, text, uuid, uuid, timestamptz, timestamptz, integer, integer, boolean);
create function private.search_page(q tsquery, p_type text, p_space uuid, p_taxonomy uuid, p_from timestamptz, p_to timestamptz,
  p_limit integer, p_offset integer, ranked boolean default true)
returns table (resource_type text, resource_id uuid, component_id uuid, space_id uuid, title jsonb, body jsonb, published_at timestamptz,
  rank real, parent_type text, parent_id uuid)
language plpgsql stable security definer set search_path = '' as $$
declare
  lim integer := least(coalesce(p_limit, 20), 100);
  off integer := greatest(coalesce(p_offset, 0), 0);
  w text := private.search_where(q, p_type, p_space, p_taxonomy, p_from, p_to,
                                 private.visible_component_ids(), private.unviewable_resource_ids());
  cols text := 'i.resource_type, i.resource_id, i.component_id, i.space_id, i.title, i.body, i.published_at';
begin
  if q is null then
    return query execute format('select %s, 0::real, i.parent_type, i.parent_id from public.search_index i where %s
      order by i.published_at desc nulls last, i.resource_id limit %s offset %s', cols, w, lim, off);
  elsif ranked then
    return query execute format('select %s, ts_rank(i.document, %L::tsquery), i.parent_type, i.parent_id from public.search_index i where %s
      order by 8 desc, i.published_at desc nulls last, i.resource_id limit %s offset %s', cols, q, w, lim, off);
  else
    return query execute format('select * from (
        (select %1$s, 1::real as rank, i.parent_type, i.parent_id from public.search_index i where %2$s and i.title_document @@ %3$L::tsquery
         order by i.published_at desc nulls last, i.resource_id limit %4$s)
        union all
        (select %1$s, 0::real, i.parent_type, i.parent_id from public.search_index i where %2$s and not i.title_document @@ %3$L::tsquery
         order by i.published_at desc nulls last, i.resource_id limit %4$s)) x
      order by x.rank desc, x.published_at desc nulls last, x.resource_id limit %5$s offset %6$s', cols, w, q, lim + off, lim, off);
  end if;
end $$;
grant execute on function private.search_page(tsquery, text, uuid, uuid, timestamptz, timestamptz, integer, integer, boolean)
  to anon, authenticated, service_role;
