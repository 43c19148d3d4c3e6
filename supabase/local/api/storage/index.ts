import type { IncomingMessage, ServerResponse } from 'node:http';
import { resolve } from 'node:path';
import type postgres from 'postgres';
import type { Config } from '../../../../src/lib/config.ts';
import type { Service, ServiceContext } from '../gateway.ts';
import { createBucket, deleteBucket, emptyBucket, getBucket, listBuckets, updateBucket } from './buckets.ts';
import { createRequest, sendError, type StorageDeps, type StorageRequest } from './context.ts';
import { ERRORS, StorageHttpError } from './errors.ts';
import { FileStore } from './files.ts';
import {
  copyObject, createSignedUploadUrl, getObject, getObjectInfo, getPublicObject, getSignedObject, listObjects, moveObject,
  removeObject, removeObjects, renderAuthenticated, renderPublic, renderSigned, signObject, signObjects, uploadObject,
  uploadToSignedUrl,
} from './objects.ts';

/** Supabase Storage at `/storage/v1` (reference §E), for the unchanged storage-js. */

type Handler = (req: StorageRequest) => Promise<void>;

interface Route {
  methods: string[];
  /**
   * `/object/:bucket/*`-style: `:bucket` is one segment, `*` the rest (at least one segment),
   * matched in order, so the fixed prefixes (`/object/public/…`) come before `/object/:bucket/*`.
   */
  pattern: string;
  handler: Handler;
}

const GET = ['GET', 'HEAD'];

const ROUTES: Route[] = [
  { methods: ['GET'], pattern: '/bucket', handler: listBuckets },
  { methods: ['POST'], pattern: '/bucket', handler: createBucket },
  { methods: ['POST'], pattern: '/bucket/:bucket/empty', handler: emptyBucket },
  { methods: ['GET'], pattern: '/bucket/:bucket', handler: getBucket },
  { methods: ['PUT'], pattern: '/bucket/:bucket', handler: updateBucket },
  { methods: ['DELETE'], pattern: '/bucket/:bucket', handler: deleteBucket },

  { methods: ['POST'], pattern: '/object/move', handler: moveObject },
  { methods: ['POST'], pattern: '/object/copy', handler: copyObject },
  { methods: ['POST'], pattern: '/object/list/:bucket', handler: listObjects },
  { methods: ['POST'], pattern: '/object/sign/:bucket/*', handler: signObject },
  { methods: ['POST'], pattern: '/object/sign/:bucket', handler: signObjects },
  { methods: GET, pattern: '/object/sign/:bucket/*', handler: getSignedObject },
  { methods: ['POST'], pattern: '/object/upload/sign/:bucket/*', handler: createSignedUploadUrl },
  { methods: ['PUT'], pattern: '/object/upload/sign/:bucket/*', handler: uploadToSignedUrl },
  { methods: GET, pattern: '/object/public/:bucket/*', handler: getPublicObject },
  { methods: GET, pattern: '/object/authenticated/:bucket/*', handler: (r) => getObject(r, { authenticated: true }) },
  { methods: ['GET'], pattern: '/object/info/public/:bucket/*', handler: (r) => getObjectInfo(r, 'public') },
  { methods: ['GET'], pattern: '/object/info/authenticated/:bucket/*', handler: (r) => getObjectInfo(r, 'authenticated') },
  { methods: ['GET'], pattern: '/object/info/:bucket/*', handler: (r) => getObjectInfo(r, 'plain') },
  { methods: GET, pattern: '/object/:bucket/*', handler: (r) => getObject(r, { authenticated: false }) },
  { methods: ['POST'], pattern: '/object/:bucket/*', handler: (r) => uploadObject(r, { update: false }) },
  { methods: ['PUT'], pattern: '/object/:bucket/*', handler: (r) => uploadObject(r, { update: true }) },
  { methods: ['DELETE'], pattern: '/object/:bucket/*', handler: removeObject },
  { methods: ['DELETE'], pattern: '/object/:bucket', handler: removeObjects },

  { methods: ['GET'], pattern: '/render/image/public/:bucket/*', handler: renderPublic },
  { methods: ['GET'], pattern: '/render/image/authenticated/:bucket/*', handler: renderAuthenticated },
  { methods: ['GET'], pattern: '/render/image/sign/:bucket/*', handler: renderSigned },
];

/** URLs that `<img>`, links and signed uploads use without an API key (reference §0, §F.18). */
const OPEN = [/^\/object\/(public|sign|info\/public)\//, /^\/render\/image\/(public|sign)\//];

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw ERRORS.InvalidKey(segment);
  }
}

function match(pattern: string, path: string): { bucket: string; rest: string } | undefined {
  const want = pattern.split('/');
  const got = path.split('/');
  let bucket = '';
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    if (w === '*') {
      const rest = got.slice(i);
      if (rest.length === 0 || rest.join('') === '') return undefined;
      return { bucket, rest: decode(rest.join('/')) };
    }
    const g = got[i];
    if (g === undefined) return undefined;
    if (w === ':bucket') {
      if (g === '') return undefined;
      bucket = decode(g);
    } else if (w !== g) return undefined;
  }
  return got.length === want.length ? { bucket, rest: '' } : undefined;
}

export function createStorageService(opts: { config: Config; sql: postgres.Sql; log: (line: string) => void }): Service {
  const deps: StorageDeps = {
    config: opts.config,
    sql: opts.sql,
    files: new FileStore(resolve(opts.config.dataDir, 'storage')),
    log: opts.log,
    maxFileSize: opts.config.storage.fileSizeLimit,
  };

  return {
    prefix: '/storage/v1',
    isOpenRoute(path, method) {
      if (method === 'PUT') return path.startsWith('/object/upload/sign/');
      return (method === 'GET' || method === 'HEAD') && OPEN.some((r) => r.test(path));
    },
    async handle(raw: IncomingMessage, res: ServerResponse, ctx: ServiceContext): Promise<void> {
      const method = raw.method ?? 'GET';
      const path = ctx.path.replace(/\/{2,}/g, '/');
      try {
        for (const route of ROUTES) {
          if (!route.methods.includes(method)) continue;
          const m = match(route.pattern, path);
          if (!m) continue;
          const req = createRequest(raw, res, path, ctx.url, deps);
          req.bucket = m.bucket;
          req.rest = m.rest;
          await route.handler(req);
          return;
        }
        throw ERRORS.RouteNotFound(method, `${ctx.url.pathname.replace(/^\/storage\/v1/, '')}${ctx.url.search}`);
      } catch (err) {
        if (res.headersSent) {
          res.destroy();
          return;
        }
        if (err instanceof StorageHttpError) return sendError(res, err);
        opts.log(`storage ${method} ${ctx.url.pathname} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        return sendError(res, ERRORS.InternalError('Internal Server Error'));
      }
    },
  };
}
