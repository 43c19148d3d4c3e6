-- Participatory processes and assemblies in the one search: their title, then their subtitle,
-- short description and description as the body. A space's entry has no component: it is found
-- by whoever sees the space (unpublished ones by their admins and collaborators, private ones by
-- their members), as the spaces' own policy answers. The spaces are the platform's, so this is core.

alter table public.search_index alter column component_id drop not null;
alter table public.search_index add constraint search_index_placed check (component_id is not null or resource_type in ('participatory_process', 'assembly'));

-- Nothing to take part in on a space through the shared layer (comments, likes…): no component.
create or replace function private.space_resource_component(space uuid) returns uuid
language sql stable security definer set search_path = '' as $$
  select null::uuid
$$;

create or replace function private.space_search_body(s public.spaces) returns jsonb
language sql immutable set search_path = '' as $$
  select coalesce(jsonb_object_agg(k.k, concat_ws(' ', s.subtitle ->> k.k, s.short_description ->> k.k, s.description ->> k.k)), '{}')
  from (select jsonb_object_keys(s.subtitle) union select jsonb_object_keys(s.short_description)
        union select jsonb_object_keys(s.description)) k(k)
$$;

-- A space of this kind, found where it is seen (unpublished ones too: their admins find them).
create or replace function private.space_search_document(space uuid, kind text) returns private.search_document
language sql stable security definer set search_path = '' as $$
  select row(null, s.id, s.title, private.space_search_body(s), '{}'::uuid[], s.published_at, null, null)::private.search_document
  from public.spaces s where s.id = space and s.kind = space_search_document.kind
$$;
create or replace function private.process_search_document(space uuid) returns private.search_document
language sql stable security definer set search_path = '' as $$
  select private.space_search_document(space, 'process')
$$;
create or replace function private.assembly_search_document(space uuid) returns private.search_document
language sql stable security definer set search_path = '' as $$
  select private.space_search_document(space, 'assembly')
$$;
revoke all on function private.space_search_document(uuid, text), private.process_search_document(uuid), private.assembly_search_document(uuid)
  from public, anon, authenticated;

insert into public.resource_types (resource_type, feature, capabilities, component_of, search_document)
values ('participatory_process', 'spaces', '{}', 'private.space_resource_component(uuid)', 'private.process_search_document(uuid)');
insert into public.resource_types (resource_type, feature, capabilities, component_of, search_document)
values ('assembly', 'spaces', '{}', 'private.space_resource_component(uuid)', 'private.assembly_search_document(uuid)');

-- Seen by everyone: a component whose space and itself are published, a space published and not private.
create or replace function private.search_entry_public(component uuid, space uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select case when component is not null then private.search_component_public(component)
    else coalesce((select s.published_at is not null and not s.private from public.spaces s where s.id = space), false) end
$$;
revoke all on function private.search_entry_public(uuid, uuid) from public, anon, authenticated;

create or replace function private.search_entry(resource_type text, resource_id uuid, doc private.search_document) returns public.search_index
language sql stable set search_path = '' as $$
  select search_entry.resource_type, search_entry.resource_id, doc.component_id, doc.space_id, coalesce(doc.taxonomy_ids, '{}'),
         t.title, t.body, doc.published_at,
         setweight(private.search_vector(t.title), 'A') || setweight(private.search_vector(t.body), 'C'),
         private.search_vector(t.title), now(), doc.parent_type, doc.parent_id,
         private.search_entry_public(doc.component_id, doc.space_id)
  from (select private.search_text(coalesce(doc.title, '""')) as title, private.search_text(doc.body) as body) t
$$;

-- A document places its resource in a component, or (a space) in a space only.
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
  if fn is null or doc is null or doc.space_id is null then
    delete from public.search_index i where i.resource_type = search_refresh.resource_type and i.resource_id = search_refresh.resource_id;
    return;
  end if;
  insert into public.search_index
  select e.* from private.search_entry(search_refresh.resource_type, search_refresh.resource_id, doc) e
  on conflict on constraint search_index_pkey do update set
    component_id = excluded.component_id, space_id = excluded.space_id, taxonomy_ids = excluded.taxonomy_ids,
    title = excluded.title, body = excluded.body, published_at = excluded.published_at, document = excluded.document,
    title_document = excluded.title_document, indexed_at = excluded.indexed_at,
    parent_type = excluded.parent_type, parent_id = excluded.parent_id, public = excluded.public;
end $$;
revoke all on function private.search_refresh(text, uuid) from public, anon, authenticated;

create or replace function private.search_reindex_type(resource_type text, ids uuid[]) returns integer
language plpgsql security definer set search_path = '' as $$
declare
  fn regproc;
  n integer;
begin
  select t.search_document::oid::regproc into fn from public.resource_types t where t.resource_type = search_reindex_type.resource_type;
  delete from public.search_index i where i.resource_type = search_reindex_type.resource_type and i.resource_id = any (ids);
  if fn is null then
    return 0;
  end if;
  execute format($q$
    insert into public.search_index
    select e.* from unnest($2::uuid[]) d(id)
    cross join lateral (select %s(d.id) as doc) x
    cross join lateral private.search_entry($1, d.id, x.doc) e
    where (x.doc).space_id is not null$q$, fn)
  using search_reindex_type.resource_type, ids;
  get diagnostics n = row_count;
  return n;
end $$;
revoke all on function private.search_reindex_type(text, uuid[]) from public, anon, authenticated;

-- The space's entry follows its texts and its visibility; its components' entries their flag.
create or replace function private.search_space_changed() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if tg_op = 'DELETE' then
    delete from public.search_index i where i.resource_id = old.id and i.component_id is null;
    return null;
  end if;
  perform private.search_refresh(case new.kind when 'process' then 'participatory_process' else 'assembly' end, new.id);
  if tg_op = 'UPDATE' and (old.published_at is distinct from new.published_at or old.private is distinct from new.private) then
    update public.search_index i set public = private.search_entry_public(i.component_id, i.space_id)
    where i.space_id = new.id and i.component_id is not null and i.public is distinct from private.search_entry_public(i.component_id, i.space_id);
  end if;
  return null;
end $$;
drop trigger if exists spaces_search_public on public.spaces;
create or replace trigger spaces_search after insert or delete or update of kind, title, subtitle, short_description, description, published_at, private
  on public.spaces for each row execute function private.search_space_changed();

-- Who sees an entry, for the search functions: the public ones; the components and the spaces
-- (their own entries) the caller sees besides.
create or replace function private.search_restricted_space_ids() returns uuid[]
language sql stable security definer set search_path = '' as $$
  select case when (select auth.uid()) is null then '{}'::uuid[]
    else (with other as materialized (
            select s.id, s.published_at, s.private from public.spaces s where not (s.published_at is not null and not s.private))
          select coalesce(array_agg(o.id), '{}') from other o where private.can_view_space_row(o.id, o.published_at, o.private)) end
$$;
revoke all on function private.search_restricted_space_ids() from public, anon, authenticated;

-- The components and the spaces the caller sees besides the public ones, as one array: the
-- filter tells them apart by the entry's kind (a space's entry has no component).
create or replace function private.search_restricted_component_ids() returns uuid[]
language sql stable security definer set search_path = '' as $$
  select case when (select auth.uid()) is null then '{}'::uuid[]
    else (with other as materialized (
            select c.id, c.space_id, c.published_at from public.components c join public.spaces s on s.id = c.space_id
            where not (c.published_at is not null and s.published_at is not null and not s.private))
          select coalesce(array_agg(o.id), '{}') from other o where private.can_view_component_row(o.space_id, o.published_at))
         || private.search_restricted_space_ids() end
