import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asUser, type Tx } from '../../src/lib/db/index.ts';
import { migrate } from '../../supabase/local/migrate.ts';
import { startDueNewsletters } from '../../workers/newsletters/send.ts';
import { attempt, userClaims } from '../db/fixtures.ts';
import { connectTestDb, createScratchDatabase, databaseUrlFor, dropScratchDatabase } from '../helpers/db.ts';

/*
 * The newsletters' rules in the database: only the organization's admins read and write letters,
 * nothing changes once a letter has left its draft; consent is explicit (asked at sign-up,
 * recorded as given), and nobody without it is in an audience; audiences by followers,
 * participants and taxonomy, counted before sending; the recipients written once, in one
 * statement, when the letter starts. In a database of its own (audiences count everyone).
 */

let admin: postgres.Sql;
let db: postgres.Sql;
let dbName: string;
const fr = (s: string) => ({ fr: s });

async function person(label: string, opts: { newsletter?: boolean } = {}): Promise<string> {
  const id = randomUUID();
  const meta: Record<string, unknown> = { name: label };
  if (opts.newsletter !== undefined) meta['newsletter'] = opts.newsletter;
  await db`insert into auth.users (id, aud, role, email, raw_user_meta_data, raw_app_meta_data, created_at, updated_at)
           values (${id}, 'authenticated', 'authenticated', ${`${label}-${id.slice(0, 6)}@example.org`}, ${db.json(meta as postgres.JSONValue)}, '{}', now(), now())`;
  return id;
}
const as = <T>(who: string, fn: (tx: Tx) => Promise<T>) => asUser(userClaims(who), fn, db);
const count = async (audience: object, who: string) =>
  (await as(who, (tx) => tx<{ n: number }[]>`select public.newsletter_audience_count(${tx.json(audience as postgres.JSONValue)}) as n`))[0]!.n;

let orgAdmin: string;
let space: string;
let other: string;
let district: string;

beforeAll(async () => {
  admin = connectTestDb();
  dbName = await createScratchDatabase(admin, 'letters');
  await migrate({ databaseUrl: databaseUrlFor(dbName), local: true, seed: false });
  db = postgres(databaseUrlFor(dbName), { max: 4, onnotice: () => {} });
  await db`insert into public.organization (name, time_zone) values (${db.json(fr('Ville'))}, 'Europe/Paris')`;
  orgAdmin = await person('admin', { newsletter: false });
  await db`insert into public.organization_admins (user_id) values (${orgAdmin})`;
  [space, other, district] = [randomUUID(), randomUUID(), randomUUID()];
  await db`insert into public.spaces (id, kind, slug, title, published_at) values
    (${space}, 'process', 'velo', ${db.json(fr('Vélo'))}, now()), (${other}, 'assembly', 'conseil', ${db.json(fr('Conseil'))}, now())`;
  await db`insert into public.taxonomies (id, name) values (${district}, ${db.json(fr('Quartier Nord'))})`;
  await db`insert into public.space_taxonomies (space_id, taxonomy_id) values (${other}, ${district})`;
}, 60_000);

afterAll(async () => {
  await db?.end();
  await dropScratchDatabase(admin, dbName);
  await admin.end();
});

describe('consent', () => {
  it('is recorded as given at sign-up, and only when asked', async () => {
    const [yes, no, never] = [await person('yes', { newsletter: true }), await person('no', { newsletter: false }), await person('never')];
    const rows = await db<{ id: string; opted: boolean; answered: boolean }[]>`
      select id, newsletter_opt_in_at is not null as opted, newsletter_answered_at is not null as answered
      from public.profile_preferences where id in (${yes}, ${no}, ${never})`;
    const by = Object.fromEntries(rows.map((r) => [r.id, { opted: r.opted, answered: r.answered }]));
    expect(by[yes]).toEqual({ opted: true, answered: true });
    expect(by[no]).toEqual({ opted: false, answered: true });
    expect(by[never]).toEqual({ opted: false, answered: false });
  });
});

