-- One search for everything: a full-text index over every registered resource type that tells
-- the registry how to read its title and body (French and English configurations with
-- `unaccent`, titles weighted over bodies), kept up to date by a trigger the feature attaches to
-- its tables, and read under RLS with the same visibility as the resources themselves (their
-- component seen by the caller, the resource not among the type's unviewable ones); drafts and
-- hidden resources are never indexed at all. Nothing here names a feature.

create extension if not exists unaccent with schema extensions;

-- Accents and case do not matter ("vélo" finds "Velo"); words are stemmed in each language.
do $$
begin
  if not exists (select 1 from pg_ts_config where cfgname = 'search_fr' and cfgnamespace = 'private'::regnamespace) then
    create text search configuration private.search_fr (copy = pg_catalog.french);
    alter text search configuration private.search_fr alter mapping for hword, hword_part, word with extensions.unaccent, french_stem;
  end if;
  if not exists (select 1 from pg_ts_config where cfgname = 'search_en' and cfgnamespace = 'private'::regnamespace) then
    create text search configuration private.search_en (copy = pg_catalog.english);
    alter text search configuration private.search_en alter mapping for hword, hword_part, word with extensions.unaccent, english_stem;
  end if;
end $$;

-- What a feature says about one of its resources (null: not to be found — a draft, a hidden one).
create type private.search_document as (
  component_id uuid,
  space_id uuid,
  -- A translated text (`{"fr": …, "en": …}`) or a plain string in the organization's language.
  title jsonb,
  body jsonb,
  taxonomy_ids uuid[],
  published_at timestamptz
);

-- `(resource uuid) returns private.search_document`, security definer: the resource's searchable
-- text and where it lives, or null when it must not be found.
alter table public.resource_types add column search_document regprocedure;

-- Text of HTML, for indexing and snippets: tags out, the common entities back to characters. A
-- `<` followed by a letter gets a word joiner (U+2060, invisible) after it: the snippets' parser
-- would otherwise take `<script>` written in a text for a tag and cut the snippet there.
create or replace function private.search_plain(html text) returns text
language sql immutable set search_path = '' as $$
  select regexp_replace(btrim(regexp_replace(
    replace(replace(replace(replace(replace(replace(
      regexp_replace(coalesce(html, ''), '<[^>]*>', ' ', 'g'),
      '&nbsp;', ' '), '&lt;', '<'), '&gt;', '>'), '&quot;', '"'), '&#39;', ''''), '&amp;', '&'),
    '\s+', ' ', 'g')), '<([A-Za-z/!?])', '<' || chr(8288) || '\1', 'g')
$$;

-- A translated text's vector: every text with both the French and the English configuration
-- (the query is the union of both too), so a word is found, or excluded with `-word`, whatever the
-- language the text or the query was written in.
create or replace function private.search_vector(value jsonb) returns tsvector
language sql immutable set search_path = '' as $$
  select coalesce((
    select to_tsvector('private.search_fr', string_agg(t.v, ' ')) || to_tsvector('private.search_en', string_agg(t.v, ' '))
    from (select value #>> '{}' as v where jsonb_typeof(value) = 'string'
          union all select e.v from jsonb_each_text(case when jsonb_typeof(value) = 'object' then value else '{}'::jsonb end) e(k, v)) t
    where t.v is not null and t.v <> ''), ''::tsvector)
$$;

create table public.search_index (
  resource_type text not null references public.resource_types (resource_type) on delete cascade,
  resource_id uuid not null,
  component_id uuid not null references public.components (id) on delete cascade,
  space_id uuid not null references public.spaces (id) on delete cascade,
  taxonomy_ids uuid[] not null default '{}',
  -- Plain text, for the results and their highlighted snippets.
  title jsonb not null,
  body jsonb not null,
  published_at timestamptz,
  -- Every word, the title's weighted A, the body's C (matching, counting, ranking).
  document tsvector not null,
  -- The title's words alone: titles first when too many entries match to rank them all.
  title_document tsvector not null,
  indexed_at timestamptz not null default now(),
  primary key (resource_type, resource_id)
);
create index search_index_document_idx on public.search_index using gin (document);
-- With it the planner knows how rare a word is in titles: a rare one is read through the index,
-- a common one by walking the newest entries.
create index search_index_title_document_idx on public.search_index using gin (title_document);
create index search_index_component_idx on public.search_index (component_id);
create index search_index_space_idx on public.search_index (space_id);
create index search_index_taxonomies_idx on public.search_index using gin (taxonomy_ids);
create index search_index_published_idx on public.search_index (published_at desc nulls last, resource_id);

alter table public.search_index enable row level security;
-- As RLS answers for the resources themselves: their component seen by the caller (published,
-- in a space they may see), and not among the type's unviewable ones (restricted, hidden).
create policy "the index answers where the resources are seen" on public.search_index for select to anon, authenticated
  using (component_id = any ((select private.visible_component_ids())::uuid[])
    and not resource_id = any ((select private.unviewable_resource_ids())::uuid[]));
revoke insert, update, delete on public.search_index from anon, authenticated;

-- Plain text per language (HTML bodies lose their tags), for the vector and the snippets.
create or replace function private.search_text(value jsonb) returns jsonb
language sql immutable set search_path = '' as $$
  select case jsonb_typeof(value)
    when 'object' then coalesce((select jsonb_object_agg(t.k, private.search_plain(t.v)) from jsonb_each_text(value) t(k, v)), '{}')
    when 'string' then to_jsonb(private.search_plain(value #>> '{}'))
    else '""'::jsonb end
$$;

-- The index entry of a document: its texts made plain, title weighted A over body C.
create or replace function private.search_entry(resource_type text, resource_id uuid, doc private.search_document) returns public.search_index
language sql stable set search_path = '' as $$
  select search_entry.resource_type, search_entry.resource_id, doc.component_id, doc.space_id, coalesce(doc.taxonomy_ids, '{}'),
         t.title, t.body, doc.published_at,
         setweight(private.search_vector(t.title), 'A') || setweight(private.search_vector(t.body), 'C'),
         private.search_vector(t.title), now()
  from (select private.search_text(doc.title) as title, private.search_text(doc.body) as body) t
$$;

-- ---------------------------------------------------------------------------------------------
-- Reading the index: the app's queries
-- ---------------------------------------------------------------------------------------------

-- RLS would answer the same, but `@@` is not leakproof: under a policy Postgres may not use the
-- text index before the policy's checks, and reads every visible entry instead. These functions
-- apply exactly the policy's predicate (the caller's visible components, minus the types'
-- unviewable resources, each computed once) as the owner, so the text index leads the plan.

create or replace function private.search_taxonomy_ids(taxonomy uuid) returns uuid[]
language sql stable security definer set search_path = '' as $$
  with recursive sub(id) as (
    select taxonomy where taxonomy is not null
    union all
    select t.id from public.taxonomies t join sub on t.parent_id = sub.id
  ) select coalesce(array_agg(id), '{}') from sub
$$;

-- The filters, as SQL for the dynamic statements below: the words and the other values arrive as
-- literals, so each statement is planned for its words (a rare word through the text index, a
-- common one walking the newest entries), not with a generic plan.
create or replace function private.search_where(q tsquery, p_type text, p_space uuid, p_taxonomy uuid, p_from timestamptz, p_to timestamptz,
  visible uuid[], unviewable uuid[])
returns text
language sql stable security definer set search_path = '' as $$
  select format('i.component_id = any (%L::uuid[]) and not i.resource_id = any (%L::uuid[])', visible, unviewable)
    || case when q is null then '' else format(' and i.document @@ %L::tsquery', q) end
    || case when p_type is null then '' else format(' and i.resource_type = %L', p_type) end
    || case when p_space is null then '' else format(' and i.space_id = %L::uuid', p_space) end
    || case when p_taxonomy is null then '' else format(' and i.taxonomy_ids && %L::uuid[]', private.search_taxonomy_ids(p_taxonomy)) end
    || case when p_from is null then '' else format(' and i.published_at >= %L::timestamptz', p_from) end
    || case when p_to is null then '' else format(' and i.published_at < %L::timestamptz', p_to) end
$$;

-- Entries per type matching the words (`q`, or null for none) and filters, as the caller may see
-- them, counted up to `cap` + 1 each (a count past the cap reads "more than cap").
create or replace function private.search_counts(q tsquery, p_space uuid, p_taxonomy uuid, p_from timestamptz, p_to timestamptz, cap integer default 1000)
returns table (resource_type text, n integer)
language plpgsql stable security definer set search_path = '' as $$
declare
  t text;
  c integer;
  vis uuid[] := private.visible_component_ids();
  hid uuid[] := private.unviewable_resource_ids();
begin
  for t in select r.resource_type from public.resource_types r where r.search_document is not null order by r.resource_type loop
    execute format('select count(*)::integer from (select 1 from public.search_index i where %s limit %s) x',
                   private.search_where(q, t, p_space, p_taxonomy, p_from, p_to, vis, hid), cap + 1)
      into c;
    if c > 0 then
      resource_type := t;
      n := c;
      return next;
    end if;
  end loop;
end $$;

-- A page of those entries. `ranked`: by relevance (ts_rank: titles weigh more than bodies) — for
-- a result set small enough to rank whole; otherwise the title matches first, then the body
-- matches, each newest first (an order the newest-first index gives without reading every match).
-- Without words: newest first.
create or replace function private.search_page(q tsquery, p_type text, p_space uuid, p_taxonomy uuid, p_from timestamptz, p_to timestamptz,
  p_limit integer, p_offset integer, ranked boolean default true)
returns table (resource_type text, resource_id uuid, component_id uuid, space_id uuid, title jsonb, body jsonb, published_at timestamptz, rank real)
language plpgsql stable security definer set search_path = '' as $$
declare
  lim integer := least(coalesce(p_limit, 20), 100);
  off integer := greatest(coalesce(p_offset, 0), 0);
  w text := private.search_where(q, p_type, p_space, p_taxonomy, p_from, p_to,
                                 private.visible_component_ids(), private.unviewable_resource_ids());
  cols text := 'i.resource_type, i.resource_id, i.component_id, i.space_id, i.title, i.body, i.published_at';
begin
  if q is null then
    return query execute format('select %s, 0::real from public.search_index i where %s
      order by i.published_at desc nulls last, i.resource_id limit %s offset %s', cols, w, lim, off);
  elsif ranked then
    return query execute format('select %s, ts_rank(i.document, %L::tsquery) from public.search_index i where %s
      order by 8 desc, i.published_at desc nulls last, i.resource_id limit %s offset %s', cols, q, w, lim, off);
  else
    return query execute format('select * from (
        (select %1$s, 1::real as rank from public.search_index i where %2$s and i.title_document @@ %3$L::tsquery
         order by i.published_at desc nulls last, i.resource_id limit %4$s)
        union all
        (select %1$s, 0::real from public.search_index i where %2$s and not i.title_document @@ %3$L::tsquery
         order by i.published_at desc nulls last, i.resource_id limit %4$s)) x
      order by x.rank desc, x.published_at desc nulls last, x.resource_id limit %5$s offset %6$s', cols, w, q, lim + off, lim, off);
  end if;
end $$;

-- A component's text filter (every component's list): the ids of its resources of a type that
-- match the words, as the caller may see them.
create or replace function private.search_component_ids(p_type text, p_component uuid, q tsquery) returns setof uuid
language plpgsql stable security definer set search_path = '' as $$
begin
  if not p_component = any (private.visible_component_ids()) then
    return;
  end if;
  -- Planned for these words (a common word may rather read the component's entries).
  return query execute format('select i.resource_id from public.search_index i
    where i.document @@ %L::tsquery and i.component_id = %L::uuid and i.resource_type = %L and not i.resource_id = any (%L::uuid[])',
    q, p_component, p_type, private.unviewable_resource_ids());
end $$;

revoke all on function private.search_where(tsquery, text, uuid, uuid, timestamptz, timestamptz, uuid[], uuid[]) from public, anon, authenticated;
grant execute on function private.search_taxonomy_ids(uuid),
  private.search_counts(tsquery, uuid, uuid, timestamptz, timestamptz, integer),
  private.search_page(tsquery, text, uuid, uuid, timestamptz, timestamptz, integer, integer, boolean),
  private.search_component_ids(text, uuid, tsquery) to anon, authenticated, service_role;

-- The components the caller can see, once per query: the public ones (published, in a published
-- public space) without asking anything more; the others through the rule of core_spaces.
create or replace function private.visible_component_ids() returns uuid[]
language sql stable security definer set search_path = '' as $$
  select coalesce(array_agg(c.id), '{}') from public.components c join public.spaces s on s.id = c.space_id
  where (c.published_at is not null and s.published_at is not null and not s.private)
     or private.can_view_component_row(c.space_id, c.published_at)
$$;

-- Re-reads one resource through its type's `search_document` and writes (or removes) its entry.
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
    title_document = excluded.title_document, indexed_at = excluded.indexed_at;
end $$;
revoke all on function private.search_refresh(text, uuid) from public, anon, authenticated;

-- A feature attaches this to its resource tables (`after insert or update or delete … execute
-- function private.search_reindex('<type>'[, '<id column>'])`): the index follows every change,
-- whoever makes it, in the same transaction.
create or replace function private.search_reindex() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  perform private.search_refresh(tg_argv[0], (to_jsonb(coalesce(new, old)) ->> coalesce(tg_argv[1], 'id'))::uuid);
  return null;
end $$;

-- Many resources of a type at once, set-based (a feature's migration after it registers, a bulk
-- load): their entries replaced by what their documents say now.
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
    where (x.doc).component_id is not null$q$, fn)
  using search_reindex_type.resource_type, ids;
  get diagnostics n = row_count;
  return n;
end $$;
revoke all on function private.search_reindex_type(text, uuid[]) from public, anon, authenticated;
