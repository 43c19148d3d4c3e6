import type postgres from 'postgres';
import type { Caller } from './caller.ts';
import { ERRORS, fromPgError, StorageHttpError } from './errors.ts';

/**
 * Storage's database access (supabase/storage `src/internal/database/postgres/scope.ts`,
 * `src/storage/database/pg.ts`): metadata statements run as the caller's role with the JWT's claims
 * in a transaction, so the project's RLS policies on storage.objects / storage.buckets decide;
 * bookkeeping after a permitted operation runs as the superuser. `testPermission` runs a write as
 * the caller and rolls it back: the way Storage asks RLS "may they?" before touching a file.
 */

export type Tx = postgres.TransactionSql;

export interface RequestInfo {
  method: string;
  path: string;
  headers: Record<string, string>;
  /** Storage's `storage.operation` setting, e.g. `storage.object.upload`. */
  operation: string;
}

class Rollback extends Error {}

async function scope(tx: Tx, caller: Caller | undefined, info: RequestInfo): Promise<void> {
  await tx`select set_config('storage.allow_delete_query', 'true', true),
                  set_config('storage.operation', ${info.operation}, true),
                  set_config('request.method', ${info.method}, true),
                  set_config('request.path', ${info.path}, true),
                  set_config('request.headers', ${JSON.stringify(info.headers)}, true)`;
  if (!caller) return;
  await tx`select set_config('role', ${caller.role}, true),
                  set_config('request.jwt.claim.role', ${caller.role}, true),
                  set_config('request.jwt', ${caller.jwt}, true),
                  set_config('request.jwt.claim.sub', ${caller.owner ?? ''}, true),
                  set_config('request.jwt.claims', ${JSON.stringify(caller.claims)}, true)`;
}

function mapped(err: unknown): unknown {
  if (err instanceof StorageHttpError) return err;
  return fromPgError(err) ?? err;
}

/** Runs `fn` as the caller (RLS applies). */
export async function asCaller<T>(sql: postgres.Sql, caller: Caller, info: RequestInfo, fn: (tx: Tx) => Promise<T>): Promise<T> {
  try {
    return (await sql.begin(async (tx) => {
      await scope(tx, caller, info);
      return fn(tx);
    })) as T;
  } catch (err) {
    throw mapped(err);
  }
}

/** Runs `fn` as the database owner (no RLS): only after the caller's right was checked. */
export async function asSuperUser<T>(sql: postgres.Sql, info: RequestInfo, fn: (tx: Tx) => Promise<T>): Promise<T> {
  try {
    return (await sql.begin(async (tx) => {
      await scope(tx, undefined, info);
      return fn(tx);
    })) as T;
  } catch (err) {
    throw mapped(err);
  }
}

/** Runs `fn` as the caller and rolls it back: throws what RLS (or a constraint) would have said. */
export async function testPermission(sql: postgres.Sql, caller: Caller, info: RequestInfo, fn: (tx: Tx) => Promise<unknown>): Promise<void> {
  try {
    await asCaller(sql, caller, info, async (tx) => {
      await fn(tx);
      throw new Rollback();
    });
  } catch (err) {
    if (err instanceof Rollback) return;
    throw err;
  }
}

export interface BucketRow {
  id: string;
  name: string;
  owner: string | null;
  public: boolean;
  file_size_limit: number | null;
  allowed_mime_types: string[] | null;
  created_at: Date;
  updated_at: Date;
  type: string;
}

export interface ObjectMetadata {
  eTag: string;
  size: number;
  mimetype: string;
  cacheControl: string;
  lastModified: string;
  contentLength: number;
  httpStatusCode: number;
  [key: string]: unknown;
}

export interface ObjectRow {
  id: string;
  bucket_id: string;
  name: string;
  owner: string | null;
  owner_id: string | null;
  version: string | null;
  metadata: ObjectMetadata | null;
  user_metadata: Record<string, unknown> | null;
  created_at: Date;
  updated_at: Date;
  last_accessed_at: Date;
}

export async function findBucket(tx: Tx, id: string): Promise<BucketRow | undefined> {
  const rows = await tx<BucketRow[]>`
    select id, name, owner, public, file_size_limit::float8 as file_size_limit, allowed_mime_types, created_at, updated_at, type::text as type
    from storage.buckets where id = ${id}`;
  return rows[0];
}

export async function mustFindBucket(tx: Tx, id: string): Promise<BucketRow> {
  const bucket = await findBucket(tx, id);
  if (!bucket) throw ERRORS.NoSuchBucket();
  return bucket;
}

export async function findObject(tx: Tx, bucketId: string, name: string, opts: { forUpdate?: boolean } = {}): Promise<ObjectRow | undefined> {
  const rows = opts.forUpdate
    ? await tx<ObjectRow[]>`select * from storage.objects where bucket_id = ${bucketId} and name = ${name} for update`
    : await tx<ObjectRow[]>`select * from storage.objects where bucket_id = ${bucketId} and name = ${name}`;
  return rows[0];
}

export async function mustFindObject(tx: Tx, bucketId: string, name: string): Promise<ObjectRow> {
  const obj = await findObject(tx, bucketId, name);
  if (!obj) throw ERRORS.NoSuchKey();
  return obj;
}

const isUuid = (v: string | undefined) => !!v && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);

export interface ObjectWrite {
  bucketId: string;
  name: string;
  owner: string | undefined;
  version: string;
  metadata: Partial<ObjectMetadata> | undefined;
  userMetadata: Record<string, unknown> | undefined;
}

const json = (tx: Tx, v: unknown) => (v === undefined || v === null ? null : tx.json(v as postgres.JSONValue));

/** Storage's `createObject` (upload without upsert): the row RLS checks for INSERT. */
export async function insertObject(tx: Tx, w: ObjectWrite): Promise<void> {
  await tx`insert into storage.objects (bucket_id, name, owner, owner_id, version, metadata, user_metadata)
           values (${w.bucketId}, ${w.name}, ${isUuid(w.owner) ? w.owner! : null}, ${w.owner ?? null}, ${w.version},
                   ${json(tx, w.metadata)}, ${json(tx, w.userMetadata)})`;
}

/** Storage's `upsertObject`: INSERT … ON CONFLICT DO UPDATE, so RLS checks INSERT, SELECT and UPDATE. */
export async function upsertObject(tx: Tx, w: ObjectWrite): Promise<ObjectRow> {
  const rows = await tx<ObjectRow[]>`
    insert into storage.objects (bucket_id, name, owner, owner_id, version, metadata, user_metadata)
    values (${w.bucketId}, ${w.name}, ${isUuid(w.owner) ? w.owner! : null}, ${w.owner ?? null}, ${w.version},
            ${json(tx, w.metadata)}, ${json(tx, w.userMetadata)})
    on conflict (name, bucket_id) do update set
      metadata = excluded.metadata, user_metadata = excluded.user_metadata, version = excluded.version,
      owner = excluded.owner, owner_id = excluded.owner_id
    returning *`;
  return rows[0]!;
}