describe('audiences', () => {
  it('everyone who consented, or the followers, or the participants of chosen spaces (or a taxonomy’s): never anyone without consent', async () => {
    const all0 = await count({ scope: 'all' }, orgAdmin);
    const [follower, participant, member, districtFollower, refuser, banned] = [
      await person('follower', { newsletter: true }),
      await person('participant', { newsletter: true }),
      await person('member', { newsletter: true }),
      await person('district', { newsletter: true }),
      await person('refuser', { newsletter: false }),
      await person('banned', { newsletter: true }),
    ];
    await db`update auth.users set banned_until = now() + interval '1 day' where id = ${banned}`;
    await db`insert into public.space_follows (space_id, user_id) values (${space}, ${follower}), (${space}, ${refuser}), (${other}, ${districtFollower})`;
    const component = randomUUID();
    await db`insert into public.components (id, space_id, feature, name, published_at, settings) values (${component}, ${space}, 'pages', ${db.json(fr('Page'))}, now(), '{"comments_enabled": true}')`;
    await as(participant, (tx) => tx`insert into public.comments (resource_type, resource_id, body) values ('page', ${component}, 'Bonjour')`);
    await db`insert into public.space_members (space_id, user_id) values (${space}, ${member})`;
    expect(await count({ scope: 'all' }, orgAdmin)).toBe(all0 + 4);
    expect(await count({ scope: 'followers', spaces: [space] }, orgAdmin)).toBe(1);
    expect(await count({ scope: 'participants', spaces: [space] }, orgAdmin)).toBe(2);
    expect(await count({ scope: 'followers', taxonomies: [district] }, orgAdmin)).toBe(1);
    // Nobody else may count (the count tells about people).
    await expect(count({ scope: 'all' }, follower)).rejects.toMatchObject({ code: '42501' });
  });
});

describe('audiences by verification', () => {
  it('the consenting people holding one of the chosen verifications, alone or within a scope; the recipients written are those counted', async () => {
    const [censusA, censusB, direct, unverified, censusRefuser, censusFollower] = [
      await person('census-a', { newsletter: true }),
      await person('census-b', { newsletter: true }),
      await person('direct', { newsletter: true }),
      await person('unverified', { newsletter: true }),
      await person('census-refuser', { newsletter: false }),
      await person('census-follower', { newsletter: true }),
    ];
    await db`insert into public.verifications (user_id, method, granted_by) values
      (${censusA}, 'direct', ${orgAdmin}), (${direct}, 'direct', ${orgAdmin})`;
    // The census method needs a census line: the same rows as a claimed line leaves.
    const upload = randomUUID();
    await db`insert into public.census_uploads (id, file_name) values (${upload}, 'recensement.csv')`;
    for (const who of [censusA, censusB, censusRefuser, censusFollower]) {
      const [line] = await db<{ id: string }[]>`insert into public.census_lines (upload_id, hash) values (${upload}, ${randomUUID()}::text::bytea) returning id`;
      await db`insert into public.verifications (user_id, method, census_line_id) values (${who}, 'census', ${line!.id})`;
    }
    await db`insert into public.space_follows (space_id, user_id) values (${space}, ${censusFollower}), (${space}, ${unverified})`;
    expect(await count({ scope: 'all', verifications: ['census'] }, orgAdmin)).toBe(3);
    expect(await count({ scope: 'all', verifications: ['direct'] }, orgAdmin)).toBe(2);
    // Either method; someone holding both counts once.
    expect(await count({ scope: 'all', verifications: ['census', 'direct'] }, orgAdmin)).toBe(4);
    expect(await count({ scope: 'followers', spaces: [space], verifications: ['census'] }, orgAdmin)).toBe(1);
    expect(await count({ scope: 'all', verifications: ['nonexistent'] }, orgAdmin)).toBe(0);
    expect(await count({ scope: 'all', verifications: [] }, orgAdmin)).toBe(await count({ scope: 'all' }, orgAdmin));
    // Not a list: refused by the table.
    await expect(as(orgAdmin, (tx) => tx`insert into public.newsletters (subject, audience) values (${tx.json(fr('L'))}, '{"scope": "all", "verifications": "census"}')`))
      .rejects.toMatchObject({ constraint_name: 'newsletters_audience' });

    const [letter] = await as(orgAdmin, (tx) => tx<{ id: string }[]>`
      insert into public.newsletters (subject, audience, status, scheduled_at)
      values (${tx.json(fr('Aux recensé·es'))}, '{"scope": "all", "verifications": ["census"]}', 'scheduled', now() - interval '1 minute') returning id`);
    await startDueNewsletters(db);
    const rows = await db<{ user_id: string }[]>`select user_id from public.newsletter_deliveries where newsletter_id = ${letter!.id} order by user_id`;
    expect(rows.map((r) => r.user_id)).toEqual([censusA, censusB, censusFollower].sort());
  });
});

