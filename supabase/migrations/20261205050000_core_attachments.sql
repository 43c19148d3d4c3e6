-- Attachments on the shared resource layer: documents and images attached to any registered
-- resource type that declares the `attachable` capability, in collections if its managers want,
-- seen exactly where the resource is seen; their bytes in Supabase Storage (two buckets: public
-- spaces' files in a public bucket, private spaces' files in a private one read through signed
-- URLs), with storage.objects policies that ask the same registry. Plus the images of the
-- platform itself: a space's hero image and a person's avatar. Nothing here names a feature.

-- ---------------------------------------------------------------------------------------------
-- The registry: who may attach files to a resource
-- ---------------------------------------------------------------------------------------------

alter table public.resource_types drop constraint resource_types_capabilities;
alter table public.resource_types add constraint resource_types_capabilities
  check (capabilities <@ array['commentable', 'likeable', 'followable', 'reportable', 'versioned', 'attachable']);
-- `(resource uuid) returns uuid`: the space of a resource the caller may attach files to now (add,
-- rename, reorder, remove), else null. Attachable only; `can_view` says who sees them.
alter table public.resource_types add column attach_space regprocedure;
alter table public.resource_types add constraint resource_types_attachable
  check (not 'attachable' = any (capabilities) or (attach_space is not null and can_view is not null));

create or replace function private.attachment_space(resource_type text, resource_id uuid) returns uuid
language plpgsql stable security definer set search_path = '' as $$
declare
  fn regproc;
  space uuid;
begin
  select t.attach_space::oid::regproc into fn from public.resource_types t
  where t.resource_type = attachment_space.resource_type and 'attachable' = any (t.capabilities);
  if fn is null or resource_id is null then
    return null;
  end if;
  execute format('select %s($1)', fn) into space using resource_id;
  return space;
end $$;

-- Where a space's files go: its members' eyes only when it is private.
create or replace function private.attachment_bucket(space uuid) returns text
language sql stable security definer set search_path = '' as $$
  select case when coalesce((select s.private from public.spaces s where s.id = space), true)
         then 'attachments-private' else 'attachments' end
$$;
grant execute on function private.attachment_space(text, uuid), private.attachment_bucket(uuid) to anon, authenticated, service_role;

-- ---------------------------------------------------------------------------------------------
-- Collections and attachments
-- ---------------------------------------------------------------------------------------------

create table public.attachment_collections (
  id uuid primary key default gen_random_uuid(),
  resource_type text not null references public.resource_types (resource_type) on delete cascade,
  resource_id uuid not null,
  space_id uuid references public.spaces (id) on delete cascade,
  name jsonb not null,
  description jsonb not null default '{}',
  weight integer not null default 0,
  created_at timestamptz not null default now(),
  unique (id, resource_type, resource_id),
  constraint attachment_collections_name check (private.is_translated(name, true)),
  constraint attachment_collections_description check (private.is_translated(description))
);
create index attachment_collections_resource_idx on public.attachment_collections (resource_type, resource_id, weight);

