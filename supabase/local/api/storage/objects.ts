import { header, sendJson } from '../http.ts';
import { assertValidExpiresIn, type Caller, DOWNLOAD_SCOPE, signToken, UPLOAD_SCOPE, verifyObjectToken } from './caller.ts';
import { md5ETag, type StorageRequest, str } from './context.ts';
import {
  asCaller, asSuperUser, findBucket, findObject, insertObject, mustFindBucket, mustFindObject, type ObjectMetadata,
  type ObjectRow, type RequestInfo, testPermission, type Tx, upsertObject,
} from './db.ts';
import { ERRORS } from './errors.ts';
import { renderImage, type Transform, transformFromQuery, transformFromString, transformToString } from './image.ts';
import { mustBeValidBucketName } from './buckets.ts';
import { checkMimeType, readUpload } from './upload.ts';

/**
 * `/object` and `/render/image` (supabase/storage `src/http/routes/object/*`, `render/*`,
 * `src/storage/object.ts`, `uploader.ts`): what the caller may do is asked of RLS on
 * storage.objects, as the caller — upload = INSERT (upsert: INSERT, SELECT and UPDATE, through
 * INSERT … ON CONFLICT DO UPDATE), download, sign and list = SELECT, remove = DELETE, move =
 * SELECT + UPDATE — then the bookkeeping runs as the superuser.
 */