describe('letters', () => {
  it('are the organization admins’ only, read-only once sending, their recipients written once when they start', async () => {
    const reader = await person('reader', { newsletter: true });
    const [letter] = await as(orgAdmin, (tx) => tx<{ id: string; status: string }[]>`
      insert into public.newsletters (subject, blocks, audience) values (${tx.json(fr('Lettre'))}, '[]', '{"scope": "all"}') returning id, status`);
    expect(letter!.status).toBe('draft');
    const seen = await attempt(db, userClaims(reader), (tx) => tx`select 1 from public.newsletters where id = ${letter!.id}`);
    expect(seen.ok && seen.value.length).toBe(0);
    const wrote = await attempt(db, userClaims(reader), (tx) => tx`insert into public.newsletters (subject) values (${tx.json(fr('Pirate'))})`);
    expect(wrote.ok).toBe(false);
    // Admins cannot mark it sent, nor touch its counters.
    await expect(as(orgAdmin, (tx) => tx`update public.newsletters set status = 'sent' where id = ${letter!.id}`)).rejects.toMatchObject({ code: '42501' });
    // Scheduled now: the workers start it, once.
    await as(orgAdmin, (tx) => tx`update public.newsletters set status = 'scheduled', scheduled_at = now() - interval '1 hour' where id = ${letter!.id}`);
    const expected = await count({ scope: 'all' }, orgAdmin);
    const first = await startDueNewsletters(db);
    expect(first.started).toContain(letter!.id);
    expect((await startDueNewsletters(db)).started).not.toContain(letter!.id);
    const [row] = await db<{ status: string; recipients_count: number; rows: number }[]>`
      select status, recipients_count, (select count(*)::int from public.newsletter_deliveries d where d.newsletter_id = l.id) as rows
      from public.newsletters l where l.id = ${letter!.id}`;
    expect(row).toEqual({ status: 'sending', recipients_count: expected, rows: expected });
    await expect(as(orgAdmin, (tx) => tx`update public.newsletters set subject = ${tx.json(fr('Changée'))} where id = ${letter!.id}`)).rejects.toMatchObject({
      constraint_name: 'newsletters_read_only',
    });
    expect((await as(orgAdmin, (tx) => tx`delete from public.newsletters where id = ${letter!.id}`)).count).toBe(0);
  });

  it('leaving from a letter’s link withdraws consent and counts for that letter', async () => {
    const person1 = await person('leaver', { newsletter: true });
    const [letter] = await as(orgAdmin, (tx) => tx<{ id: string }[]>`insert into public.newsletters (subject) values (${tx.json(fr('L'))}) returning id`);
    await db`select private.newsletter_unsubscribe(${person1}, ${letter!.id})`;
    const [prefs] = await db`select newsletter_opt_in_at is null as out from public.profile_preferences where id = ${person1}`;
    expect(prefs).toEqual({ out: true });
    expect(await db`select 1 from public.newsletter_unsubscribes where newsletter_id = ${letter!.id} and user_id = ${person1}`).toHaveLength(1);
  });
});
