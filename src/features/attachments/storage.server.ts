import { randomUUID } from 'node:crypto';
import type { SupabaseClient } from '@supabase/supabase-js';
import { failure, type Failure } from '../../lib/forms/index.ts';

/**
 * The files go to Supabase Storage through the visitor's own client (their session), so the
 * storage.objects policies of the attachments migration decide exactly as they would for any
 * client of the project; reading private files takes signed URLs made with the same client
 * (they are issued only for rows the visitor may see).
 */

export type StorageApi = SupabaseClient['storage'];
export type Bucket = 'attachments' | 'attachments-private';

/** Signed URLs live an hour: a page's links outlive a visit, not a leak. */
export const SIGNED_URL_SECONDS = 3600;
/** Stored files never change (a new upload gets a new name): browsers may keep them. */
const CACHE_SECONDS = '31536000';

/** `<owner kind>/<owner id>/<random><suffix>.<ext>`: nothing of the uploader's file name. */
export function objectName(kind: string, ownerId: string, ext: string, suffix = '', base = randomUUID()): string {
  return `${kind}/${ownerId}/${base}${suffix}.${ext}`;
}

function storageFailure(error: { statusCode?: string; message?: string } | null): Failure {
  switch (error?.statusCode) {
    case '403':
      return failure(403, 'attachments.error.forbidden', { field: 'file' });
    case '413':
      return failure(413, 'attachments.error.tooLarge', { field: 'file', params: { name: '', max: '10' } });
    case '415':
      return failure(415, 'attachments.error.type', { field: 'file', params: { name: '' } });
    default:
      return failure(503, 'error.unavailable');
  }
}

/** Uploads every object or none: a failure removes what was already stored. */
export async function putObjects(storage: StorageApi, bucket: Bucket, objects: { name: string; data: Buffer; contentType: string }[]): Promise<Failure | undefined> {
  const done: string[] = [];
  for (const o of objects) {
    const { error } = await storage.from(bucket).upload(o.name, o.data, { contentType: o.contentType, cacheControl: CACHE_SECONDS, upsert: false });
    if (error) {
      if (done.length) await storage.from(bucket).remove(done);
      return storageFailure(error as { statusCode?: string });
    }
    done.push(o.name);
  }
  return undefined;
}

export async function removeObjects(storage: StorageApi, bucket: string, names: (string | null | undefined)[]): Promise<void> {
  const list = names.filter((n): n is string => !!n);
  // What cannot be removed now stays in private.orphan_objects for the purge job.
  if (list.length) await storage.from(bucket).remove(list).catch(() => undefined);
}

export interface ObjectRef {
  bucket: string;
  name: string;
  /** Offer the file for download under this name. */
  download?: string;
}

/**
 * URLs for objects: public ones computed (no request), private ones signed in one request per
 * bucket; an object the visitor may not read gets no URL.
 */
export async function objectUrls(storage: StorageApi, refs: ObjectRef[]): Promise<(string | null)[]> {
  const out: (string | null)[] = refs.map((r) =>
    r.bucket === 'attachments' ? storage.from(r.bucket).getPublicUrl(r.name, r.download ? { download: r.download } : undefined).data.publicUrl : null);
  const privateIdx = refs.map((r, i) => (r.bucket === 'attachments' ? -1 : i)).filter((i) => i >= 0);
  if (privateIdx.length) {
    const names = [...new Set(privateIdx.map((i) => refs[i]!.name))];
    const { data } = await storage.from('attachments-private').createSignedUrls(names, SIGNED_URL_SECONDS);
    const signed = new Map((data ?? []).map((d) => [d.path, d.signedUrl]));
    for (const i of privateIdx) {
      const url = signed.get(refs[i]!.name) ?? null;
      const download = refs[i]!.download;
      out[i] = url && download ? `${url}&download=${encodeURIComponent(download)}` : url;
    }
  }
  return out;
}
