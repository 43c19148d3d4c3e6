import type { IncomingMessage } from 'node:http';
import { header } from '../http.ts';
import { ERRORS } from './errors.ts';

/**
 * An upload's bytes and metadata (supabase/storage `src/storage/uploader.ts`
 * `fileUploadFromRequest`): a multipart form (storage-js sends Blobs and FormData so, the file
 * under any field name, `cacheControl`, `metadata` and `contentType` as fields) or a raw body
 * (`content-type`, `cache-control`, base64 JSON in `x-metadata`).
 */

export interface Upload {
  data: Uint8Array;
  mimeType: string;
  cacheControl: string;
  userMetadata: Record<string, unknown> | undefined;
}

/** Multipart boundaries and fields around the file. */
const MULTIPART_SLACK = 64 * 1024;
/** Past the limit, a body is still read (and thrown away) up to this, so the client reads the error. */
const MAX_DRAIN_BYTES = 256 * 1024 * 1024;
const MAX_USER_METADATA = 1024 * 1024;

/** Reads at most `limit` bytes; `undefined` when the body was larger (it was drained, or the socket dropped). */
function readLimited(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        if (size > MAX_DRAIN_BYTES) {
          req.destroy();
          resolve(undefined);
        }
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(over ? undefined : Buffer.concat(chunks)));
    req.on('error', (err) => (over ? resolve(undefined) : reject(err)));
  });
}

function parseUserMetadata(text: string): Record<string, unknown> | undefined {
  if (Buffer.byteLength(text, 'utf8') > MAX_USER_METADATA) throw ERRORS.EntityTooLarge('user_metadata');
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Storage's `validateMimeType`: `type/subtype` matched against `type/subtype` or `type/*`. */
export function checkMimeType(mimeType: string, allowed: string[] | null | undefined): void {
  if (!allowed || allowed.length === 0) return;
  const [type, sub] = mimeType.split(';')[0]!.trim().split('/');
  if (!type || !sub) throw ERRORS.InvalidMimeType(mimeType);
  for (const a of allowed) {
    const [at, as] = a.split(';')[0]!.trim().split('/');
    if (at === type && (as === '*' || as === sub)) return;
  }
  throw ERRORS.InvalidMimeType(mimeType);
}

export async function readUpload(req: IncomingMessage, maxFileSize: number): Promise<Upload> {
  const contentType = header(req, 'content-type') ?? '';
  const declared = Number(header(req, 'content-length'));
  if (contentType.startsWith('multipart/form-data')) {
    const body = await readLimited(req, maxFileSize + MULTIPART_SLACK);
    if (!body) throw ERRORS.EntityTooLarge();
    let form: FormData;
    try {
      form = await new Request('http://storage.invalid/', { method: 'POST', headers: { 'content-type': contentType }, body: new Uint8Array(body) }).formData();
    } catch {
      throw ERRORS.NoContentProvided();
    }
    let file: Blob | undefined;
    for (const [, value] of form) {
      if (typeof value !== 'string') {
        file = value;
        break;
      }
    }
    if (!file) throw ERRORS.NoContentProvided();
    if (file.size > maxFileSize) throw ERRORS.EntityTooLarge();
    const field = (name: string) => {
      const v = form.get(name);
      return typeof v === 'string' ? v : undefined;
    };
    const cacheTime = field('cacheControl');
    const md = field('metadata') ?? field('userMetadata');
    return {
      data: new Uint8Array(await file.arrayBuffer()),
      mimeType: field('contentType') || file.type || 'application/octet-stream',
      cacheControl: cacheTime ? `max-age=${cacheTime}` : 'no-cache',
      userMetadata: md === undefined ? undefined : parseUserMetadata(md),
    };
  }
  // A raw body: a declared length over the limit is refused before reading it (Storage does too).
  if (Number.isFinite(declared) && declared > maxFileSize) {
    await readLimited(req, 0);
    throw ERRORS.EntityTooLarge();
  }
  const xMetadata = header(req, 'x-metadata');
  let userMetadata: Record<string, unknown> | undefined;
  if (xMetadata) {
    let decoded: string;
    try {
      decoded = Buffer.from(xMetadata, 'base64').toString('utf8');
    } catch {
      throw ERRORS.InvalidParameter('x-metadata');
    }
    userMetadata = parseUserMetadata(decoded);
  }
  const body = await readLimited(req, maxFileSize);
  if (!body) throw ERRORS.EntityTooLarge();
  return {
    data: new Uint8Array(body.buffer, body.byteOffset, body.byteLength),
    mimeType: contentType || 'application/octet-stream',
    cacheControl: header(req, 'cache-control') ?? 'no-cache',
    userMetadata,
  };
}

/** Storage's `parseFileSizeToBytes`: `20GB`, `20MB`, `30KB`, `3B` (decimal units). */
export function parseFileSize(value: number | string): number {
  if (typeof value === 'number') return value;
  const m = /^([0-9]+(?:\.[0-9]+)?)(gb|mb|kb|b)$/i.exec(value);
  if (!m) throw ERRORS.InvalidFileSizeLimit();
  const n = +parseFloat(m[1]!).toPrecision(3);
  const unit = m[2]!.toUpperCase();
  return unit === 'GB' ? n * 1e9 : unit === 'MB' ? n * 1e6 : unit === 'KB' ? n * 1000 : n;
}
