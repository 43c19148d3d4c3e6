import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { asUser, type Claims, type Tx } from '../../src/lib/db/index.ts';
import { connectTestDb } from '../helpers/db.ts';
import { deliverNotifications } from '../helpers/notifications.ts';
import { attempt, createUser, errorOf, outcomeOf, uniqueTag, userClaims } from '../db/fixtures.ts';

/*
 * The comments schema's rules, enforced by the database whoever writes:
 *
 *   anon, participant, author (writes `c1`), moderator / spaceAdmin (of `pub` and `priv`),
 *   member (of `priv`), orgAdmin.
 *
 * Components: `pub` (published, comments on, alignment on, max 200), `blocked` (the active phase
 * blocks comments), `off` (comments disabled), `draft` (unpublished), `priv` (in a private
 * assembly). Comments are created as each test needs them; reads compare fixture ids only.
 */

const ACTORS = ['anon', 'participant', 'author', 'member', 'moderator', 'spaceAdmin', 'orgAdmin'] as const;
type Actor = (typeof ACTORS)[number];

let sql: postgres.Sql;
const tag = uniqueTag();
const users = {} as Record<Exclude<Actor, 'anon'>, string>;
const space = { pub: randomUUID(), priv: randomUUID() };
const phase = { pub1: randomUUID() };
const component = { pub: randomUUID(), blocked: randomUUID(), off: randomUUID(), draft: randomUUID(), priv: randomUUID() };
const claimsOf = (a: Actor): Claims | null => (a === 'anon' ? null : userClaims(users[a]));
const fr = (s: string) => ({ fr: s });

/** A comment written by `who` on a page (the page resource is its component). */
async function comment(who: Exclude<Actor, 'anon'>, comp: string, body: string, extra: { parent?: string; alignment?: number } = {}): Promise<string> {
  const [row] = await asUser(
    userClaims(users[who]),
    (tx) => tx<{ id: string }[]>`
      insert into public.comments (resource_type, resource_id, component_id, parent_id, alignment, body)
      values ('page', ${comp}, ${comp}, ${extra.parent ?? null}, ${extra.alignment ?? 0}, ${body}) returning id`,
    sql,
  );
  return row!.id;
}

async function visibleTo(a: Actor, ids: string[]): Promise<string[]> {
  const r = await attempt(sql, claimsOf(a), (tx) => tx<{ id: string }[]>`select id from public.comments where id = any(${ids}::uuid[])`);
  if (!r.ok) throw r.error;
  return r.value.map((x) => x.id);
}

beforeAll(async () => {
  sql = connectTestDb();
  for (const a of ACTORS) if (a !== 'anon') users[a] = await createUser(sql, `${a.toLowerCase()}-${tag}`);
  await sql.begin(async (tx: Tx) => {
    await tx`insert into public.organization_admins (user_id) values (${users.orgAdmin})`;
    await tx`
      insert into public.spaces (id, kind, slug, title, published_at, private) values
        (${space.pub}, 'process', ${`cpub-${tag}`}, ${tx.json(fr('Publié'))}, now(), false),
        (${space.priv}, 'assembly', ${`cpriv-${tag}`}, ${tx.json(fr('Privée'))}, now(), true)`;
    await tx`insert into public.phases (id, space_id, position, title) values (${phase.pub1}, ${space.pub}, 1, ${tx.json(fr('Phase 1'))})`;
    await tx`select public.activate_phase(${phase.pub1})`;
    const on = { comments_enabled: true, comments_max_length: 200, alignment_enabled: true };
    await tx`
      insert into public.components (id, space_id, feature, name, published_at, settings, phase_settings) values
        (${component.pub}, ${space.pub}, 'pages', ${tx.json(fr('Page'))}, now(), ${tx.json(on)}, '{}'),
        (${component.blocked}, ${space.pub}, 'pages', ${tx.json(fr('Bloquée'))}, now(), ${tx.json(on)},
          ${tx.json({ [phase.pub1]: { comments_blocked: true } })}),
        (${component.off}, ${space.pub}, 'pages', ${tx.json(fr('Fermée'))}, now(), ${tx.json({ comments_enabled: false })}, '{}'),
        (${component.draft}, ${space.pub}, 'pages', ${tx.json(fr('Brouillon'))}, null, ${tx.json(on)}, '{}'),
        (${component.priv}, ${space.priv}, 'pages', ${tx.json(fr('Privée'))}, now(), ${tx.json(on)}, '{}')`;
    for (const s of [space.pub, space.priv]) {
      await tx`insert into public.space_roles (space_id, user_id, role) values (${s}, ${users.moderator}, 'moderator'), (${s}, ${users.spaceAdmin}, 'admin')`;
    }
    await tx`insert into public.space_members (space_id, user_id) values (${space.priv}, ${users.member}), (${space.priv}, ${users.author})`;
  });
});

