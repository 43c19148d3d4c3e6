import { randomUUID } from 'node:crypto';
import type postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asUser, type Claims, type Tx } from '../../src/lib/db/index.ts';
import { announceDuePosts } from '../../workers/blog/announce-scheduled.ts';
import { attempt, createUser, uniqueTag, userClaims } from '../db/fixtures.ts';
import { connectTestDb } from '../helpers/db.ts';
import { deliver, lastEventId, told } from '../notifications/fixtures.ts';

/*
 * The news component's rules, in the database, whoever writes: who sees a post (out, scheduled,
 * hidden; private spaces), who writes, edits, hides and deletes; participants only where the
 * component lets them; the shared layer (comments, likes, follows, reports, versions) on posts;
 * the space's followers told of a post once it is out (at once, or when its time comes).
 *
 *   anon, participant, author (a participant who posts), member (of the private space),
 *   moderator, admin (of both spaces).
 */

let sql: postgres.Sql;
const tag = uniqueTag();
const ACTORS = ['participant', 'author', 'member', 'moderator', 'admin', 'follower'] as const;
type Actor = (typeof ACTORS)[number];
const users = {} as Record<Actor, string>;
const space = { pub: randomUUID(), priv: randomUUID() };
const component = { pub: randomUUID(), open: randomUUID(), priv: randomUUID() };
const claimsOf = (a: Actor | 'anon'): Claims | null => (a === 'anon' ? null : userClaims(users[a]));
const as = <T>(a: Actor, fn: (tx: Tx) => Promise<T>) => asUser(claimsOf(a), fn, sql);
const fr = (s: string) => ({ fr: s });

async function post(a: Actor, comp: string, opts: { at?: Date; title?: string; signed?: 'me' } = {}): Promise<string> {
  const [row] = await as(a, (tx) => tx<{ id: string }[]>`
    insert into public.blog_posts (component_id, author_id, title, body, published_at)
    values (${comp}, ${opts.signed === 'me' ? users[a] : null}, ${tx.json(fr(opts.title ?? 'Une actualité'))}, ${tx.json(fr('<p>Le texte.</p>'))},
            ${opts.at ?? null}::timestamptz)
    returning id`);
  return row!.id;
}

async function seen(a: Actor | 'anon', ids: string[]): Promise<string[]> {
  const r = await attempt(sql, claimsOf(a), (tx) => tx<{ id: string }[]>`select id from public.blog_posts where id = any (${ids}::uuid[]) order by id`);
  if (!r.ok) throw r.error;
  return r.value.map((x) => x.id);
}

beforeAll(async () => {
  sql = connectTestDb();
  for (const a of ACTORS) users[a] = await createUser(sql, `blog-${a}-${tag}`);
  await sql.begin(async (tx: Tx) => {
    await tx`insert into public.spaces (id, kind, slug, title, published_at, private) values
      (${space.pub}, 'process', ${`blog-pub-${tag}`}, ${tx.json(fr('Publique'))}, now(), false),
      (${space.priv}, 'assembly', ${`blog-priv-${tag}`}, ${tx.json(fr('Privée'))}, now(), true)`;
    const on = { comments_enabled: true, likes_enabled: true };
    await tx`insert into public.components (id, space_id, feature, name, published_at, settings) values
      (${component.pub}, ${space.pub}, 'blog', ${tx.json(fr('Actualités'))}, now(), ${tx.json(on)}),
      (${component.open}, ${space.pub}, 'blog', ${tx.json(fr('Tribunes'))}, now(), ${tx.json({ ...on, creation_enabled: true })}),
      (${component.priv}, ${space.priv}, 'blog', ${tx.json(fr('Nouvelles'))}, now(), ${tx.json(on)})`;
    for (const s of [space.pub, space.priv]) {
      await tx`insert into public.space_roles (space_id, user_id, role) values (${s}, ${users.admin}, 'admin'), (${s}, ${users.moderator}, 'moderator')`;
    }
    await tx`insert into public.space_members (space_id, user_id) values (${space.priv}, ${users.member})`;
    await tx`insert into public.space_follows (space_id, user_id) values (${space.pub}, ${users.follower}), (${space.pub}, ${users.participant})`;
  });
});