$$;

create or replace function private.search_filter(q tsquery, p_type text, p_space uuid, p_taxonomy uuid, p_from timestamptz, p_to timestamptz,
  restricted uuid[], unviewable uuid[])
returns text
language sql stable security definer set search_path = '' as $$
  select case when cardinality(restricted) = 0 then 'i.public'
              else format('(i.public or (not i.public and coalesce(i.component_id, i.space_id) = any (%L::uuid[])))', restricted) end
    || case when cardinality(unviewable) = 0 then ''
            else format(' and not i.resource_id = any (%1$L::uuid[]) and (i.parent_id is null or not i.parent_id = any (%1$L::uuid[]))', unviewable) end
    || case when q is null then '' else format(' and i.document @@ %L::tsquery', q) end
    || case when p_type is null then '' else format(' and i.resource_type = %L', p_type) end
    || case when p_space is null then '' else format(' and i.space_id = %L::uuid', p_space) end
    || case when p_taxonomy is null then '' else format(' and i.taxonomy_ids && %L::uuid[]', private.search_taxonomy_ids(p_taxonomy)) end
    || case when p_from is null then '' else format(' and i.published_at >= %L::timestamptz', p_from) end
    || case when p_to is null then '' else format(' and i.published_at < %L::timestamptz', p_to) end
$$;
revoke all on function private.search_filter(tsquery, text, uuid, uuid, timestamptz, timestamptz, uuid[], uuid[]) from public, anon, authenticated;

-- The spaces the caller sees, once per query (the table's policy).
create or replace function private.visible_space_ids() returns uuid[]
language sql stable security definer set search_path = '' as $$
  select coalesce(array_agg(s.id), '{}') from public.spaces s where private.can_view_space_row(s.id, s.published_at, s.private)
$$;
grant execute on function private.visible_space_ids() to anon, authenticated, service_role;

drop policy "the index answers where the resources are seen" on public.search_index;
create policy "the index answers where the resources are seen" on public.search_index for select to anon, authenticated
  using ((component_id = any ((select private.visible_component_ids())::uuid[])
          or (component_id is null and space_id = any ((select private.visible_space_ids())::uuid[])))
    and not resource_id = any ((select private.unviewable_resource_ids())::uuid[])
    and (parent_id is null or not parent_id = any ((select private.unviewable_resource_ids())::uuid[])));

select private.search_reindex_type('participatory_process', array(select s.id from public.spaces s where s.kind = 'process'));
select private.search_reindex_type('assembly', array(select s.id from public.spaces s where s.kind = 'assembly'));
