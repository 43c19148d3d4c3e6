import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { createClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { connectTestDb } from '../helpers/db.ts';
import { adminClient, anonClient, createBucket, dropBucket, forgeJwt, png, policies, signedIn, stack, storageFetch, uniqueBucket } from './helpers.ts';

/**
 * RLS decides, as on Supabase: each request runs as its JWT's role with its claims, and the
 * policies an app writes on storage.objects (here: a public folder, one folder per user written
 * by its owner only, a moderator claim that reads everything) answer every call of storage-js.
 */

const sql = connectTestDb();
const admin = adminClient();
let bucket: string;
let dropPolicies: () => Promise<void>;
let alice: Awaited<ReturnType<typeof signedIn>>;
let bob: Awaited<ReturnType<typeof signedIn>>;

const clientWithToken = (token: string) =>
  createClient(stack().supabaseUrl, stack().anonKey, {
    auth: { persistSession: false, autoRefreshToken: false },
    global: { headers: { Authorization: `Bearer ${token}` } },
  });

const versionOf = async (name: string) =>
  (await sql<{ version: string; owner: string | null; owner_id: string | null }[]>`
    select version, owner, owner_id from storage.objects where bucket_id = ${bucket} and name = ${name}`)[0];

beforeAll(async () => {
  bucket = await createBucket(uniqueBucket('rls'), { public: false });
  dropPolicies = await policies(sql, bucket, [
    { name: 'anyone reads the public folder', command: 'select', to: 'anon, authenticated', using: "(storage.foldername(name))[1] = 'public'" },
    { name: 'owners read their files', command: 'select', to: 'authenticated', using: 'owner_id = (select auth.uid())::text' },
    { name: 'moderators read everything', command: 'select', to: 'authenticated', using: "(select auth.jwt()) -> 'app_metadata' ->> 'role' = 'moderator'" },
    { name: 'people write in their folder', command: 'insert', to: 'authenticated', check: '(storage.foldername(name))[1] = (select auth.uid())::text' },
    { name: 'owners update into their folder', command: 'update', to: 'authenticated', using: 'owner_id = (select auth.uid())::text', check: '(storage.foldername(name))[1] = (select auth.uid())::text' },
    { name: 'owners delete', command: 'delete', to: 'authenticated', using: 'owner_id = (select auth.uid())::text' },
  ]);
  [alice, bob] = await Promise.all([signedIn('storage-alice'), signedIn('storage-bob')]);
  expect((await admin.storage.from(bucket).upload('public/readme.txt', 'à lire', { contentType: 'text/plain' })).error).toBeNull();
  expect((await alice.client.storage.from(bucket).upload(`${alice.id}/a.txt`, 'alice', { contentType: 'text/plain' })).error).toBeNull();
});

afterAll(async () => {
  await dropPolicies?.();
  await dropBucket(bucket).catch(() => {});
  await sql.end();
});

describe('a signed-in owner', () => {
  test('uploads into their folder only, owning what they upload', async () => {
    const files = alice.client.storage.from(bucket);
    expect(await versionOf(`${alice.id}/a.txt`)).toMatchObject({ owner: alice.id, owner_id: alice.id });
    const refused = await files.upload(`${bob.id}/intrus.txt`, 'x', { contentType: 'text/plain' });
    expect(refused.error).toMatchObject({ status: 400, statusCode: '403', code: 'AccessDenied', message: 'new row violates row-level security policy' });
    expect(await versionOf(`${bob.id}/intrus.txt`)).toBeUndefined();
    expect((await files.upload('public/spam.txt', 'x')).error).toMatchObject({ statusCode: '403' });
  });

  test('reads, lists, signs, upserts, updates, moves and removes their own files', async () => {
    const files = alice.client.storage.from(bucket);
    await files.upload(`${alice.id}/work.txt`, 'v1', { contentType: 'text/plain' });
    expect(await (await files.download(`${alice.id}/work.txt`)).data?.text()).toBe('v1');
    expect((await files.list(alice.id)).data?.map((o) => o.name)).toEqual(expect.arrayContaining(['a.txt', 'work.txt']));
    const signed = await files.createSignedUrl(`${alice.id}/work.txt`, 60);
    expect(await (await fetch(signed.data!.signedUrl)).text()).toBe('v1');
    expect((await files.upload(`${alice.id}/work.txt`, 'v2', { upsert: true, contentType: 'text/plain' })).error).toBeNull();
    expect((await files.update(`${alice.id}/work.txt`, 'v3', { contentType: 'text/plain' })).error).toBeNull();
    expect(await (await files.download(`${alice.id}/work.txt`)).data?.text()).toBe('v3');
    expect((await files.move(`${alice.id}/work.txt`, `${alice.id}/done/work.txt`)).error).toBeNull();
    // Moving it into someone else's folder fails the update's WITH CHECK.
    expect((await files.move(`${alice.id}/done/work.txt`, `${bob.id}/work.txt`)).error).toMatchObject({ statusCode: '403', code: 'AccessDenied' });
    const version = (await versionOf(`${alice.id}/done/work.txt`))!.version;
    expect((await files.remove([`${alice.id}/done/work.txt`])).data?.map((o) => o.name)).toEqual([`${alice.id}/done/work.txt`]);
    expect(existsSync(join(stack().dataDir, 'storage', version.slice(0, 2), version))).toBe(false);
  });
});

describe('someone else', () => {
  test('neither reads, lists, signs, copies, moves, overwrites nor removes another person’s file', async () => {
    const files = bob.client.storage.from(bucket);
    const path = `${alice.id}/a.txt`;
    expect((await files.download(path)).error).toMatchObject({ status: 400, statusCode: '404' });
    expect((await files.info(path)).error).toMatchObject({ statusCode: '404', code: 'NoSuchKey' });
    expect((await files.download(path, { transform: { width: 10 } })).error).toMatchObject({ statusCode: '404' });
    expect((await files.list(alice.id)).data).toEqual([]);
    expect((await files.createSignedUrl(path, 60)).error).toMatchObject({ statusCode: '404', code: 'NoSuchKey' });
    expect((await files.createSignedUrls([path], 60)).data?.[0]?.error).toBe('Either the object does not exist or you do not have access to it');
    expect((await files.copy(path, `${bob.id}/copie.txt`)).error).toMatchObject({ statusCode: '404', code: 'NoSuchKey' });
    expect((await files.move(path, `${bob.id}/vol.txt`)).error).toMatchObject({ statusCode: '404', code: 'NoSuchKey' });
    expect((await files.upload(path, 'écrasé', { upsert: true })).error).toMatchObject({ statusCode: '403', code: 'AccessDenied' });
    expect((await files.createSignedUploadUrl(path, { upsert: true })).error).toMatchObject({ statusCode: '403' });
    expect(await files.remove([path])).toEqual({ data: [], error: null });
    expect(await (await alice.client.storage.from(bucket).download(path)).data?.text()).toBe('alice');
  });

  test('anonymous callers read the public folder only and write nothing', async () => {
    const files = anonClient().storage.from(bucket);
    expect(await (await files.download('public/readme.txt')).data?.text()).toBe('à lire');
    expect((await files.download(`${alice.id}/a.txt`)).error).toMatchObject({ statusCode: '404' });
    expect((await files.list()).data?.map((o) => o.name)).toEqual(['public']);
    expect((await files.upload(`${alice.id}/b.txt`, 'x')).error).toMatchObject({ statusCode: '403', message: 'new row violates row-level security policy' });
    expect(await files.remove(['public/readme.txt'])).toEqual({ data: [], error: null });
    // The bucket is private: no public URL, whatever the policies say.
    expect((await fetch(files.getPublicUrl('public/readme.txt').data.publicUrl)).status).toBe(400);
  });

  test('claims reach the policies: a moderator claim reads everything, and the service role bypasses RLS', async () => {
    const now = Math.floor(Date.now() / 1000);
    const moderator = clientWithToken(forgeJwt({ sub: randomUUID(), role: 'authenticated', aud: 'authenticated', iat: now, exp: now + 600, app_metadata: { role: 'moderator' } }));
    expect(await (await moderator.storage.from(bucket).download(`${alice.id}/a.txt`)).data?.text()).toBe('alice');
    const plain = clientWithToken(forgeJwt({ sub: randomUUID(), role: 'authenticated', aud: 'authenticated', iat: now, exp: now + 600, app_metadata: {} }));
    expect((await plain.storage.from(bucket).download(`${alice.id}/a.txt`)).error).toMatchObject({ statusCode: '404' });
    expect(await (await admin.storage.from(bucket).download(`${alice.id}/a.txt`)).data?.text()).toBe('alice');
  });
});

describe('tokens', () => {
  test('a bad signature, an expired token and a role that is not an API role are refused', async () => {
    const now = Math.floor(Date.now() / 1000);
    const path = `/object/authenticated/${bucket}/public/readme.txt`;
    const forged = forgeJwt({ sub: alice.id, role: 'authenticated', exp: now + 600 }, 'another-secret-that-is-at-least-32-characters');
    expect((await storageFetch(path, { bearer: forged })).json)
      .toEqual({ statusCode: '403', code: 'AccessDenied', error: 'Unauthorized', message: 'signature verification failed' });
    const expired = forgeJwt({ sub: alice.id, role: 'authenticated', iat: now - 7200, exp: now - 3600 });
    const res = await storageFetch(path, { bearer: expired });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ statusCode: '403', code: 'AccessDenied', message: '"exp" claim timestamp check failed' });
    const superuser = forgeJwt({ sub: alice.id, role: 'postgres', exp: now + 600 });
    expect((await storageFetch(path, { bearer: superuser })).json).toMatchObject({ statusCode: '403', code: 'AccessDenied', message: 'Access denied: Invalid role' });
    expect((await storageFetch(path, { bearer: stack().anonKey })).status).toBe(200);
  });

  test('an image upload through RLS renders for its owner only', async () => {
    const name = `${alice.id}/photo.png`;
    expect((await alice.client.storage.from(bucket).upload(name, await png(300, 200), { contentType: 'image/png' })).error).toBeNull();
    const own = await alice.client.storage.from(bucket).download(name, { transform: { width: 30 } });
    expect(own.error).toBeNull();
    expect((await bob.client.storage.from(bucket).download(name, { transform: { width: 30 } })).error).toMatchObject({ statusCode: '404' });
  });
});
