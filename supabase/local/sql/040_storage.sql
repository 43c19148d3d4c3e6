-- What Supabase Storage keeps in the project's database (supabase/storage's tenant migrations,
-- trimmed to what the local Storage API uses; same names, types and behaviour): `storage.buckets`
-- and `storage.objects` with RLS on and no policies (the app's migrations add them), the helper
-- functions policies use, `storage.search` (list), the updated_at trigger and the guard against
-- deleting rows outside the API. Applied only to the local embedded Postgres; a real project has them.

do $$ begin
  create type storage.buckettype as enum ('STANDARD', 'ANALYTICS', 'VECTOR');
exception when duplicate_object then null; end $$;

create table if not exists storage.buckets (
  id text not null primary key,
  name text not null,
  owner uuid,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  public boolean default false,
  avif_autodetection boolean default false,
  file_size_limit bigint,
  allowed_mime_types text[],
  owner_id text,
  type storage.buckettype not null default 'STANDARD'
);
create unique index if not exists bname on storage.buckets using btree (name);

create table if not exists storage.objects (
  id uuid not null default gen_random_uuid() primary key,
  bucket_id text constraint "objects_bucketId_fkey" references storage.buckets (id),
  name text,
  owner uuid,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  last_accessed_at timestamptz default now(),
  metadata jsonb,
  path_tokens text[] generated always as (string_to_array(name, '/')) stored,
  version text,
  owner_id text,
  user_metadata jsonb
);
create unique index if not exists bucketid_objname on storage.objects using btree (bucket_id, name);
create index if not exists name_prefix_search on storage.objects (name text_pattern_ops);
create index if not exists idx_objects_bucket_id_name on storage.objects (bucket_id, name collate "C");

alter table storage.buckets enable row level security;
alter table storage.objects enable row level security;

grant all on storage.buckets, storage.objects to postgres with grant option;
grant all on storage.buckets, storage.objects to anon, authenticated, service_role;

create or replace function storage.foldername(name text) returns text[]
language plpgsql immutable as $$
declare
  _parts text[];
begin
  select string_to_array(name, '/') into _parts;
  return _parts[1:array_length(_parts, 1) - 1];
end $$;

create or replace function storage.filename(name text) returns text
language plpgsql immutable as $$
declare
  _parts text[];
begin
  select string_to_array(name, '/') into _parts;
  return _parts[array_length(_parts, 1)];
end $$;

create or replace function storage.extension(name text) returns text
language plpgsql immutable as $$
declare
  _parts text[];
  _filename text;
begin
  select string_to_array(name, '/') into _parts;
  select _parts[array_length(_parts, 1)] into _filename;
  return reverse(split_part(reverse(_filename), '.', 1));
end $$;

create or replace function storage.operation() returns text
language plpgsql stable as $$
begin
  return current_setting('storage.operation', true);
end $$;

create or replace function storage.update_updated_at_column() returns trigger
language plpgsql as $$
begin
  new.updated_at = now();
  return new;
end $$;
drop trigger if exists update_objects_updated_at on storage.objects;
create trigger update_objects_updated_at before update on storage.objects
  for each row execute function storage.update_updated_at_column();

-- As on Supabase: rows go through the Storage API, which removes the file with the row; a delete
-- in SQL would leave the file behind. The API sets storage.allow_delete_query in its transactions.
create or replace function storage.protect_delete() returns trigger
language plpgsql as $$
begin
  if coalesce(current_setting('storage.allow_delete_query', true), 'false') != 'true' then
    raise exception 'Direct deletion from storage tables is not allowed. Use the Storage API instead.'
      using hint = 'This prevents accidental data loss from orphaned objects.', errcode = '42501';
  end if;
  return null;
end $$;
drop trigger if exists protect_buckets_delete on storage.buckets;
create trigger protect_buckets_delete before delete on storage.buckets
  for each statement execute function storage.protect_delete();
drop trigger if exists protect_objects_delete on storage.objects;
create trigger protect_objects_delete before delete on storage.objects
  for each statement execute function storage.protect_delete();

-- `list()`: one level below `prefix` (which ends with '/' or is empty), folders (id null) and
-- files, as the caller's role, so RLS on storage.objects decides what is listed. Supabase's
-- signature; its name order interleaves folders and files, other orders put folders first.
create or replace function storage.search(
  prefix text, bucketname text, limits int default 100, levels int default 1, offsets int default 0,
  search text default '', sortcolumn text default 'name', sortorder text default 'asc'
) returns table (name text, id uuid, updated_at timestamptz, created_at timestamptz, last_accessed_at timestamptz, metadata jsonb)
language plpgsql stable security invoker as $$
declare
  v_prefix text := coalesce(prefix, '');
  v_pattern text := replace(replace(replace(coalesce(prefix, '') || coalesce(search, ''), '\', '\\'), '%', '\%'), '_', '\_') || '%';
  v_depth int := coalesce(array_length(string_to_array(nullif(coalesce(prefix, ''), ''), '/'), 1), 1);
  v_order text := case lower(coalesce(sortorder, 'asc')) when 'desc' then 'desc' else 'asc' end;
  v_column text := case lower(coalesce(sortcolumn, 'name'))
    when 'updated_at' then 'updated_at' when 'created_at' then 'created_at'
    when 'last_accessed_at' then 'last_accessed_at' else 'name' end;
begin
  -- With a prefix 'a/b/' string_to_array gives {a,b,''}: the level listed is the last token.
  if v_prefix = '' then v_depth := 1; end if;
  return query execute format($q$
    with entries as (
      select o.path_tokens[$1] as entry, array_length(o.path_tokens, 1) = $1 as is_file, o.*
      from storage.objects o
      where o.bucket_id = $2 and o.name ilike $3 and array_length(o.path_tokens, 1) >= $1
    ), listed as (
      select distinct on (e.entry) e.entry as name, null::uuid as id, null::timestamptz as updated_at,
             null::timestamptz as created_at, null::timestamptz as last_accessed_at, null::jsonb as metadata, 0 as kind
      from entries e where not e.is_file
      union all
      select e.entry, e.id, e.updated_at, e.created_at, e.last_accessed_at, e.metadata, 1
      from entries e where e.is_file
    )
    select l.name, l.id, l.updated_at, l.created_at, l.last_accessed_at, l.metadata from listed l
    order by %s
    limit $4 offset $5
  $q$, case when v_column = 'name' then format('l.name collate "C" %s', v_order)
            else format('l.kind, l.%I %s, l.name collate "C" %s', v_column, v_order, v_order) end)
  using v_depth, bucketname, v_pattern, least(coalesce(limits, 100), 1500), greatest(coalesce(offsets, 0), 0);
end $$;

grant execute on all functions in schema storage to postgres, anon, authenticated, service_role;
