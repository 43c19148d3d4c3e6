import { randomBytes } from 'node:crypto';
import type postgres from 'postgres';
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { adminClient, stack } from '../auth/helpers.ts';

/**
 * Shared by the Storage conformance tests: buckets of their own (unique names, policies scoped to
 * them and dropped afterwards), the unchanged storage-js through supabase-js, and raw HTTP for the
 * exact bodies and headers a client library hides.
 */

export { adminClient, anonClient, forgeJwt, signedIn, sleep, stack } from '../auth/helpers.ts';

export const uniqueBucket = (tag: string) => `${tag}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;

export async function createBucket(id: string, options: Parameters<ReturnType<typeof adminClient>['storage']['createBucket']>[1] = { public: false }) {
  const { error } = await adminClient().storage.createBucket(id, options);
  if (error) throw error;
  return id;
}

/** Removes every object, then the bucket (the service role may). */
export async function dropBucket(id: string): Promise<void> {
  const admin = adminClient();
  await admin.storage.emptyBucket(id);
  await admin.storage.deleteBucket(id);
}

/**
 * Creates policies on storage.objects for one bucket (each `using`/`with check` is ANDed with
 * `bucket_id = '<bucket>'`), as an app's migration would; returns their names to drop later.
 */
export async function policies(
  sql: postgres.Sql,
  bucket: string,
  rules: { name: string; command: 'select' | 'insert' | 'update' | 'delete'; to: string; using?: string; check?: string }[],
): Promise<() => Promise<void>> {
  const names: string[] = [];
  for (const r of rules) {
    const name = `${bucket} ${r.name}`;
    const scope = `bucket_id = '${bucket}'`;
    const using = r.using ? ` using (${scope} and ${r.using})` : r.command === 'insert' ? '' : ` using (${scope})`;
    const check = r.command === 'insert' || r.command === 'update' ? ` with check (${scope}${r.check ? ` and ${r.check}` : ''})` : '';
    await sql.unsafe(`create policy "${name}" on storage.objects for ${r.command} to ${r.to}${using}${check}`);
    names.push(name);
  }
  return async () => {
    for (const n of names) await sql.unsafe(`drop policy if exists "${n}" on storage.objects`);
  };
}

export async function png(width: number, height: number, colour = '#c0392b'): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: colour } }).png().toBuffer();
}

/** A photo-like JPEG: noise, so quality settings make a difference to its size. */
export async function jpeg(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 40 } } }).jpeg({ quality: 95 }).toBuffer();
}

export async function imageSize(data: ArrayBuffer | Buffer | Blob): Promise<{ width: number; height: number; format: string }> {
  const buf = data instanceof Blob ? Buffer.from(await data.arrayBuffer()) : Buffer.from(data as ArrayBuffer);
  const m = await sharp(buf).metadata();
  return { width: m.width ?? 0, height: m.height ?? 0, format: m.format ?? '' };
}

/** A raw Storage request, as storage-js would send it but with nothing checked client-side. */
export async function storageFetch(path: string, init: { method?: string; bearer?: string | null; apikey?: string | null; body?: BodyInit; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...init.headers };
  if (init.apikey !== null) headers.apikey = init.apikey ?? stack().anonKey;
  if (init.bearer !== null) headers.Authorization = `Bearer ${init.bearer ?? stack().serviceRoleKey}`;
  const res = await fetch(`${stack().supabaseUrl}/storage/v1${path}`, {
    method: init.method ?? 'GET',
    headers,
    ...(init.body === undefined ? {} : { body: init.body }),
  });
  const buf = Buffer.from(await res.arrayBuffer());
  let json: unknown;
  try {
    json = JSON.parse(buf.toString('utf8'));
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, body: buf, json: json as Record<string, unknown> | undefined };
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body) >>> 0);
  return Buffer.concat([length, body, crc]);
}

/**
 * A decompression bomb: a 4 KB PNG that claims 30,000 × 30,000 RGB pixels (2.7 GB once decoded),
 * its first rows real and compressible to almost nothing.
 */
export function bombPng(side = 30_000): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(side, 0);
  header.writeUInt32BE(side, 4);
  header[8] = 8;
  header[9] = 2;
  const row = Buffer.alloc(1 + side * 3);
  const idat = deflateSync(Buffer.concat(Array.from({ length: 50 }, () => row)));
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), pngChunk('IHDR', header), pngChunk('IDAT', idat), pngChunk('IEND', Buffer.alloc(0))]);
}