afterAll(async () => {
  await sql.end();
});

describe('who comments where', () => {
  const insert = (comp: string) => (tx: Tx) =>
    tx`insert into public.comments (resource_type, resource_id, component_id, body) values ('page', ${comp}, ${comp}, 'Bonjour')`;

  it('signed-in people who see the component, where comments are enabled and not blocked', async () => {
    const out: Record<string, Record<Actor, string>> = {};
    for (const [k, comp] of Object.entries(component)) {
      out[k] = {} as Record<Actor, string>;
      for (const a of ACTORS) {
        const r = await attempt(sql, claimsOf(a), insert(comp));
        out[k][a] = r.ok ? 'ok' : /row-level security/.test(r.error.message) ? 'refused' : r.error.code === '42501' ? 'denied' : r.error.message;
      }
    }
    const all = (v: string, over: Partial<Record<Actor, string>> = {}) => ({ ...Object.fromEntries(ACTORS.map((a) => [a, v])), anon: 'denied', ...over });
    expect(out['pub']).toEqual(all('ok'));
    expect(out['blocked']).toEqual(all('refused'));
    expect(out['off']).toEqual(all('refused'));
    // A preview is not participation, even for admins.
    expect(out['draft']).toEqual(all('refused'));
    expect(out['priv']).toEqual(all('ok', { participant: 'refused' }));
  });

  it('the author is who inserts, counters and moderation cannot be chosen', async () => {
    const r = await attempt(sql, claimsOf('participant'), (tx) => tx<{ author_id: string; official: boolean }[]>`
      insert into public.comments (resource_type, resource_id, component_id, body) values ('page', ${component.pub}, ${component.pub}, 'x')
      returning author_id, official`);
    expect(r.ok && r.value[0]).toEqual({ author_id: users.participant, official: false });
    expect(
      await outcomeOf(sql, claimsOf('participant'), (tx) => tx`
        insert into public.comments (resource_type, resource_id, component_id, body, up_votes) values ('page', ${component.pub}, ${component.pub}, 'x', 10)`),
    ).toBe('denied');
  });

  it('max length from the component, depth 3, alignment only where enabled, no resource no comment', async () => {
    expect((await errorOf(sql, claimsOf('participant'), insertBody('x'.repeat(201)))).constraint_name).toBe('comments_max_length');
    expect((await attempt(sql, claimsOf('participant'), insertBody('x'.repeat(200)))).ok).toBe(true);
    expect((await errorOf(sql, claimsOf('participant'), insertBody('   '))).constraint_name).toBe('comments_body_length');
    const d0 = await comment('author', component.pub, 'niveau 0');
    const d1 = await comment('participant', component.pub, 'niveau 1', { parent: d0 });
    const d2 = await comment('author', component.pub, 'niveau 2', { parent: d1 });
    const d3 = await comment('participant', component.pub, 'niveau 3', { parent: d2 });
    const [depths] = await sql<{ d: number[]; replies: number }[]>`
      select array_agg(depth order by depth) as d, (select replies_count from public.comments where id = ${d0}) as replies
      from public.comments where id in (${d0}, ${d1}, ${d2}, ${d3})`;
    expect(depths).toEqual({ d: [0, 1, 2, 3], replies: 1 });
    const e = await errorOf(sql, claimsOf('author'), (tx) => tx`
      insert into public.comments (resource_type, resource_id, component_id, parent_id, body) values ('page', ${component.pub}, ${component.pub}, ${d3}, 'trop profond')`);
    expect(e.constraint_name).toBe('comments_depth');
    // A reply stays in its parent's thread.
    const other = await comment('author', component.priv, 'ailleurs');
    const e2 = await errorOf(sql, claimsOf('author'), (tx) => tx`
      insert into public.comments (resource_type, resource_id, component_id, parent_id, body) values ('page', ${component.pub}, ${component.pub}, ${other}, 'x')`);
    expect(e2.constraint_name).toBe('comments_parent');
    expect((await attempt(sql, claimsOf('author'), insertBody('pour', 1))).ok).toBe(true);
    await sql`update public.components set settings = settings || '{"alignment_enabled": false}' where id = ${component.priv}`;
    const e3 = await errorOf(sql, claimsOf('author'), (tx) => tx`
      insert into public.comments (resource_type, resource_id, component_id, alignment, body) values ('page', ${component.priv}, ${component.priv}, -1, 'contre')`);
    expect(e3.constraint_name).toBe('comments_alignment');
    const e4 = await errorOf(sql, claimsOf('author'), (tx) => tx`
      insert into public.comments (resource_type, resource_id, component_id, body) values ('nope', ${randomUUID()}, ${component.pub}, 'x')`);
    expect(e4.constraint_name).toBe('comments_resource');
  });

  const insertBody = (body: string, alignment = 0) => (tx: Tx) =>
    tx`insert into public.comments (resource_type, resource_id, component_id, alignment, body) values ('page', ${component.pub}, ${component.pub}, ${alignment}, ${body})`;
});