const VALID_OBJECT_KEY = /^[A-Za-z0-9_/!.*'() &$=@;:+,?-]*$/;

function mustBeValidKey(key: string | undefined): asserts key is string {
  if (!key || !VALID_OBJECT_KEY.test(key)) throw ERRORS.InvalidKey(key ?? '');
}

/** Files larger than this are never transformed (Storage's imgproxy has the same kind of cap). */
const MAX_TRANSFORM_SOURCE_BYTES = 25 * 1024 * 1024;
/** Storage's `SIGNED_UPLOAD_URL_EXPIRATION_TIME`: two hours. */
const SIGNED_UPLOAD_EXPIRES_IN = 7200;

// ---------------------------------------------------------------------------------------------
// Serving bytes
// ---------------------------------------------------------------------------------------------

/** Types a browser would run as a document: served inert, from an API origin that holds no cookies anyway. */
const ACTIVE_TYPES = /^(text\/html|application\/xhtml\+xml|image\/svg\+xml|text\/xml|application\/xml)\b/i;

function dispositionFor(name: string, download: string | null): Record<string, string> {
  if (download === null) return {};
  const fileName = download || name.split('/').pop() || 'download';
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return { 'Content-Disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}` };
}

function baseHeaders(obj: ObjectRow, download: string | null): Record<string, string> {
  const md = obj.metadata ?? ({} as Partial<ObjectMetadata>);
  const mime = typeof md.mimetype === 'string' ? md.mimetype : 'application/octet-stream';
  const headers: Record<string, string> = {
    'Content-Type': mime,
    'Cache-Control': typeof md.cacheControl === 'string' ? md.cacheControl : 'no-cache',
    'X-Content-Type-Options': 'nosniff',
    ...dispositionFor(obj.name, download),
  };
  if (typeof md.eTag === 'string') headers.ETag = md.eTag;
  if (typeof md.lastModified === 'string') headers['Last-Modified'] = new Date(md.lastModified).toUTCString();
  if (ACTIVE_TYPES.test(mime)) headers['Content-Security-Policy'] = "default-src 'none'; style-src 'unsafe-inline'; sandbox";
  return headers;
}

async function serveObject(req: StorageRequest, obj: ObjectRow): Promise<void> {
  const { res, deps } = req;
  const download = req.url.searchParams.get('download');
  const headers = baseHeaders(obj, download);
  const size = await deps.files.size(obj.version ?? '');
  if (size === undefined) throw ERRORS.NoSuchKey();
  if (headers.ETag && header(req.raw, 'if-none-match') === headers.ETag) {
    res.writeHead(304, { ETag: headers.ETag, 'Cache-Control': headers['Cache-Control']! });
    res.end();
    return;
  }
  headers['Accept-Ranges'] = 'bytes';
  const range = /^bytes=(\d*)-(\d*)$/.exec(header(req.raw, 'range') ?? '');
  let status = 200;
  let span: { start: number; end: number } | undefined;
  if (range && (range[1] || range[2])) {
    const start = range[1] ? Number(range[1]) : Math.max(0, size - Number(range[2]));
    const end = range[1] && range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
    if (start > end || start >= size) {
      res.writeHead(416, { 'Content-Range': `bytes */${size}` });
      res.end();
      return;
    }
    span = { start, end };
    status = 206;
    headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
  }
  headers['Content-Length'] = String(span ? span.end - span.start + 1 : size);
  res.writeHead(status, headers);
  if (req.method === 'HEAD' || size === 0) {
    res.end();
    return;
  }
  const stream = deps.files.read(obj.version!, span);
  await new Promise<void>((resolve) => {
    stream.on('error', () => {
      res.destroy();
      resolve();
    });
    res.on('close', () => {
      stream.destroy();
      resolve();
    });
    stream.pipe(res);
  });
}

async function serveImage(req: StorageRequest, obj: ObjectRow, transform: Transform): Promise<void> {
  const size = await req.deps.files.size(obj.version ?? '');
  if (size === undefined) throw ERRORS.NoSuchKey();
  if (size > MAX_TRANSFORM_SOURCE_BYTES) throw ERRORS.ImageProcessingError(422, 'The source image file is too large to process');
  const chunks: Buffer[] = [];
  for await (const chunk of req.deps.files.read(obj.version!)) chunks.push(chunk as Buffer);
  const { data, contentType } = await renderImage(Buffer.concat(chunks), transform, header(req.raw, 'accept') ?? '');
  const md = obj.metadata ?? ({} as Partial<ObjectMetadata>);
  const headers: Record<string, string> = {
    'Content-Type': contentType,
    'Content-Length': String(data.length),
    'Cache-Control': typeof md.cacheControl === 'string' ? md.cacheControl : 'no-cache',
    'X-Content-Type-Options': 'nosniff',
    Vary: 'Accept',
    ...dispositionFor(obj.name, req.url.searchParams.get('download')),
  };
  const transformations = transformToString(transform);
  if (transformations) headers['X-Transformations'] = transformations;
  req.res.writeHead(200, headers);
  req.res.end(req.method === 'HEAD' ? undefined : data);
}

/** A bucket's object for the plain and `/authenticated` routes: public buckets skip RLS, private ones ask it. */
async function readableObject(req: StorageRequest, caller: Caller, operation: string): Promise<ObjectRow> {
  mustBeValidBucketName(req.bucket);
  const info = req.info(operation);
  const bucket = await asSuperUser(req.deps.sql, info, (tx) => findBucket(tx, req.bucket));
  if (!bucket || (!caller.authenticated && !bucket.public)) throw ERRORS.NoSuchBucket();
  return bucket.public
    ? asSuperUser(req.deps.sql, info, (tx) => mustFindObject(tx, req.bucket, req.rest))
    : asCaller(req.deps.sql, caller, info, (tx) => mustFindObject(tx, req.bucket, req.rest));
}

async function publicObject(req: StorageRequest, operation: string): Promise<ObjectRow> {
  mustBeValidBucketName(req.bucket);
  return asSuperUser(req.deps.sql, req.info(operation), async (tx) => {
    const bucket = await findBucket(tx, req.bucket);
    if (!bucket?.public) throw ERRORS.NoSuchBucket();
    return mustFindObject(tx, req.bucket, req.rest);
  });
}

async function signedObject(req: StorageRequest, operation: string): Promise<{ obj: ObjectRow; transform: Transform | undefined }> {
  const token = await verifyObjectToken(req.url.searchParams.get('token'), req.deps.config.jwtSecret, `${req.bucket}/${req.rest}`, DOWNLOAD_SCOPE);
  const obj = await asSuperUser(req.deps.sql, req.info(operation), (tx) => mustFindObject(tx, req.bucket, req.rest));
  const transform = token.transformations || token.format ? transformFromString(token.transformations ?? '', token.format) : undefined;
  return { obj, transform };
}

export async function getObject(req: StorageRequest, opts: { authenticated: boolean }): Promise<void> {
  const caller = await req.caller({ optional: !opts.authenticated });
  await serveObject(req, await readableObject(req, caller, 'storage.object.get'));
}

export async function getPublicObject(req: StorageRequest): Promise<void> {
  await serveObject(req, await publicObject(req, 'storage.object.get_public'));
}

export async function getSignedObject(req: StorageRequest): Promise<void> {
  const { obj } = await signedObject(req, 'storage.object.get_signed');
  await serveObject(req, obj);
}

export async function getObjectInfo(req: StorageRequest, mode: 'plain' | 'authenticated' | 'public'): Promise<void> {
  let obj: ObjectRow;
  if (mode === 'public') obj = await publicObject(req, 'storage.object.info');
  else obj = await readableObject(req, await req.caller({ optional: mode === 'plain' }), 'storage.object.info');
  const md = obj.metadata ?? ({} as Partial<ObjectMetadata>);
  const headers: Record<string, string> = { 'Cache-Control': typeof md.cacheControl === 'string' ? md.cacheControl : 'no-cache' };
  if (typeof md.eTag === 'string') headers.ETag = md.eTag;
  sendJson(req.res, 200, {
    id: obj.id,
    name: obj.name,
    version: obj.version,
    bucket_id: obj.bucket_id,
    size: md.size ?? null,
    content_type: md.mimetype ?? null,
    cache_control: md.cacheControl ?? null,
    etag: md.eTag ?? null,
    metadata: obj.user_metadata,
    last_modified: obj.updated_at,
    created_at: obj.created_at,
  }, headers);
}

// ---------------------------------------------------------------------------------------------
// Uploads
// ---------------------------------------------------------------------------------------------

interface UploadTarget {
  bucketId: string;
  name: string;
  owner: string | undefined;
  isUpsert: boolean;
}

/** Storage's `canUpload`: the row the upload will write, inserted as the caller and rolled back. */
async function canUpload(req: StorageRequest, caller: Caller | undefined, info: RequestInfo, t: UploadTarget, metadata: Partial<ObjectMetadata>, userMetadata: Record<string, unknown> | undefined): Promise<void> {
  const write = { bucketId: t.bucketId, name: t.name, owner: t.owner, version: '1', metadata, userMetadata };
  const probe = (tx: Tx) => (t.isUpsert ? upsertObject(tx, write) : insertObject(tx, write));
  if (caller) await testPermission(req.deps.sql, caller, info, probe);
  else {
    // Signed uploads: the token was the permission; a plain upload still may not overwrite.
    await asSuperUser(req.deps.sql, info, async (tx) => {
      await tx.savepoint(async (sp) => {
        await probe(sp);
        throw new ProbeDone();
      }).catch((err: unknown) => {
        if (!(err instanceof ProbeDone)) throw err;
      });
    });
  }
}
class ProbeDone extends Error {}

/** Writes the new version, points the row at it, then deletes the version it replaced. */
async function commitObject(req: StorageRequest, info: RequestInfo, t: UploadTarget, version: string, metadata: ObjectMetadata, userMetadata: Record<string, unknown> | null | undefined): Promise<ObjectRow> {
  let replaced: string | null | undefined;
  try {
    const row = await asSuperUser(req.deps.sql, info, async (tx) => {
      await tx`select pg_advisory_xact_lock(hashtext(${`${t.bucketId}/${t.name}`}))`;
      replaced = (await findObject(tx, t.bucketId, t.name, { forUpdate: true }))?.version;
      return upsertObject(tx, { bucketId: t.bucketId, name: t.name, owner: t.owner, version, metadata, userMetadata: userMetadata ?? undefined });
    });
    if (replaced && replaced !== version) await req.deps.files.remove(replaced);
    return row;
  } catch (err) {
    await req.deps.files.remove(version);
    throw err;
  }
}

async function upload(req: StorageRequest, caller: Caller | undefined, t: UploadTarget): Promise<ObjectRow> {
  mustBeValidBucketName(t.bucketId);
  mustBeValidKey(t.name);
  const info = req.info(t.isUpsert ? 'storage.object.upload_update' : 'storage.object.upload');
  const bucket = await asSuperUser(req.deps.sql, info, (tx) => mustFindBucket(tx, t.bucketId));
  const limit = bucket.file_size_limit ? Math.min(req.deps.maxFileSize, bucket.file_size_limit) : req.deps.maxFileSize;
  const file = await readUpload(req.raw, limit);
  checkMimeType(file.mimeType, bucket.allowed_mime_types);
  await canUpload(req, caller, info, t, { mimetype: file.mimeType, contentLength: file.data.length }, file.userMetadata);
  const version = req.deps.files.newVersion();
  await req.deps.files.write(version, file.data);
  const metadata: ObjectMetadata = {
    eTag: md5ETag(file.data),
    size: file.data.length,
    mimetype: file.mimeType,
    cacheControl: file.cacheControl,
    lastModified: new Date().toISOString(),
    contentLength: file.data.length,
    httpStatusCode: 200,
  };
  return commitObject(req, info, t, version, metadata, file.userMetadata);
}

export async function uploadObject(req: StorageRequest, opts: { update: boolean }): Promise<void> {
  const caller = await req.caller();
  const isUpsert = opts.update || header(req.raw, 'x-upsert') === 'true';
  const row = await upload(req, caller, { bucketId: req.bucket, name: req.rest, owner: caller.owner, isUpsert });
  sendJson(req.res, 200, { Id: row.id, Key: `${req.bucket}/${req.rest}` });
}

export async function createSignedUploadUrl(req: StorageRequest): Promise<void> {
  const caller = await req.caller();
  mustBeValidBucketName(req.bucket);
  mustBeValidKey(req.rest);
  const upsert = header(req.raw, 'x-upsert') === 'true';
  const info = req.info('storage.object.sign_upload_url');
  await canUpload(req, caller, info, { bucketId: req.bucket, name: req.rest, owner: caller.owner, isUpsert: upsert }, {}, undefined);
  const url = `${req.bucket}/${req.rest}`;
  const token = await signToken({ owner: caller.owner, url, upsert, scope: UPLOAD_SCOPE }, req.deps.config.jwtSecret, SIGNED_UPLOAD_EXPIRES_IN);
  sendJson(req.res, 200, { url: `/object/upload/sign/${url}?token=${token}`, token });
}

export async function uploadToSignedUrl(req: StorageRequest): Promise<void> {
  const token = await verifyObjectToken(req.url.searchParams.get('token'), req.deps.config.jwtSecret, `${req.bucket}/${req.rest}`, UPLOAD_SCOPE);
  await upload(req, undefined, { bucketId: req.bucket, name: req.rest, owner: token.owner, isUpsert: token.upsert === true });
  sendJson(req.res, 200, { Key: `${req.bucket}/${req.rest}` });
}

// ---------------------------------------------------------------------------------------------
// Listing, removing, moving, copying, signing
// ---------------------------------------------------------------------------------------------

export async function listObjects(req: StorageRequest): Promise<void> {
  const caller = await req.caller();
  const body = await req.json();
  let prefix = str(body, 'prefix', { required: true })!;
  const limit = body.limit === undefined ? 100 : body.limit;
  const offset = body.offset === undefined ? 0 : body.offset;
  if (!Number.isInteger(limit) || (limit as number) < 1) throw ERRORS.Validation('body/limit must be >= 1');
  if (!Number.isInteger(offset) || (offset as number) < 0) throw ERRORS.Validation('body/offset must be >= 0');
  const search = str(body, 'search') ?? '';
  const sortBy = (body.sortBy ?? {}) as { column?: unknown; order?: unknown };
  const column = typeof sortBy.column === 'string' ? sortBy.column : 'name';
  const order = typeof sortBy.order === 'string' ? sortBy.order : 'asc';
  if (prefix.length > 0 && !prefix.endsWith('/')) prefix = `${prefix}/`;
  const rows = await asCaller(req.deps.sql, caller, req.info('storage.object.list'), (tx) =>
    tx`select * from storage.search(${prefix}, ${req.bucket}, ${limit as number}, 1, ${offset as number}, ${search}, ${column}, ${order})`);
  sendJson(req.res, 200, rows);
}

export async function removeObjects(req: StorageRequest): Promise<void> {
  const caller = await req.caller();
  const body = await req.json();
  const prefixes = body.prefixes;
  if (!Array.isArray(prefixes)) throw ERRORS.Validation("body must have required property 'prefixes'");
  if (prefixes.length < 1) throw ERRORS.Validation('body/prefixes must NOT have fewer than 1 items');
  if (prefixes.length > 1000) throw ERRORS.Validation('body/prefixes must NOT have more than 1000 items');
  if (!prefixes.every((p) => typeof p === 'string')) throw ERRORS.Validation('body/prefixes/0 must be string');
  const rows = await asCaller(req.deps.sql, caller, req.info('storage.object.delete_many'), (tx) =>
    tx<ObjectRow[]>`delete from storage.objects where bucket_id = ${req.bucket} and name = any(${prefixes as string[]}) returning *`);
  await Promise.all(rows.map((r) => req.deps.files.remove(r.version)));
  sendJson(req.res, 200, rows);
}

export async function removeObject(req: StorageRequest): Promise<void> {
  const caller = await req.caller();
  mustBeValidKey(req.rest);
  const info = req.info('storage.object.delete');
  await asSuperUser(req.deps.sql, info, (tx) => mustFindObject(tx, req.bucket, req.rest));
  const rows = await asCaller(req.deps.sql, caller, info, (tx) =>
    tx<ObjectRow[]>`delete from storage.objects where bucket_id = ${req.bucket} and name = ${req.rest} returning version`);
  if (!rows[0]) throw ERRORS.AccessDenied('Access denied');
  await req.deps.files.remove(rows[0].version);
  sendJson(req.res, 200, { message: 'Successfully deleted' });
}

function moveBody(body: Record<string, unknown>) {
  const bucketId = str(body, 'bucketId', { required: true })!;
  const sourceKey = str(body, 'sourceKey', { required: true })!;
  const destinationKey = str(body, 'destinationKey', { required: true })!;
  const destinationBucket = str(body, 'destinationBucket') || bucketId;
  mustBeValidBucketName(bucketId);
  mustBeValidBucketName(destinationBucket);
  mustBeValidKey(destinationKey);
  return { bucketId, sourceKey, destinationKey, destinationBucket };
}

export async function moveObject(req: StorageRequest): Promise<void> {
  const caller = await req.caller();
  const { bucketId, sourceKey, destinationKey, destinationBucket } = moveBody(await req.json());
  const info = req.info('storage.object.move');
  // The caller must see the source and may update it into its new place (RLS USING and WITH CHECK).
  await testPermission(req.deps.sql, caller, info, async (tx) => {
    await mustFindObject(tx, bucketId, sourceKey);
    const moved = await tx`update storage.objects set name = ${destinationKey}, bucket_id = ${destinationBucket}
                           where bucket_id = ${bucketId} and name = ${sourceKey} returning id`;
    if (!moved[0]) throw ERRORS.NoSuchKey();
  });
  const row = await asSuperUser(req.deps.sql, info, async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtext(${`${destinationBucket}/${destinationKey}`}))`;
    const [moved] = await tx<ObjectRow[]>`update storage.objects set name = ${destinationKey}, bucket_id = ${destinationBucket},
                                           owner = ${caller.owner && /^[0-9a-f-]{36}$/i.test(caller.owner) ? caller.owner : null}, owner_id = ${caller.owner ?? null}
                                         where bucket_id = ${bucketId} and name = ${sourceKey} returning *`;
    if (!moved) throw ERRORS.NoSuchKey();
    return moved;
  });
  sendJson(req.res, 200, { message: 'Successfully moved', Id: row.id, Key: row.name });
}

export async function copyObject(req: StorageRequest): Promise<void> {
  const caller = await req.caller();
  const body = await req.json();
  const { bucketId, sourceKey, destinationKey, destinationBucket } = moveBody(body);
  const upsert = header(req.raw, 'x-upsert') === 'true';
  const copyMetadata = body.copyMetadata !== false;
  const info = req.info('storage.object.copy');
  const source = await asCaller(req.deps.sql, caller, info, (tx) => mustFindObject(tx, bucketId, sourceKey));
  const md = { ...(source.metadata ?? {}) } as ObjectMetadata;
  const override = (body.metadata ?? {}) as { cacheControl?: unknown; mimetype?: unknown };
  if (!copyMetadata) {
    if (typeof override.cacheControl === 'string') md.cacheControl = override.cacheControl;
    if (typeof override.mimetype === 'string') md.mimetype = override.mimetype;
  }
  const userMetadata = copyMetadata ? source.user_metadata : undefined;
  const target = { bucketId: destinationBucket, name: destinationKey, owner: caller.owner, isUpsert: upsert };
  await canUpload(req, caller, info, target, md, userMetadata ?? undefined);
  const version = req.deps.files.newVersion();
  await req.deps.files.copy(source.version!, version);
  const row = await commitObject(req, info, target, version, { ...md, lastModified: new Date().toISOString() }, userMetadata);
  sendJson(req.res, 200, { Id: row.id, Key: `${destinationBucket}/${destinationKey}`, ...row });
}

function transformBody(v: unknown): Transform {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object') throw ERRORS.Validation('body/transform must be object');
  const q = new URLSearchParams();
  for (const [k, val] of Object.entries(v as Record<string, unknown>)) if (val !== undefined && val !== null) q.set(k, String(val));
  return transformFromQuery(q);
}

export async function signObject(req: StorageRequest): Promise<void> {
  const caller = await req.caller();
  const body = await req.json();
  const expiresIn = assertValidExpiresIn(body.expiresIn);
  const transform = transformBody(body.transform);
  mustBeValidKey(req.rest);
  await asCaller(req.deps.sql, caller, req.info('storage.object.sign'), (tx) => mustFindObject(tx, req.bucket, req.rest));
  const url = `${req.bucket}/${req.rest}`;
  const transformations = transformToString(transform);
  const payload: Record<string, unknown> = { url, scope: DOWNLOAD_SCOPE };
  if (transformations) payload.transformations = transformations;
  if (transform.format) payload.format = transform.format;
  const token = await signToken(payload, req.deps.config.jwtSecret, expiresIn);
  sendJson(req.res, 200, { signedURL: `/${transformations ? 'render/image' : 'object'}/sign/${url}?token=${token}` });
}

export async function signObjects(req: StorageRequest): Promise<void> {
  const caller = await req.caller();
  const body = await req.json();
  const expiresIn = assertValidExpiresIn(body.expiresIn);
  const paths = body.paths;
  if (!Array.isArray(paths) || !paths.every((p) => typeof p === 'string')) throw ERRORS.Validation("body must have required property 'paths'");
  if (paths.length < 1) throw ERRORS.Validation('body/paths must NOT have fewer than 1 items');
  const seen = await asCaller(req.deps.sql, caller, req.info('storage.object.sign_many'), (tx) =>
    tx<{ name: string }[]>`select name from storage.objects where bucket_id = ${req.bucket} and name = any(${paths as string[]})`);
  const names = new Set(seen.map((r) => r.name));
  const out = await Promise.all((paths as string[]).map(async (path) => {
    if (!names.has(path)) return { error: 'Either the object does not exist or you do not have access to it', path, signedURL: null };
    const url = `${req.bucket}/${path}`;
    const token = await signToken({ url, scope: DOWNLOAD_SCOPE }, req.deps.config.jwtSecret, expiresIn);
    return { error: null, path, signedURL: `/object/sign/${url}?token=${token}` };
  }));
  sendJson(req.res, 200, out);
}

// ---------------------------------------------------------------------------------------------
// Image transformations
// ---------------------------------------------------------------------------------------------

export async function renderAuthenticated(req: StorageRequest): Promise<void> {
  const caller = await req.caller();
  const transform = transformFromQuery(req.url.searchParams);
  mustBeValidBucketName(req.bucket);
  const obj = await asCaller(req.deps.sql, caller, req.info('storage.render.image_authenticated'), (tx) => mustFindObject(tx, req.bucket, req.rest));
  await serveImage(req, obj, transform);
}

export async function renderPublic(req: StorageRequest): Promise<void> {
  const transform = transformFromQuery(req.url.searchParams);
  await serveImage(req, await publicObject(req, 'storage.render.image_public'), transform);
}

export async function renderSigned(req: StorageRequest): Promise<void> {
  const { obj, transform } = await signedObject(req, 'storage.render.image_sign');
  await serveImage(req, obj, transform ?? {});
}