afterAll(async () => {
  await sql.end();
});

describe('who sees a post', () => {
  it('out: everyone who sees the space; scheduled: the space’s team only; private space: its members', async () => {
    const out = await post('admin', component.pub);
    const later = await post('admin', component.pub, { at: new Date(Date.now() + 86_400_000) });
    const priv = await post('admin', component.priv);
    const all = [out, later, priv].sort();
    expect(await seen('anon', all)).toEqual([out]);
    expect(await seen('participant', all)).toEqual([out]);
    expect(await seen('member', all)).toEqual([out, priv].sort());
    expect(await seen('moderator', all)).toEqual(all);
    expect(await seen('admin', all)).toEqual(all);
    // A scheduled post takes no part yet: no likes, no comments.
    await expect(as('participant', (tx) => tx`insert into public.likes (resource_type, resource_id) values ('blog_post', ${later})`)).rejects.toMatchObject({
      code: '42501',
    });
  });

  it('hidden by a moderator: gone for everyone but moderators; every decision recorded', async () => {
    const p = await post('admin', component.pub);
    await expect(as('participant', (tx) => tx`update public.blog_posts set hidden_at = now() where id = ${p}`)).resolves.toMatchObject({ count: 0 });
    await as('moderator', (tx) => tx`update public.blog_posts set hidden_at = now() where id = ${p}`);
    expect(await seen('anon', [p])).toEqual([]);
    expect(await seen('moderator', [p])).toEqual([p]);
    const decisions = await sql`select hidden from public.moderation_decisions where resource_type = 'blog_post' and resource_id = ${p}`;
    expect(decisions).toEqual([{ hidden: true }]);
  });

  it('the third report hides it pending review', async () => {
    const p = await post('admin', component.pub);
    const reporters = await Promise.all([1, 2, 3].map((i) => createUser(sql, `blog-rep${i}-${tag}`)));
    await Promise.all(
      reporters.map((r) => asUser(userClaims(r), (tx) => tx`insert into public.reports (resource_type, resource_id, reason) values ('blog_post', ${p}, 'spam')`, sql)),
    );
    const [row] = await sql<{ hidden: boolean; reports_count: number }[]>`select hidden_at is not null as hidden, reports_count from public.blog_posts where id = ${p}`;
    expect(row).toEqual({ hidden: true, reports_count: 3 });
  });
});