describe('who reads, edits, deletes, hides, answers', () => {
  it('readable where the component is visible; hidden ones only by moderators and admins of the space', async () => {
    const pub = await comment('author', component.pub, 'public');
    const priv = await comment('author', component.priv, 'privé');
    const hidden = await comment('author', component.pub, 'caché');
    await asUser(claimsOf('moderator'), (tx) => tx`update public.comments set hidden_at = now() where id = ${hidden}`, sql);
    const ids = [pub, priv, hidden];
    const label = (xs: string[]) => xs.map((x) => (x === pub ? 'pub' : x === priv ? 'priv' : 'hidden')).sort();
    const out = {} as Record<Actor, string[]>;
    for (const a of ACTORS) out[a] = label(await visibleTo(a, ids));
    expect(out).toEqual({
      anon: ['pub'],
      participant: ['pub'],
      author: ['priv', 'pub'],
      member: ['priv', 'pub'],
      moderator: ['hidden', 'priv', 'pub'],
      spaceAdmin: ['hidden', 'priv', 'pub'],
      orgAdmin: ['hidden', 'priv', 'pub'],
    });
    // Unpublishing the component hides its comments from everyone but its admins.
    await sql`update public.components set published_at = null where id = ${component.priv}`;
    expect(await visibleTo('member', [priv])).toEqual([]);
    await sql`update public.components set published_at = now() where id = ${component.priv}`;
  });

  it('only the author edits (history kept) and deletes (no body left); moderators hide; admins mark official answers', async () => {
    const c = await comment('author', component.pub, 'première version');
    const edit = (tx: Tx) => tx`update public.comments set body = 'seconde version' where id = ${c}`;
    for (const a of ['participant', 'moderator', 'spaceAdmin'] as const) {
      const r = await attempt(sql, claimsOf(a), edit);
      expect(r.ok ? r.value.count : 'error', a).not.toBe(1);
    }
    expect(await outcomeOf(sql, claimsOf('anon'), edit)).toBe('denied');
    await asUser(claimsOf('author'), edit, sql);
    const [row] = await sql<{ body: string; edited: boolean }[]>`select body, edited_at is not null as edited from public.comments where id = ${c}`;
    expect(row).toEqual({ body: 'seconde version', edited: true });
    expect((await sql`select data ->> 'body' as body from public.versions where resource_type = 'comment' and resource_id = ${c}`).map((r) => r['body'])).toEqual(['première version']);
    // History: the author and moderators only.
    for (const [a, n] of [['author', 1], ['moderator', 1], ['participant', 0]] as const) {
      const r = await attempt(sql, claimsOf(a), (tx) => tx`select 1 from public.versions where resource_type = 'comment' and resource_id = ${c}`);
      expect(r.ok && r.value.length, a).toBe(n);
    }
    // Hide / unhide: moderators, not the author.
    expect((await attempt(sql, claimsOf('author'), (tx) => tx`update public.comments set hidden_at = now() where id = ${c}`)).ok).toBe(false);
    expect(await outcomeOf(sql, claimsOf('participant'), (tx) => tx`update public.comments set hidden_at = now() where id = ${c}`)).toBe('refused');
    expect(await outcomeOf(sql, claimsOf('moderator'), (tx) => tx`update public.comments set hidden_at = now() where id = ${c}`)).toBe('ok');
    // Official answer: admins, not moderators.
    expect((await attempt(sql, claimsOf('moderator'), (tx) => tx`update public.comments set official = true where id = ${c}`)).ok).toBe(false);
    expect(await outcomeOf(sql, claimsOf('spaceAdmin'), (tx) => tx`update public.comments set official = true where id = ${c}`)).toBe('ok');
    expect(await outcomeOf(sql, claimsOf('orgAdmin'), (tx) => tx`update public.comments set official = true where id = ${c}`)).toBe('ok');
    // Nobody rewrites counters.
    expect(await outcomeOf(sql, claimsOf('author'), (tx) => tx`update public.comments set up_votes = 99 where id = ${c}`)).toBe('denied');
    // Delete: the author's own; the body goes.
    expect((await attempt(sql, claimsOf('moderator'), (tx) => tx`update public.comments set deleted_at = now() where id = ${c}`)).ok).toBe(false);
    await asUser(claimsOf('author'), (tx) => tx`update public.comments set deleted_at = now() where id = ${c}`, sql);
    const [gone] = await sql<{ body: string; deleted: boolean }[]>`select body, deleted_at is not null as deleted from public.comments where id = ${c}`;
    expect(gone).toEqual({ body: '', deleted: true });
    expect(await outcomeOf(sql, claimsOf('author'), (tx) => tx`delete from public.comments where id = ${c}`)).toBe('denied');
  });
});

