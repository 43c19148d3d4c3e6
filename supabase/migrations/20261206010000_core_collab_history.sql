-- Co-editing history: the versions of a co-edited document, kept by the co-editing service
-- (automatic versions when an editing session goes idle or has run a while with changes) and by
-- the site (a version a person with write access names, a restore). Each holds the whole state of
-- the document as one Yjs update, so showing, comparing or restoring a version never depends on
-- compaction. In the `collab` schema, which no API role can reach: the site reads and writes it only
-- after asking Postgres, as the person (private.collab_access), what they may do with the document.

create table collab.versions (
  id bigint generated always as identity primary key,
  document text not null,
  kind text not null,
  -- A named version's name; a restore's says nothing (restored_from does).
  name text,
  -- The document's whole state at that moment, one Yjs update (Y.encodeStateAsUpdate).
  state bytea not null,
  -- Who changed the text since the previous version (the service knows each update's sender).
  authors uuid[] not null default '{}',
  -- Who named it or restored it (null for an automatic version).
  created_by uuid references auth.users (id) on delete set null,
  restored_from bigint references collab.versions (id) on delete set null,
  created_at timestamptz not null default now(),
  constraint versions_document check (document ~ '^[a-z][a-z_]{1,39}/[0-9a-f-]{36}/[a-z][a-z_]{1,39}$'),
  constraint versions_kind check (kind in ('auto', 'named', 'restore')),
  constraint versions_name check (
    (kind = 'named') = (name is not null) and (name is null or char_length(btrim(name)) between 1 and 100)),
  constraint versions_created_by check (kind = 'auto' or created_by is not null),
  constraint versions_restored_from check ((kind = 'restore') = (restored_from is not null))
);
create index versions_document_idx on collab.versions (document, id desc);

-- Nobody but the service and the site's own connection (the database owner) reads it.
alter table collab.versions enable row level security;
revoke all on collab.versions from public, anon, authenticated, service_role;
