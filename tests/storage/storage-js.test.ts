import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { connectTestDb } from '../helpers/db.ts';
import {
  adminClient, anonClient, bombPng, createBucket, dropBucket, imageSize, jpeg, png, signedIn, sleep, stack, storageFetch, uniqueBucket,
} from './helpers.ts';

/**
 * Storage conformance with the unchanged storage-js (through supabase-js): every call an app
 * makes, the exact bodies and statuses Supabase Storage answers (HTTP 400 carrying the logical
 * status in `statusCode`), files on disk, signed URL expiry and image transformations.
 */

const sql = connectTestDb();
const admin = adminClient();
const made: string[] = [];
async function bucket(tag: string, opts: Parameters<typeof createBucket>[1] = { public: false }) {
  const id = await createBucket(uniqueBucket(tag), opts);
  made.push(id);
  return id;
}

afterAll(async () => {
  for (const id of made) await dropBucket(id).catch(() => {});
  await sql.end();
});

const versionOf = async (b: string, name: string) =>
  (await sql<{ version: string }[]>`select version from storage.objects where bucket_id = ${b} and name = ${name}`)[0]?.version;
const fileOf = (version: string) => join(stack().dataDir, 'storage', version.slice(0, 2), version);

describe('buckets', () => {
  test('create public and private buckets with a size limit and MIME types; get, list, update them', async () => {
    const pub = await bucket('pub', { public: true, fileSizeLimit: '1MB', allowedMimeTypes: ['image/*', 'application/pdf'] });
    const priv = await bucket('priv', { public: false, fileSizeLimit: 2048 });
    const got = await admin.storage.getBucket(pub);
    expect(got.error).toBeNull();
    expect(got.data).toMatchObject({ id: pub, name: pub, public: true, file_size_limit: 1_000_000, allowed_mime_types: ['image/*', 'application/pdf'] });
    expect(typeof got.data?.created_at).toBe('string');
    expect((await admin.storage.getBucket(priv)).data).toMatchObject({ public: false, file_size_limit: 2048, allowed_mime_types: null });
    const listed = await admin.storage.listBuckets();
    expect(listed.data?.map((b) => b.id)).toEqual(expect.arrayContaining([pub, priv]));
    const searched = await admin.storage.listBuckets({ search: priv });
    expect(searched.data?.map((b) => b.id)).toEqual([priv]);
    expect(await admin.storage.updateBucket(priv, { public: true, fileSizeLimit: null, allowedMimeTypes: ['text/plain'] }))
      .toEqual({ data: { message: 'Successfully updated' }, error: null });
    expect((await admin.storage.getBucket(priv)).data).toMatchObject({ public: true, file_size_limit: null, allowed_mime_types: ['text/plain'] });
  });

  test('errors: unknown bucket, duplicate, invalid name, size and MIME type, over the instance limit', async () => {
    const b = await bucket('err');
    const missing = await admin.storage.getBucket(`${b}-nope`);
    expect(missing.error).toMatchObject({ status: 400, statusCode: '404', code: 'NoSuchBucket', message: 'Bucket not found' });
    const dup = await admin.storage.createBucket(b);
    expect(dup.error).toMatchObject({ status: 400, statusCode: '409', code: 'BucketAlreadyExists', message: 'The resource already exists' });
    const raw = await storageFetch('/bucket', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'bad/name' }) });
    expect(raw.status).toBe(400);
    expect(raw.json).toEqual({ statusCode: '400', code: 'InvalidBucketName', error: 'Invalid Input', message: 'Bucket name invalid' });
    expect((await admin.storage.createBucket(uniqueBucket('x'), { public: false, fileSizeLimit: '10 furlongs' })).error)
      .toMatchObject({ statusCode: '400', code: 'InvalidRequest', message: 'Invalid file size format, hint: use 20GB / 20MB / 30KB / 3B' });
    expect((await admin.storage.createBucket(uniqueBucket('x'), { public: false, fileSizeLimit: '1GB' })).error)
      .toMatchObject({ statusCode: '413', code: 'EntityTooLarge' });
    expect((await admin.storage.createBucket(uniqueBucket('x'), { public: false, allowedMimeTypes: ['not a type'] })).error)
      .toMatchObject({ statusCode: '415', code: 'InvalidMimeType', message: 'mime type not a type is not supported' });
    expect((await admin.storage.updateBucket(`${b}-nope`, { public: true })).error).toMatchObject({ statusCode: '404', code: 'NoSuchBucket' });
  });

  test('delete refuses a bucket with files; empty is for the service role only; then delete', async () => {
    const b = await bucket('del');
    await admin.storage.from(b).upload('a.txt', 'a', { contentType: 'text/plain' });
    expect((await admin.storage.deleteBucket(b)).error)
      .toMatchObject({ status: 400, statusCode: '409', code: 'ResourceNotEmpty', message: 'The bucket you tried to delete is not empty' });
    const user = await signedIn('storage-empty');
    const refused = await user.client.storage.emptyBucket(b);
    expect(refused.error).toMatchObject({ status: 403, statusCode: '403', code: 'AccessDenied', message: 'Access denied: Invalid role' });
    const version = (await versionOf(b, 'a.txt'))!;
    expect(existsSync(fileOf(version))).toBe(true);
    expect((await admin.storage.emptyBucket(b)).error).toBeNull();
    expect(existsSync(fileOf(version))).toBe(false);
    expect(await admin.storage.deleteBucket(b)).toEqual({ data: { message: 'Successfully deleted' }, error: null });
    expect((await admin.storage.getBucket(b)).error).toMatchObject({ code: 'NoSuchBucket' });
  });

  test('as on Supabase, anon and signed-in callers neither see nor create buckets without a policy', async () => {
    const b = await bucket('hidden');
    const user = await signedIn('storage-buckets');
    for (const client of [anonClient(), user.client]) {
      const list = await client.storage.listBuckets();
      expect(list.error).toBeNull();
      expect(list.data?.map((x) => x.id)).not.toContain(b);
      expect((await client.storage.getBucket(b)).error).toMatchObject({ code: 'NoSuchBucket' });
      expect((await client.storage.createBucket(uniqueBucket('nope'))).error)
        .toMatchObject({ status: 400, statusCode: '403', code: 'AccessDenied', message: 'new row violates row-level security policy' });
    }
  });
});

