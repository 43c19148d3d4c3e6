-- Co-editing (the Yjs service in `realtime/`): the registry of document kinds features declare,
-- the one function the service asks, as the connecting user, what they may do with a document,
-- and the service's own storage (updates and snapshots) in a schema the API roles cannot reach:
-- a Yjs update is only ever written and read by the service, never through PostgREST.

-- ---------------------------------------------------------------------------------------------
-- Document kinds: `<feature>/<resource id>/<field>`, one row per (feature, field)
-- ---------------------------------------------------------------------------------------------

create table public.collab_document_kinds (
  feature text not null,
  field text not null,
  -- `(resource uuid) returns text`: 'write', 'read' or null (no access) for the caller. It runs as
  -- the caller (role and claims set by the service exactly as PostgREST sets them), so the
  -- feature's RLS and helpers decide; it may be security definer when it needs to see more.
  access regprocedure not null,
  primary key (feature, field),
  constraint collab_document_kinds_feature check (feature ~ '^[a-z][a-z_]{1,39}$'),
  constraint collab_document_kinds_field check (field ~ '^[a-z][a-z_]{1,39}$')
);
alter table public.collab_document_kinds enable row level security;
create policy "document kinds are public" on public.collab_document_kinds for select to anon, authenticated using (true);
-- Registered by migrations only: a row names a function the caller then runs.
revoke insert, update, delete on public.collab_document_kinds from anon, authenticated;

-- What the caller may do with `<feature>/<resource>/<field>`: 'write', 'read', or null. Security
-- invoker on purpose: the feature's function runs with the caller's role, so RLS applies to it.
-- Null for an unknown kind too; the service tells the two apart through the registry.
create or replace function private.collab_access(feature text, resource uuid, field text) returns text
language plpgsql stable security invoker set search_path = '' as $$
declare
  fn regproc;
  answer text;
begin
  select k.access::oid::regproc into fn from public.collab_document_kinds k
  where k.feature = collab_access.feature and k.field = collab_access.field;
  if fn is null then
    return null;
  end if;
  execute format('select %s($1)', fn) into answer using resource;
  return case when answer in ('write', 'read') then answer end;
end $$;
revoke all on function private.collab_access(text, uuid, text) from public;
grant execute on function private.collab_access(text, uuid, text) to anon, authenticated;

-- A feature's trigger calls this when who may edit its documents changes (a collaborator removed,
-- a draft withdrawn): every service instance re-checks the open connections of the documents whose
-- names start with `document_prefix` ('<feature>/<resource id>/', or '' for all) at once, instead
-- of at its next periodic check. Delivered at commit, like any NOTIFY.
create or replace function private.collab_rights_changed(document_prefix text) returns void
language sql security definer set search_path = '' as $$
  select pg_notify('collab_rights', left(document_prefix, 7000))
$$;
revoke all on function private.collab_rights_changed(text) from public, anon, authenticated;

-- ---------------------------------------------------------------------------------------------
-- The service's storage: no API role has usage on this schema
-- ---------------------------------------------------------------------------------------------

create schema collab;
revoke all on schema collab from public, anon, authenticated, service_role;

-- Every update the service accepted, appended before anybody else receives it. Compaction folds
-- a document's rows into its snapshot and deletes them, in one transaction.
create table collab.updates (
  id bigint generated always as identity primary key,
  document text not null,
  data bytea not null,
  created_at timestamptz not null default now(),
  constraint updates_document check (document ~ '^[a-z][a-z_]{1,39}/[0-9a-f-]{36}/[a-z][a-z_]{1,39}$')
);
create index updates_document_idx on collab.updates (document, id);

-- A document's state up to `merged_upto` (the highest update id folded in), as one Yjs update.
create table collab.snapshots (
  document text primary key,
  data bytea not null,
  merged_upto bigint not null,
  updated_at timestamptz not null default now()
);

-- Nobody but the service (the database owner) reads these; RLS with no policy says so twice.
alter table collab.updates enable row level security;
alter table collab.snapshots enable row level security;
