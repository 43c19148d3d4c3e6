import { sendJson } from '../http.ts';
import { type StorageRequest, str } from './context.ts';
import { asCaller, asSuperUser, type BucketRow } from './db.ts';
import { ERRORS, StorageHttpError } from './errors.ts';
import { parseFileSize } from './upload.ts';

/**
 * `/bucket` (supabase/storage `src/http/routes/bucket/*`, `src/storage/storage.ts`): every
 * statement runs as the caller, so RLS on storage.buckets decides who lists, creates, changes
 * and deletes buckets (the service role bypasses it; anon and authenticated see none without a policy).
 */

const VALID_BUCKET_NAME = /^[A-Za-z0-9_!.*'() &$=@;:+,?-]*$/;

export function mustBeValidBucketName(name: string | undefined): asserts name is string {
  if (!name || name.length > 100 || !VALID_BUCKET_NAME.test(name)) throw ERRORS.InvalidBucketName();
}

function validateMimeTypes(types: unknown): string[] | null | undefined {
  if (types === undefined) return undefined;
  if (types === null) return null;
  if (!Array.isArray(types)) throw ERRORS.Validation('body/allowed_mime_types must be array');
  const out: string[] = [];
  for (const t of types) {
    if (typeof t !== 'string') throw ERRORS.Validation('body/allowed_mime_types/0 must be string');
    if (!t) continue;
    if (t.length > 1000 || !/^([a-zA-Z0-9\-+.]+)\/([a-zA-Z0-9\-+.]+)(;\s*charset=[a-zA-Z0-9-]+)?$|\*$/.test(t)) throw ERRORS.InvalidMimeType(t);
    out.push(t);
  }
  return out;
}

function sizeLimit(req: StorageRequest, value: unknown): number | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  if (typeof value !== 'number' && typeof value !== 'string') throw ERRORS.Validation('body/file_size_limit must be integer,string');
  const bytes = parseFileSize(value);
  if (!Number.isFinite(bytes) || bytes < 0) throw ERRORS.InvalidFileSizeLimit();
  if (bytes > req.deps.maxFileSize) throw ERRORS.EntityTooLarge();
  return Math.floor(bytes);
}

const COLUMNS = 'id, name, owner, public, created_at, updated_at, file_size_limit::float8 as file_size_limit, allowed_mime_types';

export async function listBuckets(req: StorageRequest): Promise<void> {
  const caller = await req.caller();
  const q = req.url.searchParams;
  const limit = q.get('limit');
  const offset = q.get('offset');
  const sortColumn = q.get('sortColumn') ?? 'name';
  const sortOrder = q.get('sortOrder') ?? 'asc';
  const search = q.get('search') ?? '';
  if (limit !== null && !/^\d+$/.test(limit)) throw ERRORS.Validation('querystring/limit must be integer');
  if (offset !== null && !/^\d+$/.test(offset)) throw ERRORS.Validation('querystring/offset must be integer');
  if (!['id', 'name', 'created_at', 'updated_at'].includes(sortColumn)) throw ERRORS.Validation('querystring/sortColumn must be equal to one of the allowed values');
  if (!['asc', 'desc'].includes(sortOrder)) throw ERRORS.Validation('querystring/sortOrder must be equal to one of the allowed values');
  const rows = await asCaller(req.deps.sql, caller, req.info('storage.bucket.list'), (tx) => tx.unsafe(
    `select ${COLUMNS}, type::text as type from storage.buckets
     where ($1 = '' or name ilike '%' || $1 || '%')
     order by ${sortColumn} ${sortOrder} limit $2 offset $3`,
    [search, limit === null ? null : Number(limit), offset === null ? 0 : Number(offset)],
  ));
  sendJson(req.res, 200, rows);
}

export async function getBucket(req: StorageRequest): Promise<void> {
  const caller = await req.caller();
  const rows = await asCaller(req.deps.sql, caller, req.info('storage.bucket.get'), (tx) =>
    tx.unsafe<BucketRow[]>(`select ${COLUMNS} from storage.buckets where id = $1`, [req.bucket]));
  if (!rows[0]) throw ERRORS.NoSuchBucket();
  sendJson(req.res, 200, rows[0]);
}