describe('objects', () => {
  test('upload a Blob (multipart), a Buffer and a string (raw); download them; duplicates refused; upsert and update replace', async () => {
    const b = await bucket('up');
    const files = admin.storage.from(b);
    const red = await png(40, 30);
    const blob = await files.upload('img/red.png', new Blob([new Uint8Array(red)], { type: 'image/png' }), { cacheControl: '60' });
    expect(blob.error).toBeNull();
    expect(blob.data).toMatchObject({ path: 'img/red.png', fullPath: `${b}/img/red.png` });
    expect(blob.data?.id).toMatch(/^[0-9a-f-]{36}$/);
    expect((await files.upload('doc.txt', Buffer.from('bonjour'), { contentType: 'text/plain;charset=UTF-8' })).error).toBeNull();
    expect((await files.upload('note.txt', 'salut')).error).toBeNull();

    const down = await files.download('img/red.png');
    expect(Buffer.from(await down.data!.arrayBuffer()).equals(red)).toBe(true);
    expect(down.data?.type).toBe('image/png');
    expect(await (await files.download('doc.txt')).data?.text()).toBe('bonjour');
    expect(await (await files.download('note.txt')).data?.text()).toBe('salut');

    const raw = await storageFetch(`/object/${b}/img/red.png`);
    expect(raw.headers.get('cache-control')).toBe('max-age=60');
    expect(raw.headers.get('etag')).toMatch(/^"[0-9a-f]{32}"$/);
    expect(raw.headers.get('content-length')).toBe(String(red.length));

    const dup = await files.upload('doc.txt', 'again');
    expect(dup.error).toMatchObject({ status: 400, statusCode: '409', code: 'ResourceAlreadyExists', message: 'The resource already exists' });
    expect(await (await files.download('doc.txt')).data?.text()).toBe('bonjour');

    const before = (await versionOf(b, 'doc.txt'))!;
    expect((await files.upload('doc.txt', 'remplacé', { upsert: true, contentType: 'text/plain' })).error).toBeNull();
    expect(await (await files.download('doc.txt')).data?.text()).toBe('remplacé');
    const after = (await versionOf(b, 'doc.txt'))!;
    expect(after).not.toBe(before);
    // The replaced version's bytes are gone: nothing leaks on disk.
    expect(existsSync(fileOf(before))).toBe(false);
    expect(existsSync(fileOf(after))).toBe(true);

    expect((await files.update('note.txt', 'mis à jour', { contentType: 'text/plain' })).error).toBeNull();
    expect(await (await files.download('note.txt')).data?.text()).toBe('mis à jour');
  });

  test('a bucket’s size limit and MIME types are enforced, for multipart and raw bodies', async () => {
    const b = await bucket('limits', { public: false, fileSizeLimit: 1024, allowedMimeTypes: ['image/*', 'text/plain'] });
    const files = admin.storage.from(b);
    expect((await files.upload('ok.txt', 'x'.repeat(1024), { contentType: 'text/plain' })).error).toBeNull();
    for (const body of [Buffer.alloc(1025, 1), new Blob([Buffer.alloc(1025, 1)], { type: 'text/plain' })]) {
      expect((await files.upload(`big-${Math.random()}.txt`, body, { contentType: 'text/plain' })).error)
        .toMatchObject({ status: 400, statusCode: '413', code: 'EntityTooLarge', message: 'The object exceeded the maximum allowed size' });
    }
    expect((await files.upload('x.pdf', Buffer.from('%PDF-1.4'), { contentType: 'application/pdf' })).error)
      .toMatchObject({ status: 400, statusCode: '415', code: 'InvalidMimeType', message: 'mime type application/pdf is not supported' });
    expect((await files.upload('y.png', await png(4, 4), { contentType: 'image/png' })).error).toBeNull();
    const { count } = (await sql`select count(*)::int as count from storage.objects where bucket_id = ${b}`)[0] as { count: number };
    expect(count).toBe(2);
  });

  test('the instance limit holds a 100 MB upload off even in a bucket without a limit', async () => {
    const b = await bucket('huge');
    const res = await admin.storage.from(b).upload('huge.bin', Buffer.alloc(100 * 1024 * 1024), { contentType: 'application/octet-stream' });
    expect(res.error).toMatchObject({ statusCode: '413', code: 'EntityTooLarge' });
    expect(await versionOf(b, 'huge.bin')).toBeUndefined();
  });

  test('user metadata, info and exists', async () => {
    const b = await bucket('info');
    const files = admin.storage.from(b);
    await files.upload('m.txt', 'meta', { contentType: 'text/plain', metadata: { author: 'Léa', n: 2 } });
    const info = await files.info('m.txt');
    expect(info.error).toBeNull();
    expect(info.data).toMatchObject({ name: 'm.txt', bucketId: b, size: 4, contentType: 'text/plain', metadata: { author: 'Léa', n: 2 } });
    expect(await files.exists('m.txt')).toEqual({ data: true, error: null });
    expect((await files.exists('nope.txt')).data).toBe(false);
  });

  test('missing objects: storage-js errors and the raw body', async () => {
    const b = await bucket('missing');
    const res = await admin.storage.from(b).download('nope.txt');
    expect(res.error).toMatchObject({ status: 400, statusCode: '404' });
    const raw = await storageFetch(`/object/${b}/nope.txt`);
    expect(raw.status).toBe(400);
    expect(raw.json).toEqual({ statusCode: '404', code: 'NoSuchKey', error: 'not_found', message: 'Object not found' });
    const noRoute = await storageFetch('/nowhere');
    expect(noRoute.status).toBe(404);
    expect(noRoute.json).toMatchObject({ statusCode: '404', error: 'Not Found', message: 'Route GET:/nowhere not found' });
  });

  test('list: folders and files one level down, prefix, search, paging and order', async () => {
    const b = await bucket('list');
    const files = admin.storage.from(b);
    for (const name of ['a/1.txt', 'a/2.txt', 'a/sub/3.txt', 'b/4.txt', 'top.txt', 'zeta.txt']) {
      await files.upload(name, name, { contentType: 'text/plain' });
      await sleep(5);
    }
    const root = await files.list();
    expect(root.data?.map((o) => [o.name, o.id === null])).toEqual([['a', true], ['b', true], ['top.txt', false], ['zeta.txt', false]]);
    const top = root.data?.find((o) => o.name === 'top.txt');
    expect(top?.metadata).toMatchObject({ size: 7, mimetype: 'text/plain' });
    expect((await files.list('a')).data?.map((o) => o.name)).toEqual(['1.txt', '2.txt', 'sub']);
    expect((await files.list('a/')).data?.map((o) => o.name)).toEqual(['1.txt', '2.txt', 'sub']);
    expect((await files.list('a', { search: '2' })).data?.map((o) => o.name)).toEqual(['2.txt']);
    expect((await files.list('', { limit: 2, offset: 1 })).data?.map((o) => o.name)).toEqual(['b', 'top.txt']);
    expect((await files.list('a', { sortBy: { column: 'name', order: 'desc' } })).data?.map((o) => o.name)).toEqual(['sub', '2.txt', '1.txt']);
    expect((await files.list('a', { sortBy: { column: 'created_at', order: 'desc' } })).data?.map((o) => o.name)).toEqual(['sub', '2.txt', '1.txt']);
  });

  test('move, copy and remove', async () => {
    const b = await bucket('mv');
    const other = await bucket('mv-dest');
    const files = admin.storage.from(b);
    await files.upload('from.txt', 'contenu', { contentType: 'text/plain' });
    await files.upload('taken.txt', 'occupé', { contentType: 'text/plain' });
    expect(await files.move('from.txt', 'dir/to.txt')).toMatchObject({ data: { message: 'Successfully moved' }, error: null });
    expect((await files.download('from.txt')).error).toMatchObject({ statusCode: '404' });
    expect(await (await files.download('dir/to.txt')).data?.text()).toBe('contenu');
    expect((await files.move('dir/to.txt', 'taken.txt')).error).toMatchObject({ statusCode: '409', code: 'ResourceAlreadyExists' });
    expect((await files.move('nope.txt', 'x.txt')).error).toMatchObject({ statusCode: '404', code: 'NoSuchKey' });
    expect((await files.move('dir/to.txt', 'elsewhere.txt', { destinationBucket: other })).error).toBeNull();
    expect(await (await admin.storage.from(other).download('elsewhere.txt')).data?.text()).toBe('contenu');

    expect(await files.copy('taken.txt', 'copy/taken.txt')).toEqual({ data: { path: `${b}/copy/taken.txt` }, error: null });
    expect(await (await files.download('copy/taken.txt')).data?.text()).toBe('occupé');
    expect(await versionOf(b, 'copy/taken.txt')).not.toBe(await versionOf(b, 'taken.txt'));
    expect((await files.copy('taken.txt', 'copy/taken.txt')).error).toMatchObject({ statusCode: '409' });

    const version = (await versionOf(b, 'taken.txt'))!;
    const removed = await files.remove(['taken.txt', 'copy/taken.txt', 'never-existed.txt']);
    expect(removed.error).toBeNull();
    expect(removed.data?.map((o) => o.name).sort()).toEqual(['copy/taken.txt', 'taken.txt']);
    expect(existsSync(fileOf(version))).toBe(false);
    expect((await files.list()).data).toEqual([]);
  });

  test('public URLs: served without any key from a public bucket, refused from a private one', async () => {
    const pub = await bucket('pubu', { public: true });
    const priv = await bucket('privu');
    await admin.storage.from(pub).upload('dir/hello.txt', 'public', { contentType: 'text/plain' });
    await admin.storage.from(priv).upload('hello.txt', 'private', { contentType: 'text/plain' });
    const url = admin.storage.from(pub).getPublicUrl('dir/hello.txt').data.publicUrl;
    expect(url).toBe(`${stack().supabaseUrl}/storage/v1/object/public/${pub}/dir/hello.txt`);
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('public');
    const dl = await fetch(admin.storage.from(pub).getPublicUrl('dir/hello.txt', { download: 'bonjour.txt' }).data.publicUrl);
    expect(dl.headers.get('content-disposition')).toContain('attachment; filename="bonjour.txt"');
    const refused = await fetch(admin.storage.from(priv).getPublicUrl('hello.txt').data.publicUrl);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({ statusCode: '404', code: 'NoSuchBucket', error: 'Bucket not found', message: 'Bucket not found' });
    // A public bucket also serves the plain route to anyone; a private one needs a token there.
    expect((await storageFetch(`/object/${pub}/dir/hello.txt`, { bearer: null })).status).toBe(200);
    expect((await storageFetch(`/object/${priv}/hello.txt`, { bearer: null })).json).toMatchObject({ statusCode: '404', code: 'NoSuchBucket' });
    expect((await storageFetch(`/object/authenticated/${priv}/hello.txt`, { bearer: null })).json)
      .toMatchObject({ statusCode: '403', code: 'AccessDenied' });
    // Routes other than the browser-opened ones still need the API key at the gateway.
    expect((await storageFetch(`/object/${priv}/hello.txt`, { apikey: null })).status).toBe(401);
  });

  test('range requests and inert active content', async () => {
    const b = await bucket('range', { public: true });
    await admin.storage.from(b).upload('r.txt', '0123456789', { contentType: 'text/plain' });
    const part = await fetch(admin.storage.from(b).getPublicUrl('r.txt').data.publicUrl, { headers: { range: 'bytes=2-5' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 2-5/10');
    expect(await part.text()).toBe('2345');
    await admin.storage.from(b).upload('s.svg', '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', { contentType: 'image/svg+xml' });
    const svg = await fetch(admin.storage.from(b).getPublicUrl('s.svg').data.publicUrl);
    expect(svg.headers.get('content-security-policy')).toContain('sandbox');
    expect(svg.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe('signed URLs', () => {
  test('download: no key needed, many at once, expiry, scope and object are checked', async () => {
    const b = await bucket('sign');
    const files = admin.storage.from(b);
    await files.upload('s.txt', 'secret', { contentType: 'text/plain' });
    await files.upload('t.txt', 'other', { contentType: 'text/plain' });
    const signed = await files.createSignedUrl('s.txt', 60);
    expect(signed.error).toBeNull();
    expect(signed.data?.signedUrl).toMatch(new RegExp(`^${stack().supabaseUrl}/storage/v1/object/sign/${b}/s\\.txt\\?token=`));
    expect(await (await fetch(signed.data!.signedUrl)).text()).toBe('secret');
    const asDownload = await files.createSignedUrl('s.txt', 60, { download: 'mon-fichier.txt' });
    expect((await fetch(asDownload.data!.signedUrl)).headers.get('content-disposition')).toContain('filename="mon-fichier.txt"');

    const many = await files.createSignedUrls(['s.txt', 't.txt', 'nope.txt'], 60);
    expect(many.data?.map((d) => [d.path, d.error])).toEqual([
      ['s.txt', null], ['t.txt', null], ['nope.txt', 'Either the object does not exist or you do not have access to it'],
    ]);
    expect(await (await fetch(many.data![1]!.signedUrl!)).text()).toBe('other');

    // The token of one object does not open another.
    const token = new URL(signed.data!.signedUrl).searchParams.get('token')!;
    const swapped = await storageFetch(`/object/sign/${b}/t.txt?token=${token}`, { apikey: null, bearer: null });
    expect(swapped.status).toBe(400);
    expect(swapped.json).toEqual({ statusCode: '400', code: 'InvalidSignature', error: 'InvalidSignature', message: 'Invalid signature' });
    // Nor does a user's access token, nor nothing.
    const user = await signedIn('storage-sign');
    expect((await storageFetch(`/object/sign/${b}/s.txt?token=${user.session.access_token}`, { apikey: null, bearer: null })).json)
      .toMatchObject({ code: 'InvalidSignature' });
    expect((await storageFetch(`/object/sign/${b}/s.txt`, { apikey: null, bearer: null })).json).toMatchObject({ statusCode: '400', code: 'MissingParameter' });
    expect((await files.createSignedUrl('s.txt', 0)).error).toMatchObject({ statusCode: '400', code: 'InvalidParameter', message: 'Invalid Parameter expiresIn' });
    expect((await files.createSignedUrl('nope.txt', 60)).error).toMatchObject({ statusCode: '404', code: 'NoSuchKey' });

    const short = await files.createSignedUrl('s.txt', 1);
    expect((await fetch(short.data!.signedUrl)).status).toBe(200);
    await sleep(2100);
    const expired = await fetch(short.data!.signedUrl);
    expect(expired.status).toBe(400);
    expect(await expired.json()).toEqual({ statusCode: '400', code: 'InvalidJWT', error: 'InvalidJWT', message: '"exp" claim timestamp check failed' });
  });

  test('upload: a token for one path, overwrite only when signed for upsert, expiry and scope checked', async () => {
    const b = await bucket('signup');
    const files = admin.storage.from(b);
    const user = await signedIn('storage-signup');
    const signed = await files.createSignedUploadUrl('in/box.txt');
    expect(signed.error).toBeNull();
    expect(signed.data?.signedUrl).toContain(`/storage/v1/object/upload/sign/${b}/in/box.txt?token=`);
    // Anyone holding the token uploads, signed in or not.
    const up = await anonClient().storage.from(b).uploadToSignedUrl('in/box.txt', signed.data!.token, 'déposé', { contentType: 'text/plain' });
    expect(up).toEqual({ data: { path: 'in/box.txt', fullPath: `${b}/in/box.txt` }, error: null });
    expect(await (await files.download('in/box.txt')).data?.text()).toBe('déposé');
    const again = await user.client.storage.from(b).uploadToSignedUrl('in/box.txt', signed.data!.token, 'encore', { contentType: 'text/plain' });
    expect(again.error).toMatchObject({ statusCode: '409', code: 'ResourceAlreadyExists' });
    const upsert = await files.createSignedUploadUrl('in/box.txt', { upsert: true });
    expect((await anonClient().storage.from(b).uploadToSignedUrl('in/box.txt', upsert.data!.token, 'écrasé', { contentType: 'text/plain' })).error).toBeNull();
    expect(await (await files.download('in/box.txt')).data?.text()).toBe('écrasé');
    expect((await anonClient().storage.from(b).uploadToSignedUrl('in/other.txt', signed.data!.token, 'x')).error)
      .toMatchObject({ code: 'InvalidSignature' });

    const download = await files.createSignedUrl('in/box.txt', 60);
    const downloadToken = new URL(download.data!.signedUrl).searchParams.get('token')!;
    expect((await anonClient().storage.from(b).uploadToSignedUrl('in/box.txt', downloadToken, 'x')).error)
      .toMatchObject({ code: 'InvalidSignature', message: 'Token is not scoped for upload' });

    const expiredToken = await new SignJWT({ url: `${b}/late.txt`, upsert: false, scope: 'upload' })
      .setProtectedHeader({ alg: 'HS256' }).setIssuedAt(Math.floor(Date.now() / 1000) - 7300).setExpirationTime(Math.floor(Date.now() / 1000) - 100)
      .sign(new TextEncoder().encode(stack().jwtSecret));
    expect((await anonClient().storage.from(b).uploadToSignedUrl('late.txt', expiredToken, 'x')).error)
      .toMatchObject({ statusCode: '400', code: 'InvalidJWT', message: '"exp" claim timestamp check failed' });
    expect(await versionOf(b, 'late.txt')).toBeUndefined();
  });
});

describe('image transformations (/render/image, sharp)', () => {
  let b: string;
  beforeAll(async () => {
    b = await bucket('img', { public: true });
    await admin.storage.from(b).upload('photo.png', await png(800, 600), { contentType: 'image/png' });
    await admin.storage.from(b).upload('photo.jpg', await jpeg(800, 600), { contentType: 'image/jpeg' });
    await admin.storage.from(b).upload('doc.txt', 'not an image', { contentType: 'text/plain' });
    await admin.storage.from(b).upload('bomb.png', bombPng(), { contentType: 'image/png' });
  });

  test('width, height and the three resize modes; never enlarged; size clamped', async () => {
    const files = admin.storage.from(b);
    const size = async (transform: Record<string, unknown>) => imageSize((await files.download('photo.png', { transform })).data!);
    expect(await size({ width: 200 })).toMatchObject({ width: 200, height: 150 });
    expect(await size({ height: 300 })).toMatchObject({ width: 400, height: 300 });
    expect(await size({ width: 200, height: 200, resize: 'cover' })).toMatchObject({ width: 200, height: 200 });
    expect(await size({ width: 200, height: 200 })).toMatchObject({ width: 200, height: 200 });
    expect(await size({ width: 200, height: 200, resize: 'contain' })).toMatchObject({ width: 200, height: 150 });
    expect(await size({ width: 200, height: 100, resize: 'fill' })).toMatchObject({ width: 200, height: 100 });
    expect(await size({ width: 5000 })).toMatchObject({ width: 800, height: 600 });
  });

  test('format (origin, webp, avif, or WebP when the browser accepts it) and quality', async () => {
    const url = (q: string) => `${stack().supabaseUrl}/storage/v1/render/image/public/${b}/photo.jpg?${q}`;
    const fmt = async (q: string, accept = '*/*') => {
      const res = await fetch(url(q), { headers: { accept } });
      const body = Buffer.from(await res.arrayBuffer());
      return { type: res.headers.get('content-type'), format: (await imageSize(body)).format, bytes: body.length };
    };
    expect(await fmt('width=100')).toMatchObject({ type: 'image/jpeg', format: 'jpeg' });
    expect(await fmt('width=100', 'image/avif,image/webp,*/*')).toMatchObject({ type: 'image/webp', format: 'webp' });
    expect(await fmt('width=100&format=origin', 'image/webp,*/*')).toMatchObject({ type: 'image/jpeg' });
    expect(await fmt('width=100&format=webp')).toMatchObject({ type: 'image/webp', format: 'webp' });
    expect(await fmt('width=100&format=avif')).toMatchObject({ type: 'image/avif', format: 'heif' });
    const low = await fmt('width=400&quality=20');
    const high = await fmt('width=400&quality=100');
    expect(low.bytes).toBeLessThan(high.bytes);
  });

  test('public, authenticated and signed render URLs from storage-js', async () => {
    const files = admin.storage.from(b);
    const publicUrl = files.getPublicUrl('photo.png', { transform: { width: 120, height: 90 } }).data.publicUrl;
    expect(publicUrl).toContain(`/storage/v1/render/image/public/${b}/photo.png?width=120&height=90`);
    expect(await imageSize(await (await fetch(publicUrl)).arrayBuffer())).toMatchObject({ width: 120, height: 90 });
    const signed = await files.createSignedUrl('photo.png', 60, { transform: { width: 64, height: 64, resize: 'contain' } });
    expect(signed.data?.signedUrl).toContain(`/storage/v1/render/image/sign/${b}/photo.png?token=`);
    const res = await fetch(signed.data!.signedUrl);
    expect(res.status).toBe(200);
    expect(await imageSize(await res.arrayBuffer())).toMatchObject({ width: 64, height: 48 });
  });

  test('bad parameters, non-images and a decompression bomb are refused with Storage errors', async () => {
    const render = (path: string) => storageFetch(`/render/image/authenticated/${b}/${path}`);
    const bad = await render('photo.png?quality=5');
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ statusCode: '400', message: 'querystring/quality must be >= 20' });
    expect((await render('photo.png?resize=squash')).json).toMatchObject({ statusCode: '400' });
    const text = await render('doc.txt?width=10');
    expect(text.status).toBe(400);
    expect(text.json).toMatchObject({ statusCode: '422', message: 'The source image is invalid or unsupported for rendering' });
    const started = Date.now();
    const bomb = await render('bomb.png?width=10');
    expect(bomb.json).toMatchObject({ statusCode: '422', message: 'The source image resolution is too large to process' });
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
