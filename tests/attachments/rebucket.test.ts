import type postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAttachment } from '../../src/features/attachments/add-attachment.server.ts';
import { listAttachments } from '../../src/features/attachments/queries.server.ts';
import { setSpaceHero } from '../../src/features/attachments/set-space-hero.server.ts';
import { rebucketFiles, rebucketJob } from '../../workers/attachments/rebucket.ts';
import { connectTestDb } from '../helpers/db.ts';
import { createProposal, createProposalsComponent, createUsers, grantRole, type ProposalsFixture } from '../proposals/fixtures.ts';
import { adminClient, png } from '../storage/helpers.ts';
import { actor, type Actor, file, PDF, useTestStack } from './helpers.ts';

/**
 * The `attachments.rebucket` job: a space made private has its files moved out of the public
 * bucket (their old URLs stop answering, members read them through signed URLs), a space made
 * public has them moved back (visitors read them again); a move cut short is finished by the next
 * run; a file deleted meanwhile leaves its bytes to the purge job in the bucket they are really in.
 */

let sql: postgres.Sql;
let place: ProposalsFixture;
let author: Actor;
let admin: Actor;
let member: Actor;
let anon: Actor;

const statusOf = async (url: string) => (await fetch(url)).status;
const bucketsOf = async (resourceId: string) =>
  (await sql<{ bucket_id: string }[]>`select bucket_id from public.attachments where resource_id = ${resourceId} order by created_at`).map((r) => r.bucket_id);
const objectIn = async (bucket: string, name: string) => (await sql`select 1 from storage.objects where bucket_id = ${bucket} and name = ${name}`).length === 1;
type Hero = { bucket: string; name: string; card: { name: string } };
const heroOf = async (): Promise<Hero> => {
  const [row] = await sql<{ hero: Hero }[]>`select hero_image as hero from public.spaces where id = ${place.spaceId}`;
  return row!.hero;
};
const queued = async () => (await sql`select 1 from private.spaces_to_rebucket where space_id = ${place.spaceId}`).length === 1;
// Other tests of the run may queue spaces of their own: run until this one's files are done.
const rebucketAll = async () => {
  let moved = 0;
  for (let i = 0; i < 20; i++) {
    const r = await rebucketFiles(sql);
    moved += r.moved;
    if (r.moved === 0) break;
  }
  return moved;
};

beforeAll(async () => {
  useTestStack();
  sql = connectTestDb();
  place = await createProposalsComponent(sql, { settings: { attachments_allowed: true } });
  const [a, ad, m] = await createUsers(sql, 3, 'rebucket');
  [author, admin, member, anon] = [actor(a!), actor(ad!), actor(m!), actor(null)];
  await grantRole(sql, place, admin.id!, 'admin');
  await sql`insert into public.space_members (space_id, user_id) values (${place.spaceId}, ${author.id}), (${place.spaceId}, ${member.id})`;
});
afterAll(async () => {
  await sql.end();
});