describe('votes and reports', () => {
  it('one vote per person under 20 concurrent attempts, counts exact', async () => {
    const c = await comment('author', component.pub, 'votez');
    const voters = await Promise.all(Array.from({ length: 10 }, (_, i) => createUser(sql, `voter${i}-${tag}`)));
    // Each of 10 people tries twice at once (20 attempts): one vote each survives.
    const results = await Promise.allSettled(
      voters.flatMap((v, i) =>
        [0, 1].map(() =>
          asUser(userClaims(v), (tx) => tx`insert into public.comment_votes (comment_id, value) values (${c}, ${i < 7 ? 1 : -1})`, sql),
        ),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
    for (const r of results) if (r.status === 'rejected') expect((r.reason as postgres.PostgresError).code).toBe('23505');
    const [row] = await sql<{ up_votes: number; down_votes: number }[]>`select up_votes, down_votes from public.comments where id = ${c}`;
    expect(row).toEqual({ up_votes: 7, down_votes: 3 });
    // Changing and withdrawing keep the counts exact.
    await asUser(userClaims(voters[0]!), (tx) => tx`update public.comment_votes set value = -1 where comment_id = ${c}`, sql);
    await asUser(userClaims(voters[9]!), (tx) => tx`delete from public.comment_votes where comment_id = ${c}`, sql);
    const [after] = await sql<{ up_votes: number; down_votes: number }[]>`select up_votes, down_votes from public.comments where id = ${c}`;
    expect(after).toEqual({ up_votes: 6, down_votes: 3 });
    // Others' votes are private; anonymous people do not vote.
    const seen = await attempt(sql, claimsOf('participant'), (tx) => tx`select 1 from public.comment_votes where comment_id = ${c}`);
    expect(seen.ok && seen.value.length).toBe(0);
    expect(await outcomeOf(sql, null, (tx) => tx`insert into public.comment_votes (comment_id, value) values (${c}, 1)`)).toBe('denied');
  });

  it('20 concurrent attempts by one person leave one vote; 20 people at once leave exactly 20', async () => {
    const c = await comment('author', component.pub, 'encore un vote');
    // 20 connections: the attempts really run at the same time.
    const wide = postgres(inject('stack').databaseUrl, { max: 20, onnotice: () => {} });
    const one = await Promise.allSettled(
      Array.from({ length: 20 }, () => asUser(claimsOf('participant'), (tx) => tx`insert into public.comment_votes (comment_id, value) values (${c}, 1)`, wide)),
    );
    expect(one.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const crowd = await Promise.all(Array.from({ length: 20 }, (_, i) => createUser(sql, `crowd${i}-${tag}`)));
    const all = await Promise.allSettled(
      crowd.map((u) => asUser(userClaims(u), (tx) => tx`insert into public.comment_votes (comment_id, value) values (${c}, -1)`, wide)),
    );
    await wide.end();
    expect(all.filter((r) => r.status === 'fulfilled')).toHaveLength(20);
    const [row] = await sql<{ up_votes: number; down_votes: number }[]>`select up_votes, down_votes from public.comments where id = ${c}`;
    expect(row).toEqual({ up_votes: 1, down_votes: 20 });
    const [n] = await sql<{ n: number }[]>`select count(*)::int as n from public.comment_votes where comment_id = ${c}`;
    expect(n!.n).toBe(21);
  });

  it('the third report hides the comment pending review; one report per person; moderators unhide', async () => {
    const c = await comment('author', component.pub, 'signalez-moi');
    const reporters = await Promise.all([0, 1, 2].map((i) => createUser(sql, `reporter${i}-${tag}`)));
    for (const [i, r] of reporters.entries()) {
      if (i === 1) {
        const again = await errorOf(sql, userClaims(reporters[0]!), (tx) => tx`insert into public.reports (resource_type, resource_id, reason) values ('comment', ${c}, 'spam')`);
        expect(again.code).toBe('23505');
      }
      await asUser(userClaims(r), (tx) => tx`insert into public.reports (resource_type, resource_id, reason) values ('comment', ${c}, ${['spam', 'offensive', 'does_not_belong'][i]!})`, sql);
      const [row] = await sql<{ hidden: boolean }[]>`select hidden_at is not null as hidden from public.comments where id = ${c}`;
      expect(row!.hidden, `after report ${i + 1}`).toBe(i === 2);
    }
    expect(await visibleTo('participant', [c])).toEqual([]);
    expect(await visibleTo('moderator', [c])).toEqual([c]);
    // Reports are seen by their author and moderators.
    const seen = await attempt(sql, claimsOf('moderator'), (tx) => tx`select 1 from public.reports where resource_type = 'comment' and resource_id = ${c}`);
    expect(seen.ok && seen.value.length).toBe(3);
    await asUser(claimsOf('moderator'), (tx) => tx`update public.comments set hidden_at = null where id = ${c}`, sql);
    // Each hide and unhide is recorded (core moderation_decisions): the reports hid it, a moderator unhid it.
    const decisions = await sql<{ hidden: boolean; by_someone: boolean }[]>`
      select hidden, actor_id is not null as by_someone from public.moderation_decisions
      where resource_type = 'comment' and resource_id = ${c} order by id`;
    expect(decisions).toEqual([{ hidden: true, by_someone: false }, { hidden: false, by_someone: true }]);
    expect(await visibleTo('participant', [c])).toEqual([c]);
  });
});

describe('mentions and broadcasts', () => {
  it('@nickname notifies the person mentioned (only them), never the author', async () => {
    const [p] = await sql<{ nickname: string }[]>`select nickname from public.profiles where id = ${users.member}`;
    const [me] = await sql<{ nickname: string }[]>`select nickname from public.profiles where id = ${users.author}`;
    const c = await comment('author', component.pub, `Merci @${p!.nickname} et @${me!.nickname}, voir mail@example.org`);
    await deliverNotifications(sql, space.pub);
    const rows = await sql<{ user_id: string; kind: string }[]>`select user_id, kind from public.notifications where data ->> 'comment_id' = ${c}`;
    expect(rows).toEqual([{ user_id: users.member, kind: 'comments.mention' }]);
    const own = await attempt(sql, claimsOf('member'), (tx) => tx`select 1 from public.notifications where data ->> 'comment_id' = ${c}`);
    expect(own.ok && own.value.length).toBe(1);
    const others = await attempt(sql, claimsOf('participant'), (tx) => tx`select 1 from public.notifications where data ->> 'comment_id' = ${c}`);
    expect(others.ok && others.value.length).toBe(0);
  });

  it('changes are broadcast on the resource topic, without the body; the topic is authorised for viewers only', async () => {
    const c = await comment('author', component.priv, 'secret de la commission');
    const topic = `comments:page:${component.priv}`;
    const msgs = await sql<{ payload: { comment_id: string; changes: string[] }; private: boolean }[]>`
      select payload, private from realtime.messages where topic = ${topic} and payload ->> 'comment_id' = ${c}`;
    expect(msgs.map((m) => [m.payload.changes, m.private])).toEqual([[['created'], true]]);
    expect(JSON.stringify(msgs)).not.toContain('secret');
    const canJoin = async (a: Actor, t: string) => {
      const r = await attempt(sql, claimsOf(a), async (tx) => {
        await tx`select set_config('realtime.topic', ${t}, true)`;
        return tx`select 1 from realtime.messages where topic = ${t} limit 1`;
      });
      if (!r.ok) throw r.error;
      return r.value.length > 0;
    };
    expect(await canJoin('member', topic)).toBe(true);
    expect(await canJoin('participant', topic)).toBe(false);
    expect(await canJoin('anon', topic)).toBe(false);
  });
});
