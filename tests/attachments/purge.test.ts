import { randomUUID } from 'node:crypto';
import type postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purgeJob, purgeOrphans } from '../../workers/attachments/purge.ts';
import { connectTestDb } from '../helpers/db.ts';
import { createUser } from '../db/fixtures.ts';
import { adminClient } from '../storage/helpers.ts';
import { useTestStack } from './helpers.ts';

/**
 * The `attachments.purge` job: the bytes of files nothing points at any more go, through the
 * Storage API (the only way on a Supabase project); a listed file that something does point at
 * stays; running it again changes nothing.
 */

let sql: postgres.Sql;
const storage = () => adminClient().storage.from('attachments');
const exists = async (name: string) => (await sql`select 1 from storage.objects where bucket_id = 'attachments' and name = ${name}`).length === 1;

beforeAll(() => {
  useTestStack();
  sql = connectTestDb();
});
afterAll(async () => {
  await sql.end();
});

describe('attachments.purge', () => {
  it('removes orphaned bytes, keeps what is still referenced, and is idempotent', async () => {
    const owner = randomUUID();
    const orphans = [`proposal/${owner}/a.webp`, `proposal/${owner}/b.pdf`];
    for (const name of orphans) expect((await storage().upload(name, 'x', { contentType: 'text/plain' })).error).toBeNull();
    const user = await createUser(sql, 'purge');
    const avatar = `profile/${user}/kept-avatar.webp`;
    expect((await storage().upload(avatar, 'x', { contentType: 'text/plain' })).error).toBeNull();
    await sql`update public.profiles set avatar = ${sql.json({ bucket: 'attachments', name: avatar, width: 256, height: 256 })} where id = ${user}`;
    await sql`insert into private.orphan_objects (bucket_id, name) values ('attachments', ${orphans[0]!}), ('attachments', ${orphans[1]!}), ('attachments', ${avatar})`;

    const first = await purgeOrphans(sql);
    expect(first.removed).toBeGreaterThanOrEqual(2);
    expect(await exists(orphans[0]!)).toBe(false);
    expect(await exists(orphans[1]!)).toBe(false);
    expect(await exists(avatar)).toBe(true);
    expect(await sql`select 1 from private.orphan_objects where name = any(${[...orphans, avatar]})`).toEqual([]);
    // Nothing left to do for these: running again removes none of them and fails on nothing.
    await sql`insert into private.orphan_objects (bucket_id, name) values ('attachments', ${orphans[0]!})`;
    await purgeOrphans(sql);
    expect(await sql`select 1 from private.orphan_objects where name = ${orphans[0]!}`).toEqual([]);
  });

  it('is a scheduled job that refuses a payload', async () => {
    expect(purgeJob.queue).toBe('attachments.purge');
    expect(purgeJob.schedule?.cron).toBe('*/10 * * * *');
    await expect(purgeJob.handle({ anything: 1 }, { db: sql, log: () => {} })).rejects.toThrow(/invalid payload/);
  });
});