describe('attachments.rebucket', () => {
  it('a space made private: its files leave the public bucket, old URLs stop answering, members read them signed; and back', async () => {
    const proposal = await createProposal(sql, place, author.id!);
    const add = (f: File) => addAttachment({ claims: author.claims, storage: author.storage, locale: 'fr' }, { resource_type: 'proposal', resource_id: proposal, file: f });
    expect((await add(file(await png(640, 480), 'plan.png', 'image/png'))).ok).toBe(true);
    expect((await add(file(PDF, 'compte-rendu.pdf'))).ok).toBe(true);
    expect((await setSpaceHero(admin, { space_id: place.spaceId, file: file(await png(1800, 800), 'vue.png', 'image/png') })).ok).toBe(true);
    const before = await listAttachments(anon, 'proposal', proposal);
    const publicUrls = before.items.flatMap((i) => [i.url, ...(i.thumbnail ? [i.thumbnail.url] : [])]);
    expect(publicUrls).toHaveLength(3);
    for (const url of publicUrls) expect(await statusOf(url)).toBe(200);
    const hero = await heroOf();
    expect(hero.bucket).toBe('attachments');

    await sql`update public.spaces set private = true where id = ${place.spaceId}`;
    expect(await queued()).toBe(true);
    expect(await rebucketAll()).toBeGreaterThanOrEqual(3);
    expect(await bucketsOf(proposal)).toEqual(['attachments-private', 'attachments-private']);
    for (const url of publicUrls) expect(await statusOf(url)).toBe(400);
    const moved = await heroOf();
    expect(moved).toMatchObject({ bucket: 'attachments-private', name: hero.name });
    expect(await objectIn('attachments-private', hero.card.name)).toBe(true);
    expect(await objectIn('attachments', hero.card.name)).toBe(false);
    // Members: signed URLs that answer; visitors: the space and its files are out of sight.
    const signed = await listAttachments(member, 'proposal', proposal);
    expect(signed.items).toHaveLength(2);
    for (const item of signed.items) {
      expect(item.url).toContain('/storage/v1/object/sign/attachments-private/');
      expect(await statusOf(item.url)).toBe(200);
    }
    expect((await listAttachments(anon, 'proposal', proposal)).items).toEqual([]);
    expect(await queued()).toBe(false);

    // Public again: visitors read them from the public bucket.
    await sql`update public.spaces set private = false where id = ${place.spaceId}`;
    await rebucketAll();
    expect(await bucketsOf(proposal)).toEqual(['attachments', 'attachments']);
    for (const url of publicUrls) expect(await statusOf(url)).toBe(200);
    expect(await queued()).toBe(false);
  });

  it('finishes a move cut short, and a file deleted meanwhile hands the purge job the bucket its bytes are in', async () => {
    const proposal = await createProposal(sql, place, author.id!);
    const add = (f: File) => addAttachment({ claims: author.claims, storage: author.storage, locale: 'fr' }, { resource_type: 'proposal', resource_id: proposal, file: f });
    const r = await add(file(PDF, 'a.pdf'));
    if (!r.ok) throw new Error('upload failed');
    const [row] = await sql<{ object_name: string }[]>`select object_name from public.attachments where id = ${r.value.id}`;
    await sql`update public.spaces set private = true where id = ${place.spaceId}`;
    // A run that moved the bytes and stopped before its row changed.
    expect((await adminClient().storage.from('attachments').move(row!.object_name, row!.object_name, { destinationBucket: 'attachments-private' })).error).toBeNull();
    await rebucketAll();
    expect(await bucketsOf(proposal)).toEqual(['attachments-private']);
    expect(await objectIn('attachments-private', row!.object_name)).toBe(true);

    await sql`delete from public.proposals where id = ${proposal}`;
    expect(await sql`select bucket_id from private.orphan_objects where name = ${row!.object_name}`).toEqual([{ bucket_id: 'attachments-private' }]);
    await sql`update public.spaces set private = false where id = ${place.spaceId}`;
    await rebucketAll();
  });

  it('a replaced hero image leaves both its banner and its card to the purge job', async () => {
    const hero = async () => file(await png(1800, 800), 'vue.png', 'image/png');
    expect((await setSpaceHero(admin, { space_id: place.spaceId, file: await hero() })).ok).toBe(true);
    const [first] = await sql<{ name: string; card: string }[]>`
      select hero_image ->> 'name' as name, hero_image -> 'card' ->> 'name' as card from public.spaces where id = ${place.spaceId}`;
    expect((await setSpaceHero(admin, { space_id: place.spaceId, file: await hero() })).ok).toBe(true);
    const orphans = await sql<{ name: string }[]>`select name from private.orphan_objects where name in (${first!.name}, ${first!.card}) order by name`;
    expect(orphans.map((o) => o.name)).toEqual([first!.name, first!.card].sort());
  });

  it('is a scheduled job, every minute, that refuses a payload', async () => {
    expect(rebucketJob.queue).toBe('attachments.rebucket');
    expect(rebucketJob.schedule?.cron).toBe('* * * * *');
    await expect(rebucketJob.handle({ anything: 1 }, { db: sql, log: () => {} })).rejects.toThrow(/invalid payload/);
  });
});