export async function createBucket(req: StorageRequest): Promise<void> {
  const caller = await req.caller();
  const body = await req.json();
  const name = str(body, 'name', { required: true })!;
  const id = str(body, 'id') || name;
  if (body.public !== undefined && typeof body.public !== 'boolean') throw ERRORS.Validation('body/public must be boolean');
  if (body.type !== undefined && body.type !== 'STANDARD') {
    if (body.type === 'ANALYTICS') throw ERRORS.FeatureNotEnabled('iceberg_catalog');
    throw ERRORS.Validation('body/type must be equal to one of the allowed values');
  }
  if (name.trim() !== name) throw ERRORS.InvalidBucketName();
  mustBeValidBucketName(name);
  mustBeValidBucketName(id);
  const fileSizeLimit = sizeLimit(req, body.file_size_limit);
  const mimeTypes = validateMimeTypes(body.allowed_mime_types);
  try {
    await asCaller(req.deps.sql, caller, req.info('storage.bucket.create'), (tx) => tx`
      insert into storage.buckets (id, name, owner, owner_id, public, file_size_limit, allowed_mime_types)
      values (${id}, ${name}, ${caller.owner && /^[0-9a-f-]{36}$/i.test(caller.owner) ? caller.owner : null}, ${caller.owner ?? null},
              ${body.public === true}, ${fileSizeLimit ?? null}, ${mimeTypes ?? null})`);
  } catch (err) {
    if (err instanceof StorageHttpError && err.code === 'ResourceAlreadyExists') throw ERRORS.BucketAlreadyExists();
    throw err;
  }
  sendJson(req.res, 200, { name });
}

export async function updateBucket(req: StorageRequest): Promise<void> {
  const caller = await req.caller();
  const body = await req.json();
  mustBeValidBucketName(req.bucket);
  if (body.public !== undefined && typeof body.public !== 'boolean') throw ERRORS.Validation('body/public must be boolean');
  const isPublic = body.public as boolean | undefined;
  const fileSizeLimit = sizeLimit(req, body.file_size_limit);
  const mimeTypes = validateMimeTypes(body.allowed_mime_types);
  if (isPublic === undefined && fileSizeLimit === undefined && mimeTypes === undefined) throw ERRORS.NoContentProvided();
  const rows = await asCaller(req.deps.sql, caller, req.info('storage.bucket.update'), (tx) => tx`
    update storage.buckets set
      public = case when ${isPublic === undefined} then public else ${isPublic ?? false} end,
      file_size_limit = case when ${fileSizeLimit === undefined} then file_size_limit else ${fileSizeLimit ?? null}::bigint end,
      allowed_mime_types = case when ${mimeTypes === undefined} then allowed_mime_types else ${mimeTypes ?? null}::text[] end,
      updated_at = now()
    where id = ${req.bucket} returning id`);
  if (!rows[0]) throw ERRORS.NoSuchBucket();
  sendJson(req.res, 200, { message: 'Successfully updated' });
}

export async function deleteBucket(req: StorageRequest): Promise<void> {
  const caller = await req.caller();
  // The check reads every object, as the superuser (RLS may hide some from the caller): a bucket with files stays.
  const [full] = await asSuperUser(req.deps.sql, req.info('storage.bucket.delete'), (tx) =>
    tx<{ n: boolean }[]>`select exists (select 1 from storage.objects where bucket_id = ${req.bucket}) as n`);
  if (full?.n) throw ERRORS.BucketNotEmpty();
  await asCaller(req.deps.sql, caller, req.info('storage.bucket.delete'), async (tx) => {
    const deleted = await tx`delete from storage.buckets where id = ${req.bucket} returning id`;
    if (!deleted[0]) throw ERRORS.NoSuchBucket();
  });
  sendJson(req.res, 200, { message: 'Successfully deleted' });
}

export async function emptyBucket(req: StorageRequest): Promise<void> {
  const caller = await req.caller();
  if (caller.role !== 'service_role') throw ERRORS.AccessDenied('Access denied: Invalid role').withStatus(403);
  const versions = await asCaller(req.deps.sql, caller, req.info('storage.bucket.empty'), async (tx) => {
    const [bucket] = await tx`select id from storage.buckets where id = ${req.bucket}`;
    if (!bucket) throw ERRORS.NoSuchBucket();
    return tx<{ version: string | null }[]>`delete from storage.objects where bucket_id = ${req.bucket} returning version`;
  });
  await Promise.all(versions.map((v) => req.deps.files.remove(v.version)));
  sendJson(req.res, 200, { message: 'Empty bucket has been queued. Completion may take up to an hour.' });
}