describe('who writes', () => {
  it('the space’s admins post, sign for the organization or themselves, schedule; nobody else signs for them', async () => {
    const p = await post('admin', component.pub, { signed: 'me' });
    const [row] = await sql<{ author_id: string | null; created_by: string }[]>`select author_id, created_by from public.blog_posts where id = ${p}`;
    expect(row).toEqual({ author_id: users.admin, created_by: users.admin });
    await expect(
      as('admin', (tx) => tx`insert into public.blog_posts (component_id, author_id, title) values (${component.pub}, ${users.participant}, ${tx.json(fr('Faux'))})`),
    ).rejects.toMatchObject({ code: '42501' });
    // A time in the past is now (no backdating).
    const [past] = await as('admin', (tx) => tx<{ published_at: Date }[]>`
      insert into public.blog_posts (component_id, title, published_at) values (${component.pub}, ${tx.json(fr('Passé'))}, now() - interval '10 days')
      returning published_at`);
    expect(Date.now() - past!.published_at.getTime()).toBeLessThan(60_000);
  });

  it('participants post only where the component lets them, signed by them, out at once', async () => {
    await expect(post('participant', component.pub)).rejects.toMatchObject({ code: '42501' });
    const mine = await post('author', component.open, { at: new Date(Date.now() + 86_400_000) });
    const [row] = await sql<{ author_id: string; out: boolean }[]>`select author_id, published_at <= now() as out from public.blog_posts where id = ${mine}`;
    expect(row).toEqual({ author_id: users.author, out: true });
    // Its author edits its text, not its date nor who signs it; others edit nothing.
    await as('author', (tx) => tx`update public.blog_posts set title = ${tx.json(fr('Nouveau titre'))} where id = ${mine}`);
    await expect(as('author', (tx) => tx`update public.blog_posts set published_at = now() + interval '1 day' where id = ${mine}`)).rejects.toMatchObject({ code: '42501' });
    expect((await as('participant', (tx) => tx`update public.blog_posts set title = ${tx.json(fr('Pirate'))} where id = ${mine}`)).count).toBe(0);
    // Counters and the announcement are nobody's to write.
    await expect(as('admin', (tx) => tx`update public.blog_posts set likes_count = 99 where id = ${mine}`)).rejects.toMatchObject({ code: '42501' });
    // Each text is a version.
    const versions = await sql`select version, data -> 'title' ->> 'fr' as title from public.versions where resource_type = 'blog_post' and resource_id = ${mine} order by version`;
    expect(versions).toEqual([
      { version: 1, title: 'Une actualité' },
      { version: 2, title: 'Nouveau titre' },
    ]);
    // Only admins delete.
    expect((await as('author', (tx) => tx`delete from public.blog_posts where id = ${mine}`)).count).toBe(0);
    expect((await as('admin', (tx) => tx`delete from public.blog_posts where id = ${mine}`)).count).toBe(1);
  });

  it('anon writes nothing; a title must be there, not too long', async () => {
    const r = await attempt(sql, null, (tx) => tx`insert into public.blog_posts (component_id, title) values (${component.pub}, ${tx.json(fr('x'))})`);
    expect(r.ok).toBe(false);
    await expect(as('admin', (tx) => tx`insert into public.blog_posts (component_id, title) values (${component.pub}, '{}')`)).rejects.toMatchObject({
      constraint_name: 'blog_posts_title',
    });
    await expect(as('admin', (tx) => tx`insert into public.blog_posts (component_id, title) values (${component.pub}, ${tx.json(fr('x'.repeat(151)))})`)).rejects.toMatchObject({
      constraint_name: 'blog_posts_title',
    });
  });
});

describe('the shared layer on posts', () => {
  it('comments, likes and follows are counted on the post', async () => {
    const p = await post('admin', component.pub);
    await as('participant', (tx) => tx`insert into public.likes (resource_type, resource_id) values ('blog_post', ${p})`);
    await as('participant', (tx) => tx`insert into public.follows (resource_type, resource_id) values ('blog_post', ${p})`);
    await as('participant', (tx) => tx`insert into public.comments (resource_type, resource_id, body) values ('blog_post', ${p}, 'Bravo')`);
    const [row] = await sql`select likes_count, follows_count, comments_count from public.blog_posts where id = ${p}`;
    expect(row).toEqual({ likes_count: 1, follows_count: 1, comments_count: 1 });
  });
});

describe('notifications', () => {
  it('a post out now tells the space’s followers; a scheduled one only when its time comes, once', async () => {
    const since = await lastEventId(sql);
    const now = await post('admin', component.pub, { title: 'Tout de suite' });
    const later = await post('admin', component.pub, { title: 'Plus tard', at: new Date(Date.now() + 2_000) });
    await deliver(sql, since, space.pub);
    expect(await told(sql, 'blog.post_published', { resourceId: now })).toEqual([users.follower, users.participant].sort());
    expect(await told(sql, 'blog.post_published', { resourceId: later })).toEqual([]);
    await new Promise((r) => setTimeout(r, 2_100));
    expect(await announceDuePosts(sql)).toContain(later);
    expect(await announceDuePosts(sql)).not.toContain(later);
    await deliver(sql, since, space.pub);
    expect(await told(sql, 'blog.post_published', { resourceId: later })).toEqual([users.follower, users.participant].sort());
  });

  it('a private space’s news reach its members only', async () => {
    await sql`insert into public.space_follows (space_id, user_id) values (${space.priv}, ${users.follower})`;
    const since = await lastEventId(sql);
    const p = await post('admin', component.priv);
    await deliver(sql, since, space.priv);
    expect(await told(sql, 'blog.post_published', { resourceId: p })).toEqual([users.member]);
  });
});
