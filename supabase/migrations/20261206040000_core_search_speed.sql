-- The one search at 100,000 entries (issue 15, `npm run bench`). What EXPLAIN (ANALYZE, BUFFERS)
-- showed on the app's queries:
--  * the visibility check per row: every text match was fetched from the heap, then tested against
--    the caller's visible components. The first entries on disk may all be in a private space or an
--    unpublished component: a common word read ~1,900 heap pages (and, with a LIMIT, the planner
--    walked the whole table evaluating `@@` on each row: 78 ms) to find 1,001 visible matches;
--  * the caller's visibility (visible components, every type's unviewable resources: 3–8 ms) was
--    computed twice per search (counts, then page), and twice again by the RLS policy of the
--    parent-title join;
--  * a rare word in bodies but not titles (a large unranked result set) walked the whole
--    newest-first index looking for a title match.
-- Now each entry carries whether everyone sees its component (`public`: the component and its
-- space published, the space not private), kept up to date when a space or a component changes;
-- the text indexes are partial on it, so a visitor's matches come from entries they may all see;
-- the few other visible components (a member's private space) are read through the other part.
-- One function answers a search (counts, page, parents' titles) with the visibility computed
-- once, and plans its statements without sequential scans (the text index or the newest-first
-- index lead, whatever the planner guesses of the words' spread over the table).

alter table public.search_index add column if not exists public boolean not null default false;

-- Seen by everyone (anon included): what `visible_component_ids()` grants without asking who.
create or replace function private.search_component_public(component uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select coalesce((
    select c.published_at is not null and s.published_at is not null and not s.private
    from public.components c join public.spaces s on s.id = c.space_id where c.id = component), false)
$$;
revoke all on function private.search_component_public(uuid) from public, anon, authenticated;

update public.search_index i set public = private.search_component_public(i.component_id);

create or replace function private.search_entry(resource_type text, resource_id uuid, doc private.search_document) returns public.search_index
language sql stable set search_path = '' as $$
  select search_entry.resource_type, search_entry.resource_id, doc.component_id, doc.space_id, coalesce(doc.taxonomy_ids, '{}'),
         t.title, t.body, doc.published_at,
         setweight(private.search_vector(t.title), 'A') || setweight(private.search_vector(t.body), 'C'),
         private.search_vector(t.title), now(), doc.parent_type, doc.parent_id,
         private.search_component_public(doc.component_id)
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
    parent_type = excluded.parent_type, parent_id = excluded.parent_id, public = excluded.public;
end $$;
revoke all on function private.search_refresh(text, uuid) from public, anon, authenticated;

-- A space or a component published, unpublished, made private or public: its entries follow.
create or replace function private.search_space_changed() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  update public.search_index i set public = private.search_component_public(i.component_id)
  where i.space_id = new.id and i.public is distinct from private.search_component_public(i.component_id);
  return null;
end $$;
create or replace trigger spaces_search_public after update of published_at, private on public.spaces
  for each row when (old.published_at is distinct from new.published_at or old.private is distinct from new.private)
  execute function private.search_space_changed();

create or replace function private.search_component_changed() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  update public.search_index i set public = private.search_component_public(i.component_id)
  where i.component_id = new.id and i.public is distinct from private.search_component_public(i.component_id);
  return null;
end $$;
create or replace trigger components_search_public after update of published_at, space_id on public.components
  for each row when (old.published_at is distinct from new.published_at or old.space_id is distinct from new.space_id)
  execute function private.search_component_changed();

-- The text indexes, split by who sees the entries: a visitor's search reads the public part only.
drop index if exists public.search_index_document_idx;
drop index if exists public.search_index_title_document_idx;
create index if not exists search_index_public_document_idx on public.search_index using gin (document) where public;
create index if not exists search_index_restricted_document_idx on public.search_index using gin (document) where not public;
create index if not exists search_index_public_title_document_idx on public.search_index using gin (title_document) where public;
create index if not exists search_index_restricted_title_document_idx on public.search_index using gin (title_document) where not public;
create index if not exists search_index_public_published_idx on public.search_index (published_at desc nulls last, resource_id) where public;

-- The components the caller sees besides the public ones (none for a visitor: no question asked).
create or replace function private.search_restricted_component_ids() returns uuid[]
language sql stable security definer set search_path = '' as $$
  -- Without a user every rule of can_view_component_row asks for one: the public components only.
  select case when (select auth.uid()) is null then '{}'::uuid[]
    -- The rule asked of the other components only (materialized: not of every component).
    else (with other as materialized (
            select c.id, c.space_id, c.published_at from public.components c join public.spaces s on s.id = c.space_id
            where not (c.published_at is not null and s.published_at is not null and not s.private))
          select coalesce(array_agg(o.id), '{}') from other o where private.can_view_component_row(o.space_id, o.published_at)) end
$$;
revoke all on function private.search_restricted_component_ids() from public, anon, authenticated;

-- The policy's predicate on the public flag: the same entries as before (public, or in one of the
-- other components the caller sees), written so that each part has its partial index.
drop function if exists private.search_where(tsquery, text, uuid, uuid, timestamptz, timestamptz, uuid[], uuid[]);
create or replace function private.search_filter(q tsquery, p_type text, p_space uuid, p_taxonomy uuid, p_from timestamptz, p_to timestamptz,
  restricted uuid[], unviewable uuid[])
returns text
language sql stable security definer set search_path = '' as $$
  select case when cardinality(restricted) = 0 then 'i.public'
              else format('(i.public or (not i.public and i.component_id = any (%L::uuid[])))', restricted) end
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

-- Counts per type (capped), given the caller's visibility.
create or replace function private.search_count_types(q tsquery, p_space uuid, p_taxonomy uuid, p_from timestamptz, p_to timestamptz, cap integer,
  restricted uuid[], unviewable uuid[])
returns table (resource_type text, n integer)
language plpgsql stable security definer set search_path = '' set enable_seqscan = off as $$
declare
  t text;
  c integer;
begin
  for t in select r.resource_type from public.resource_types r where r.search_document is not null order by r.resource_type loop
    execute format('select count(*)::integer from (select 1 from public.search_index i where %s limit %s) x',
                   private.search_filter(q, t, p_space, p_taxonomy, p_from, p_to, restricted, unviewable), cap + 1)
      into c;
    if c > 0 then
      resource_type := t;
      n := c;
      return next;
    end if;
  end loop;
end $$;
revoke all on function private.search_count_types(tsquery, uuid, uuid, timestamptz, timestamptz, integer, uuid[], uuid[]) from public, anon, authenticated;

-- A page, given the caller's visibility; each entry with its parent's title when the caller sees
-- the parent's entry too (the same predicate).
create or replace function private.search_page_of(q tsquery, p_type text, p_space uuid, p_taxonomy uuid, p_from timestamptz, p_to timestamptz,
  p_limit integer, p_offset integer, ranked boolean, restricted uuid[], unviewable uuid[])
returns table (resource_type text, resource_id uuid, component_id uuid, space_id uuid, title jsonb, body jsonb, published_at timestamptz,
  rank real, parent_type text, parent_id uuid, parent_title jsonb)
language plpgsql stable security definer set search_path = '' set enable_seqscan = off as $$
declare
  lim integer := least(coalesce(p_limit, 20), 100);
  off integer := greatest(coalesce(p_offset, 0), 0);
  w text := private.search_filter(q, p_type, p_space, p_taxonomy, p_from, p_to, restricted, unviewable);
  cols text := 'i.resource_type, i.resource_id, i.component_id, i.space_id, i.title, i.body, i.published_at';
  page text;
begin
  if q is null then
    page := format('select %s, 0::real as rank, i.parent_type, i.parent_id from public.search_index i where %s
      order by i.published_at desc nulls last, i.resource_id limit %s offset %s', cols, w, lim, off);
  elsif ranked then
    page := format('select %s, ts_rank(i.document, %L::tsquery) as rank, i.parent_type, i.parent_id from public.search_index i where %s
      order by 8 desc, i.published_at desc nulls last, i.resource_id limit %s offset %s', cols, q, w, lim, off);
  else
    page := format('select * from (
        (select %1$s, 1::real as rank, i.parent_type, i.parent_id from public.search_index i where %2$s and i.title_document @@ %3$L::tsquery
         order by i.published_at desc nulls last, i.resource_id limit %4$s)
        union all
        (select %1$s, 0::real, i.parent_type, i.parent_id from public.search_index i where %2$s and not i.title_document @@ %3$L::tsquery
         order by i.published_at desc nulls last, i.resource_id limit %4$s)) x
      order by x.rank desc, x.published_at desc nulls last, x.resource_id limit %5$s offset %6$s', cols, w, q, lim + off, lim, off);
  end if;
  return query execute format('select m.resource_type, m.resource_id, m.component_id, m.space_id, m.title, m.body, m.published_at, m.rank,
      m.parent_type, m.parent_id, pi.title
    from (%s) m
    left join lateral (select i.title from public.search_index i
      where i.resource_type = m.parent_type and i.resource_id = m.parent_id and %s) pi on true
    order by m.rank desc, m.published_at desc nulls last, m.resource_id',
    page, private.search_filter(null, null, null, null, null, null, restricted, unviewable));
end $$;
revoke all on function private.search_page_of(tsquery, text, uuid, uuid, timestamptz, timestamptz, integer, integer, boolean, uuid[], uuid[])
  from public, anon, authenticated;

-- The app's one call: counts per type (rows without resource_id), then the page. `ranked` when the
-- matches of the page's type(s) are few enough (≤ cap) to rank whole.
create or replace function private.search_results(q tsquery, p_type text, p_space uuid, p_taxonomy uuid, p_from timestamptz, p_to timestamptz,
  p_limit integer, p_offset integer, cap integer default 1000)
returns table (resource_type text, n integer, resource_id uuid, component_id uuid, space_id uuid, title jsonb, body jsonb,
  published_at timestamptz, parent_type text, parent_id uuid, parent_title jsonb)
language plpgsql stable security definer set search_path = '' as $$
declare
  restricted uuid[] := private.search_restricted_component_ids();
  unviewable uuid[] := private.unviewable_resource_ids();
  total integer := 0;
begin
  for resource_type, n in select c.resource_type, c.n from private.search_count_types(q, p_space, p_taxonomy, p_from, p_to, cap, restricted, unviewable) c loop
    if p_type is null or resource_type = p_type then
      total := total + n;
    end if;
    return next;
  end loop;
  if total = 0 then
    return;
  end if;
  n := null;
  return query select p.resource_type, null::integer, p.resource_id, p.component_id, p.space_id, p.title, p.body, p.published_at,
      p.parent_type, p.parent_id, p.parent_title
    from private.search_page_of(q, p_type, p_space, p_taxonomy, p_from, p_to, p_limit, p_offset, total <= cap, restricted, unviewable) p;
end $$;
grant execute on function private.search_results(tsquery, text, uuid, uuid, timestamptz, timestamptz, integer, integer, integer)
  to anon, authenticated, service_role;

-- The earlier entry points, on the same machinery (same answers).
create or replace function private.search_counts(q tsquery, p_space uuid, p_taxonomy uuid, p_from timestamptz, p_to timestamptz, cap integer default 1000)
returns table (resource_type text, n integer)
language sql stable security definer set search_path = '' as $$
  select c.resource_type, c.n from private.search_count_types(q, p_space, p_taxonomy, p_from, p_to, cap,
    private.search_restricted_component_ids(), private.unviewable_resource_ids()) c
$$;

create or replace function private.search_page(q tsquery, p_type text, p_space uuid, p_taxonomy uuid, p_from timestamptz, p_to timestamptz,
  p_limit integer, p_offset integer, ranked boolean default true)
returns table (resource_type text, resource_id uuid, component_id uuid, space_id uuid, title jsonb, body jsonb, published_at timestamptz,
  rank real, parent_type text, parent_id uuid)
language sql stable security definer set search_path = '' as $$
  select p.resource_type, p.resource_id, p.component_id, p.space_id, p.title, p.body, p.published_at, p.rank, p.parent_type, p.parent_id
  from private.search_page_of(q, p_type, p_space, p_taxonomy, p_from, p_to, p_limit, p_offset, ranked,
    private.search_restricted_component_ids(), private.unviewable_resource_ids()) p
$$;

-- A component's text filter: one component's visibility (not every component's), the type's own
-- unviewable resources (not every type's; the others' only when an entry has a parent), and the
-- part of the index its component is in.
create or replace function private.search_component_ids(p_type text, p_component uuid, q tsquery) returns setof uuid
language plpgsql stable security definer set search_path = '' set enable_seqscan = off as $$
declare
  fn regproc;
  hid uuid[] := '{}';
begin
  if not private.can_view_component(p_component) then
    return;
  end if;
  select t.unviewable::oid::regproc into fn from public.resource_types t where t.resource_type = p_type;
  if fn is not null then
    execute format('select %s()', fn) into hid;
  end if;
  return query execute format('select i.resource_id from public.search_index i
    where i.public = %L and i.document @@ %L::tsquery and i.component_id = %L::uuid and i.resource_type = %L
      and not i.resource_id = any (%L::uuid[])
      and (i.parent_id is null or not i.parent_id = any ((select private.unviewable_resource_ids())::uuid[]))',
    private.search_component_public(p_component), q, p_component, p_type, coalesce(hid, '{}'));
end $$;

analyze public.search_index;