create table public.attachments (
  id uuid primary key default gen_random_uuid(),
  resource_type text not null references public.resource_types (resource_type) on delete cascade,
  resource_id uuid not null,
  -- Filled in by the insert trigger from the registry (null: the caller may not attach here, and
  -- the insert policy refuses the row).
  space_id uuid references public.spaces (id) on delete cascade,
  collection_id uuid,
  kind text not null,
  title jsonb not null,
  description jsonb not null default '{}',
  -- The name it had on the uploader's machine, sanitised: shown, and offered when downloading.
  file_name text not null,
  -- What the server stored after checking the bytes (images are re-encoded as WebP).
  content_type text not null,
  byte_size bigint not null,
  width integer,
  height integer,
  bucket_id text not null,
  object_name text not null,
  -- Images: a small rendition for galleries and cards.
  thumbnail_name text,
  thumbnail_width integer,
  thumbnail_height integer,
  weight integer not null default 0,
  uploaded_by uuid references public.profiles (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  unique (bucket_id, object_name),
  foreign key (collection_id, resource_type, resource_id)
    references public.attachment_collections (id, resource_type, resource_id) on delete set null (collection_id),
  constraint attachments_kind check (kind in ('image', 'document')),
  constraint attachments_title check (private.is_translated(title, true)),
  constraint attachments_description check (private.is_translated(description)),
  constraint attachments_file_name check (char_length(file_name) between 1 and 200 and file_name !~ '[/\\\x00-\x1f]'),
  constraint attachments_content_type check (content_type ~ '^[a-z]+/[a-z0-9.+-]+$'),
  constraint attachments_byte_size check (byte_size > 0),
  constraint attachments_image_size check ((kind = 'image') = (width is not null and height is not null and thumbnail_name is not null)),
  constraint attachments_bucket check (bucket_id in ('attachments', 'attachments-private')),
  -- A resource's files live under `<type>/<id>/`: a row can point at no one else's bytes.
  constraint attachments_object_place check (
    object_name like resource_type || '/' || resource_id::text || '/%'
    and (thumbnail_name is null or thumbnail_name like resource_type || '/' || resource_id::text || '/%'))
);
create index attachments_resource_idx on public.attachments (resource_type, resource_id, weight, created_at);
create index attachments_collection_idx on public.attachments (collection_id) where collection_id is not null;

-- The space (from the registry) and, for the API roles, the bucket its files must be in and the
-- proof that the caller uploaded those bytes there.
create or replace function private.attachments_before_write() returns trigger
language plpgsql security invoker set search_path = '' as $$
begin
  if current_user in ('anon', 'authenticated') then
    new.space_id := private.attachment_space(new.resource_type, new.resource_id);
    if new.space_id is not null then
      if new.bucket_id <> private.attachment_bucket(new.space_id) then
        raise exception 'attachments of this space belong in another bucket'
          using errcode = '23514', constraint = 'attachments_bucket';
      end if;
      if not private.uploaded_by_caller(new.bucket_id, array[new.object_name, new.thumbnail_name]) then
        raise exception 'the file was not uploaded by the caller' using errcode = '23514', constraint = 'attachments_object_place';
      end if;
    end if;
  end if;
  return new;
end $$;

-- Did the caller upload these objects (Storage records the uploader's id as the owner)?
create or replace function private.uploaded_by_caller(bucket text, names text[]) returns boolean
language sql stable security definer set search_path = '' as $$
  select (select auth.uid()) is not null and not exists (
    select 1 from unnest(names) n(name)
    where n.name is not null and not exists (
      select 1 from storage.objects o where o.bucket_id = bucket and o.name = n.name and o.owner_id = (select auth.uid())::text))
$$;
grant execute on function private.uploaded_by_caller(text, text[]) to authenticated;

create or replace function private.attachment_collections_before_write() returns trigger
language plpgsql security invoker set search_path = '' as $$
begin
  if current_user in ('anon', 'authenticated') then
    new.space_id := private.attachment_space(new.resource_type, new.resource_id);
  end if;
  return new;
end $$;

create trigger attachments_before_insert before insert on public.attachments
  for each row execute function private.attachments_before_write();
create trigger attachment_collections_before_insert before insert on public.attachment_collections
  for each row execute function private.attachment_collections_before_write();

alter table public.attachments enable row level security;
create policy "attachments are seen where their resource is" on public.attachments for select to anon, authenticated
  using ((select private.resource_visible(resource_type, resource_id)));
create policy "people who may attach files add them" on public.attachments for insert to authenticated
  with check (space_id is not null and uploaded_by = (select auth.uid()));
create policy "people who may attach files, and the space's admins, edit them" on public.attachments for update to authenticated
  using ((select private.attachment_space(resource_type, resource_id)) is not null or (select private.has_space_role(space_id, 'admin')))
  with check ((select private.attachment_space(resource_type, resource_id)) is not null or (select private.has_space_role(space_id, 'admin')));
create policy "people who may attach files, and the space's admins, remove them" on public.attachments for delete to authenticated
  using ((select private.attachment_space(resource_type, resource_id)) is not null or (select private.has_space_role(space_id, 'admin')));
revoke insert, update, delete on public.attachments from anon;
revoke insert, update on public.attachments from authenticated;
grant insert (resource_type, resource_id, collection_id, kind, title, description, file_name, content_type, byte_size,
  width, height, bucket_id, object_name, thumbnail_name, thumbnail_width, thumbnail_height, weight) on public.attachments to authenticated;
grant update (collection_id, title, description, weight) on public.attachments to authenticated;

alter table public.attachment_collections enable row level security;
create policy "collections are seen where their resource is" on public.attachment_collections for select to anon, authenticated
  using ((select private.resource_visible(resource_type, resource_id)));
create policy "people who may attach files make collections" on public.attachment_collections for insert to authenticated
  with check (space_id is not null);
create policy "people who may attach files, and the space's admins, edit collections" on public.attachment_collections for update to authenticated
  using ((select private.attachment_space(resource_type, resource_id)) is not null or (select private.has_space_role(space_id, 'admin')))
  with check ((select private.attachment_space(resource_type, resource_id)) is not null or (select private.has_space_role(space_id, 'admin')));
create policy "people who may attach files, and the space's admins, remove collections" on public.attachment_collections for delete to authenticated
  using ((select private.attachment_space(resource_type, resource_id)) is not null or (select private.has_space_role(space_id, 'admin')));
revoke insert, update, delete on public.attachment_collections from anon;
revoke insert, update on public.attachment_collections from authenticated;
grant insert (resource_type, resource_id, name, description, weight) on public.attachment_collections to authenticated;
grant update (name, description, weight) on public.attachment_collections to authenticated;

-- Files whose rows are gone (a resource deleted with its attachments, a replaced hero image…):
-- their bytes are removed through the Storage API by the `attachments.purge` job, since a
-- Supabase project refuses deleting storage rows in SQL.
create table private.orphan_objects (
  bucket_id text not null,
  name text not null,
  created_at timestamptz not null default now(),
  primary key (bucket_id, name)
);
alter table private.orphan_objects enable row level security;
-- The purge job reads and clears the list as the service role (which bypasses RLS); no one else.
grant select, delete on private.orphan_objects to service_role;
create or replace function private.attachments_after_delete() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  insert into private.orphan_objects (bucket_id, name)
  select old.bucket_id, n from unnest(array[old.object_name, old.thumbnail_name]) n where n is not null
  on conflict do nothing;
  return null;
end $$;
create trigger attachments_after_delete after delete on public.attachments
  for each row execute function private.attachments_after_delete();

-- The shared rows of a deleted resource go with it: its attachments and collections too.
create or replace function private.forget_resource() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  gone uuid := (to_jsonb(old) ->> coalesce(tg_argv[1], 'id'))::uuid;
begin
  delete from public.likes where resource_type = tg_argv[0] and resource_id = gone;
  delete from public.follows where resource_type = tg_argv[0] and resource_id = gone;
  delete from public.reports where resource_type = tg_argv[0] and resource_id = gone;
  delete from public.versions where resource_type = tg_argv[0] and resource_id = gone;
  delete from public.attachments where resource_type = tg_argv[0] and resource_id = gone;
  delete from public.attachment_collections where resource_type = tg_argv[0] and resource_id = gone;
  return null;
end $$;

-- ---------------------------------------------------------------------------------------------
-- The platform's own images: a space's hero image, a person's avatar
-- ---------------------------------------------------------------------------------------------

-- `{"bucket": …, "name": …, "width": …, "height": …}`: an image the server re-encoded into Storage.
create or replace function private.is_stored_image(value jsonb) returns boolean
language sql immutable set search_path = '' as $$
  select value is null or (
    jsonb_typeof(value) = 'object'
    and value ->> 'bucket' in ('attachments', 'attachments-private')
    and coalesce(value ->> 'name', '') ~ '^[a-z_]+/[0-9a-f-]{36}/[A-Za-z0-9_.-]{1,100}$'
    and jsonb_typeof(value -> 'width') = 'number' and jsonb_typeof(value -> 'height') = 'number')
$$;

alter table public.spaces add column hero_image jsonb;
alter table public.spaces add constraint spaces_hero_image check (
  private.is_stored_image(hero_image) and (hero_image is null or hero_image ->> 'name' like 'space/' || id::text || '/%'));
grant update (hero_image) on public.spaces to authenticated;

alter table public.profiles add column avatar jsonb;
alter table public.profiles add constraint profiles_avatar check (
  private.is_stored_image(avatar) and (avatar is null or (avatar ->> 'bucket' = 'attachments' and avatar ->> 'name' like 'profile/' || id::text || '/%')));
grant update (avatar) on public.profiles to authenticated;

-- A replaced or removed image leaves its bytes to the purge job.
create or replace function private.stored_image_replaced() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  was jsonb := nullif(to_jsonb(old) -> tg_argv[0], 'null'::jsonb);
  now_is jsonb := nullif(to_jsonb(new) -> tg_argv[0], 'null'::jsonb);
begin
  if was is not null and (now_is is null or was ->> 'name' is distinct from now_is ->> 'name') then
    insert into private.orphan_objects (bucket_id, name) values (was ->> 'bucket', was ->> 'name') on conflict do nothing;
  end if;
  return null;
end $$;
create trigger spaces_hero_image_replaced after update of hero_image on public.spaces
  for each row execute function private.stored_image_replaced('hero_image');
create trigger profiles_avatar_replaced after update of avatar on public.profiles
  for each row execute function private.stored_image_replaced('avatar');

-- ---------------------------------------------------------------------------------------------
-- Storage: the buckets and who may write and read their objects
-- ---------------------------------------------------------------------------------------------

-- Images are re-encoded as WebP by the server; documents keep their checked type. 10 MB each.
insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types) values
  ('attachments', 'attachments', true, 10485760, array['image/webp', 'application/pdf', 'text/plain', 'text/csv',
    'application/vnd.oasis.opendocument.text', 'application/vnd.oasis.opendocument.spreadsheet',
    'application/vnd.oasis.opendocument.presentation',
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    'application/vnd.openxmlformats-officedocument.presentationml.presentation']),
  ('attachments-private', 'attachments-private', false, 10485760, array['image/webp', 'application/pdf', 'text/plain', 'text/csv',
    'application/vnd.oasis.opendocument.text', 'application/vnd.oasis.opendocument.spreadsheet',
    'application/vnd.oasis.opendocument.presentation',
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    'application/vnd.openxmlformats-officedocument.presentationml.presentation'])
on conflict (id) do nothing;

-- May the caller write this object? Its place says what it belongs to: `space/<id>/…` (the space's
-- admins), `profile/<id>/…` (that person, public bucket only), `<resource type>/<id>/…` (whoever
-- may attach files to it). The bucket must be the one its space's privacy says.
create or replace function private.storage_object_writable(bucket text, name text) returns boolean
language plpgsql stable security definer set search_path = '' as $$
declare
  parts text[] := string_to_array(name, '/');
  owner_id uuid;
  space uuid;
begin
  if array_length(parts, 1) <> 3 or parts[2] !~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
     or parts[3] !~ '^[A-Za-z0-9_.-]{1,100}$' then
    return false;
  end if;
  owner_id := parts[2]::uuid;
  if parts[1] = 'profile' then
    return owner_id = (select auth.uid()) and bucket = 'attachments';
  elsif parts[1] = 'space' then
    return private.has_space_role(owner_id, 'admin') and bucket = private.attachment_bucket(owner_id);
  end if;
  space := private.attachment_space(parts[1], owner_id);
  return space is not null and bucket = private.attachment_bucket(space);
end $$;

-- May the caller read a private object? A space's images where the space is seen; a resource's
-- files where an attachment row the caller may see (RLS on attachments decides) points at them.
create or replace function private.storage_space_image_readable(name text) returns boolean
language sql stable security definer set search_path = '' as $$
  select split_part(name, '/', 1) = 'space' and split_part(name, '/', 2) ~ '^[0-9a-f-]{36}$'
    and private.can_view_space(split_part(name, '/', 2)::uuid)
$$;

-- May the caller remove this object? Who may write it, and the space's admins for their space's files.
create or replace function private.storage_object_removable(bucket text, name text) returns boolean
language sql stable security definer set search_path = '' as $$
  select private.storage_object_writable(bucket, name) or exists (
    select 1 from public.attachments a
    where a.bucket_id = bucket and name in (a.object_name, a.thumbnail_name) and private.has_space_role(a.space_id, 'admin'))
$$;
grant execute on function private.storage_object_writable(text, text), private.storage_space_image_readable(text),
  private.storage_object_removable(text, text) to authenticated;

create policy "attachments: people who may attach upload into the resource's place" on storage.objects for insert to authenticated
  with check (bucket_id in ('attachments', 'attachments-private') and (select private.storage_object_writable(bucket_id, name)));
-- Reading as the API does (download, sign, and the RETURNING of a remove): a private file where its
-- row or its space is seen; any file by whoever may remove it.
create policy "attachments: files are read where their row or space is seen, and by who may remove them" on storage.objects for select to authenticated
  using (bucket_id in ('attachments', 'attachments-private') and (
    (select private.storage_object_removable(bucket_id, name))
    or (bucket_id = 'attachments-private' and (
      (select private.storage_space_image_readable(name))
      or exists (select 1 from public.attachments a where a.bucket_id = 'attachments-private' and objects.name in (a.object_name, a.thumbnail_name))))));
create policy "attachments: uploaders and the space's admins remove files" on storage.objects for delete to authenticated
  using (bucket_id in ('attachments', 'attachments-private') and (select private.storage_object_removable(bucket_id, name)));
