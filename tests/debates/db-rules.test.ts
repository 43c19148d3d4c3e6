import type postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asUser } from '../../src/lib/db/index.ts';
import { createUser, errorOf, userClaims } from '../db/fixtures.ts';
import { connectTestDb } from '../helpers/db.ts';
import { argue, countsOf, createDebate, createDebatesComponent, createUsers, grantRole, updatePhase, type DebatesFixture } from './fixtures.ts';

/*
 * The rules of debates, straight in the database as each person (asUser, as PostgREST would):
 * who opens what, the timed window and the closed state refusing arguments, positions single and
 * changeable, counts per side exact under concurrency, closing with conclusions (who and when),
 * reopening, the edit window, withdrawing, likes, follows, reports hiding at the third, versions.
 */

let sql: postgres.Sql;
let f: DebatesFixture;
let author: string;
let other: string;
let admin: string;
let moderator: string;

beforeAll(async () => {
  sql = connectTestDb();
  f = await createDebatesComponent(sql);
  [author, other, admin, moderator] = await Promise.all([
    createUser(sql, 'author'), createUser(sql, 'other'), createUser(sql, 'admin'), createUser(sql, 'moderator'),
  ]);
  await grantRole(sql, f, admin, 'admin');
  await grantRole(sql, f, moderator, 'moderator');
});
afterAll(() => sql.end());

const as = (user: string) => userClaims(user);
const minutes = (n: number) => new Date(Date.now() + n * 60_000);

describe('opening debates', () => {
  it('participants open debates where the phase allows it; official and timed ones are the space admins’', async () => {
    const id = await createDebate(sql, f, author);
    const [row] = await sql<{ author_id: string; official: boolean; space_id: string }[]>`select author_id, official, space_id from public.debates where id = ${id}`;
    expect(row).toEqual({ author_id: author, official: false, space_id: f.spaceId });
    // Its author follows it, and a first version is kept.
    expect(await sql`select 1 from public.follows where resource_type = 'debate' and resource_id = ${id} and user_id = ${author}`).toHaveLength(1);
    expect(await sql`select version from public.versions where resource_type = 'debate' and resource_id = ${id}`).toHaveLength(1);

    const official = await errorOf(sql, as(author), (tx) => tx`insert into public.debates (component_id, official, title, description)
      values (${f.componentId}, true, 'Un débat officiel', '<p>Une question officielle posée.</p>')`);
    expect(official.code).toBe('42501');
    const timed = await errorOf(sql, as(author), (tx) => tx`insert into public.debates (component_id, title, description, starts_at, ends_at)
      values (${f.componentId}, 'Un débat minuté', '<p>Une question posée à heure fixe.</p>', now(), now() + interval '1 hour')`);
    expect(timed.constraint_name).toBe('debates_timed_official');
    const byAdmin = await createDebate(sql, f, admin, { official: true, startsAt: minutes(-5), endsAt: minutes(60) });
    const [o] = await sql<{ author_id: string | null; official: boolean }[]>`select author_id, official from public.debates where id = ${byAdmin}`;
    expect(o).toEqual({ author_id: null, official: true });
    const window = await errorOf(sql, as(admin), (tx) => tx`insert into public.debates (component_id, official, title, description, starts_at, ends_at)
      values (${f.componentId}, true, 'Un débat à l’envers', '<p>Une question posée à l’envers.</p>', now(), now() - interval '1 hour')`);
    expect(window.constraint_name).toBe('debates_window');
    const short = await errorOf(sql, as(author), (tx) => tx`insert into public.debates (component_id, title, description)
      values (${f.componentId}, 'Un débat vide', '<p>Court</p>')`);
    expect(short.constraint_name).toBe('debates_description_length');
  });

  it('creation closed in the phase: participants are refused, admins still open official debates', async () => {
    const g = await createDebatesComponent(sql, { phase: { creation_enabled: false } });
    await grantRole(sql, g, admin, 'admin');
    expect((await errorOf(sql, as(author), (tx) => tx`insert into public.debates (component_id, title, description)
      values (${g.componentId}, 'Un débat refusé', '<p>Une question posée trop tard.</p>')`)).code).toBe('42501');
    await createDebate(sql, g, admin, { official: true });
  });

  it('counters, closing and moderation are not the writer’s to choose', async () => {
    const [row] = await asUser(as(author), (tx) => tx<{ id: string }[]>`
      insert into public.debates (component_id, title, description) values (${f.componentId}, 'Un débat honnête', '<p>Une question posée honnêtement.</p>')
      returning id`, sql);
    const refused = await errorOf(sql, as(author), (tx) => tx`update public.debates set likes_count = 99 where id = ${row!.id}`);
    expect(refused.code).toBe('42501');
    expect((await errorOf(sql, as(author), (tx) => tx`update public.debates set instructions = ${tx.json({ fr: '<p>x</p>' })} where id = ${row!.id}`)).code).toBe('42501');
  });
});

describe('arguments', () => {
  it('open debates take arguments; counts per side, the latest argument and activity follow', async () => {
    const id = await createDebate(sql, f, author);
    await argue(sql, other, id, 1);
    await argue(sql, other, id, -1);
    const neutral = await argue(sql, author, id, 0);
    const reply = await argue(sql, author, id, 0, 'Une réponse.', neutral);
    const c = await countsOf(sql, id);
    expect([c.arguments_for, c.arguments_against, c.arguments_neutral, c.comments_count]).toEqual([1, 1, 1, 4]);
    expect(c.last_argument_at).not.toBeNull();
    // Deleted and hidden arguments leave the counts; a reply never counted.
    await asUser(as(author), (tx) => tx`update public.comments set deleted_at = now() where id = ${neutral}`, sql);
    await asUser(as(author), (tx) => tx`update public.comments set deleted_at = now() where id = ${reply}`, sql);
    expect((await countsOf(sql, id)).arguments_neutral).toBe(0);
  });

  it('a closed debate refuses arguments, replies and edits, not deletions', async () => {
    const id = await createDebate(sql, f, author);
    const mine = await argue(sql, other, id, 1);
    await asUser(as(author), (tx) => tx`update public.debates set closed_at = now(), conclusions = '<p>Nous avons conclu ceci.</p>' where id = ${id}`, sql);
    const e = await errorOf(sql, as(other), (tx) => tx`insert into public.comments (resource_type, resource_id, component_id, alignment, body)
      values ('debate', ${id}, ${f.componentId}, -1, 'Trop tard')`);
    expect(e.constraint_name).toBe('debates_closed');
    const reply = await errorOf(sql, as(author), (tx) => tx`insert into public.comments (resource_type, resource_id, component_id, parent_id, body)
      values ('debate', ${id}, ${f.componentId}, ${mine}, 'Réponse tardive')`);
    expect(reply.constraint_name).toBe('debates_closed');
    expect((await errorOf(sql, as(other), (tx) => tx`update public.comments set body = 'Changé' where id = ${mine}`)).constraint_name).toBe('debates_closed');
    expect((await errorOf(sql, as(other), (tx) => tx`update public.comments set alignment = -1 where id = ${mine}`)).constraint_name).toBe('debates_closed');
    await asUser(as(other), (tx) => tx`update public.comments set deleted_at = now() where id = ${mine}`, sql);
    // Still readable by everyone.
    expect(await asUser(null, (tx) => tx`select id from public.debates where id = ${id}`, sql)).toHaveLength(1);
  });

  it('a timed debate takes arguments only between its start and its end, in the database’s clock', async () => {
    const upcoming = await createDebate(sql, f, admin, { official: true, startsAt: minutes(30), endsAt: minutes(90) });
    const ended = await createDebate(sql, f, admin, { official: true, startsAt: minutes(-90), endsAt: minutes(-30) });
    const live = await createDebate(sql, f, admin, { official: true, startsAt: minutes(-30), endsAt: minutes(30) });
    const post = (id: string) => (tx: postgres.TransactionSql) => tx`insert into public.comments (resource_type, resource_id, component_id, alignment, body)
      values ('debate', ${id}, ${f.componentId}, 1, 'Mon argument')`;
    expect((await errorOf(sql, as(other), post(upcoming))).constraint_name).toBe('debates_not_started');
    expect((await errorOf(sql, as(other), post(ended))).constraint_name).toBe('debates_ended');
    await argue(sql, other, live, 1);
    expect((await countsOf(sql, live)).arguments_for).toBe(1);
    // Positions too.
    expect((await errorOf(sql, as(other), (tx) => tx`insert into public.debate_positions (debate_id, alignment) values (${ended}, 1)`)).constraint_name)
      .toBe('debates_ended');
  });

  it('a withdrawn debate takes no argument; the comments feature’s own rules still hold', async () => {
    const id = await createDebate(sql, f, author);
    await asUser(as(author), (tx) => tx`update public.debates set withdrawn_at = now() where id = ${id}`, sql);
    expect((await errorOf(sql, as(other), (tx) => tx`insert into public.comments (resource_type, resource_id, component_id, alignment, body)
      values ('debate', ${id}, ${f.componentId}, 1, 'Encore')`)).constraint_name).toBe('debates_withdrawn');
    const open = await createDebate(sql, f, author);
    await updatePhase(sql, f, { comments_blocked: true });
    try {
      const blocked = await errorOf(sql, as(other), (tx) => tx`insert into public.comments (resource_type, resource_id, component_id, alignment, body)
        values ('debate', ${open}, ${f.componentId}, 1, 'Bloqué')`);
      expect(blocked.code).toBe('42501');
    } finally {
      await updatePhase(sql, f, { comments_blocked: false });
    }
  });

  it('30 people arguing at once are counted exactly', async () => {
    const id = await createDebate(sql, f, author);
    const people = await createUsers(sql, 30, 'arguer');
    await Promise.all(people.map((p, i) => argue(sql, p, id, [1, -1, 0][i % 3]!)));
    const c = await countsOf(sql, id);
    expect([c.arguments_for, c.arguments_against, c.arguments_neutral, c.comments_count]).toEqual([10, 10, 10, 30]);
    expect([c.positions_for, c.positions_against, c.positions_neutral]).toEqual([10, 10, 0]);
  });
});

describe('positions: one per person, changeable', () => {
  it('an argument for or against is its author’s side; a later one on the other side changes it, still one row', async () => {
    const id = await createDebate(sql, f, author);
    await argue(sql, other, id, 1);
    await argue(sql, other, id, 1);
    let c = await countsOf(sql, id);
    expect([c.positions_for, c.positions_against]).toEqual([1, 0]);
    await argue(sql, other, id, -1);
    c = await countsOf(sql, id);
    expect([c.positions_for, c.positions_against]).toEqual([0, 1]);
    const rows = await asUser(as(other), (tx) => tx<{ alignment: number }[]>`select alignment from public.debate_positions where debate_id = ${id}`, sql);
    expect(rows).toEqual([{ alignment: -1 }]);
    // Neutral arguments say nothing of a side.
    await argue(sql, other, id, 0);
    expect((await countsOf(sql, id)).positions_against).toBe(1);
  });

  it('taken and changed directly, never twice; others’ positions are not readable', async () => {
    const id = await createDebate(sql, f, author);
    await asUser(as(other), (tx) => tx`insert into public.debate_positions (debate_id, alignment) values (${id}, 0)`, sql);
    const twice = await errorOf(sql, as(other), (tx) => tx`insert into public.debate_positions (debate_id, alignment) values (${id}, 1)`);
    expect(twice.constraint_name).toBe('debate_positions_pkey');
    await asUser(as(other), (tx) => tx`update public.debate_positions set alignment = 1 where debate_id = ${id}`, sql);
    const c = await countsOf(sql, id);
    expect([c.positions_for, c.positions_against, c.positions_neutral]).toEqual([1, 0, 0]);
    expect(await asUser(as(author), (tx) => tx`select 1 from public.debate_positions where debate_id = ${id}`, sql)).toHaveLength(0);
    expect((await errorOf(sql, as(other), (tx) => tx`update public.debate_positions set user_id = ${author} where debate_id = ${id}`)).code).toBe('42501');
    expect((await errorOf(sql, as(other), (tx) => tx`update public.debate_positions set alignment = 2 where debate_id = ${id}`)).constraint_name)
      .toBe('debate_positions_alignment');
    await asUser(as(other), (tx) => tx`delete from public.debate_positions where debate_id = ${id}`, sql);
    expect((await countsOf(sql, id)).positions_for).toBe(0);
  });

  it('one person changing sides from many tabs at once ends with one position, counts exact', async () => {
    const id = await createDebate(sql, f, author);
    const sides = Array.from({ length: 12 }, (_, i) => [1, -1, 0][i % 3]!);
    await Promise.all(sides.map((a) => asUser(as(other), (tx) => tx`
      insert into public.debate_positions (debate_id, alignment) values (${id}, ${a})
      on conflict (debate_id, user_id) do update set alignment = excluded.alignment`, sql)));
    const [one] = await sql<{ n: number; alignment: number }[]>`
      select count(*)::int as n, max(alignment) as alignment from public.debate_positions where debate_id = ${id}`;
    expect(one!.n).toBe(1);
    const c = await countsOf(sql, id);
    expect(c.positions_for + c.positions_against + c.positions_neutral).toBe(1);
    expect([c.positions_for, c.positions_neutral, c.positions_against][[1, 0, -1].indexOf(one!.alignment)]).toBe(1);
  });
});

describe('closing and reopening', () => {
  it('the author closes their debate with conclusions, recorded with who and when; others cannot', async () => {
    const id = await createDebate(sql, f, author);
    expect((await asUser(as(other), (tx) => tx`update public.debates set closed_at = now(), conclusions = '<p>Conclusions volées.</p>' where id = ${id}`, sql)).count).toBe(0);
    const noText = await errorOf(sql, as(author), (tx) => tx`update public.debates set closed_at = now(), conclusions = '' where id = ${id}`);
    expect(noText.constraint_name).toBe('debates_conclusions_length');
    await asUser(as(author), (tx) => tx`update public.debates set closed_at = '2000-01-01', conclusions = '<p>Voici nos conclusions.</p>' where id = ${id}`, sql);
    const [row] = await sql<{ closed_by: string; recent: boolean }[]>`
      select closed_by, closed_at > now() - interval '1 minute' as recent from public.debates where id = ${id}`;
    expect(row).toEqual({ closed_by: author, recent: true });
    const history = await asUser(null, (tx) => tx<{ closed: boolean; actor_id: string }[]>`select closed, actor_id from public.debate_closures where debate_id = ${id}`, sql);
    expect(history).toEqual([{ closed: true, actor_id: author }]);
    // The author cannot reopen; the organization does.
    expect((await errorOf(sql, as(author), (tx) => tx`update public.debates set closed_at = null where id = ${id}`)).code).toBe('42501');
    await asUser(as(admin), (tx) => tx`update public.debates set closed_at = null where id = ${id}`, sql);
    const [reopened] = await sql<{ closed_at: Date | null; conclusions: string }[]>`select closed_at, conclusions from public.debates where id = ${id}`;
    expect(reopened).toEqual({ closed_at: null, conclusions: '' });
    expect((await sql`select closed, actor_id from public.debate_closures where debate_id = ${id} order by id`).map((r) => [r.closed, r.actor_id]))
      .toEqual([[true, author], [false, admin]]);
    await argue(sql, other, id, 1);
  });

  it('the organization closes any debate, official or not; the author of an official debate is the organization', async () => {
    const id = await createDebate(sql, f, author);
    await asUser(as(admin), (tx) => tx`update public.debates set closed_at = now(), conclusions = '<p>Conclusions de la mairie.</p>' where id = ${id}`, sql);
    const official = await createDebate(sql, f, admin, { official: true });
    expect((await asUser(as(other), (tx) => tx`update public.debates set closed_at = now(), conclusions = '<p>Pas à moi de conclure.</p>' where id = ${official}`, sql)).count).toBe(0);
    // A moderator hides, but does not close.
    expect((await errorOf(sql, as(moderator), (tx) => tx`update public.debates set closed_at = now(), conclusions = '<p>Conclusions du modérateur.</p>' where id = ${official}`)).code).toBe('42501');
  });
});

describe('editing and withdrawing', () => {
  it('the author edits within the edit window, not after, not once closed; each change is a version', async () => {
    const id = await createDebate(sql, f, author);
    await asUser(as(author), (tx) => tx`update public.debates set title = 'Un titre corrigé' where id = ${id}`, sql);
    const versions = await asUser(null, (tx) => tx<{ version: number }[]>`select version from public.versions where resource_type = 'debate' and resource_id = ${id} order by version`, sql);
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    expect((await asUser(as(other), (tx) => tx`update public.debates set title = 'Un titre volé' where id = ${id}`, sql)).count).toBe(0);
    await sql`update public.debates set created_at = now() - interval '2 hours' where id = ${id}`;
    expect((await errorOf(sql, as(author), (tx) => tx`update public.debates set title = 'Trop tard pour ça' where id = ${id}`)).constraint_name).toBe('debates_edit_window');
  });

  it('the author withdraws for good; it stays readable', async () => {
    const id = await createDebate(sql, f, author);
    expect((await asUser(as(other), (tx) => tx`update public.debates set withdrawn_at = now() where id = ${id}`, sql)).count).toBe(0);
    await asUser(as(author), (tx) => tx`update public.debates set withdrawn_at = now() where id = ${id}`, sql);
    expect((await errorOf(sql, as(author), (tx) => tx`update public.debates set withdrawn_at = null where id = ${id}`)).constraint_name).toBe('debates_withdrawn');
    expect((await errorOf(sql, as(author), (tx) => tx`update public.debates set title = 'Retiré mais modifié' where id = ${id}`)).constraint_name).toBe('debates_withdrawn');
    expect(await asUser(null, (tx) => tx`select 1 from public.debates where id = ${id} and withdrawn_at is not null`, sql)).toHaveLength(1);
    // Not deleted by its author.
    expect((await asUser(as(author), (tx) => tx`delete from public.debates where id = ${id}`, sql)).count).toBe(0);
  });
});

describe('likes, follows, reports', () => {
  it('likes where the phase allows them, once each; not on a withdrawn debate', async () => {
    const id = await createDebate(sql, f, author);
    await asUser(as(other), (tx) => tx`insert into public.likes (resource_type, resource_id) values ('debate', ${id})`, sql);
    expect((await errorOf(sql, as(other), (tx) => tx`insert into public.likes (resource_type, resource_id) values ('debate', ${id})`)).constraint_name).toBe('likes_pkey');
    expect((await countsOf(sql, id)).likes_count).toBe(1);
    await asUser(as(author), (tx) => tx`update public.debates set withdrawn_at = now() where id = ${id}`, sql);
    expect((await errorOf(sql, as(author), (tx) => tx`insert into public.likes (resource_type, resource_id) values ('debate', ${id})`)).code).toBe('42501');
    const g = await createDebatesComponent(sql, { phase: { likes_enabled: false } });
    const closedLikes = await createDebate(sql, g, author);
    expect((await errorOf(sql, as(other), (tx) => tx`insert into public.likes (resource_type, resource_id) values ('debate', ${closedLikes})`)).code).toBe('42501');
  });

  it('follows are counted; a closed debate can still be followed', async () => {
    const id = await createDebate(sql, f, author);
    await asUser(as(author), (tx) => tx`update public.debates set closed_at = now(), conclusions = '<p>Fini pour de bon.</p>' where id = ${id}`, sql);
    await asUser(as(other), (tx) => tx`insert into public.follows (resource_type, resource_id) values ('debate', ${id})`, sql);
    expect((await countsOf(sql, id)).follows_count).toBe(2);
  });

  it('five reports at once hide it exactly once (late ones find it hidden); gone for others with its thread, kept for moderators', async () => {
    const id = await createDebate(sql, f, author);
    const comment = await argue(sql, other, id, 1);
    const reporters = await createUsers(sql, 5, 'reporter');
    const results = await Promise.allSettled(
      reporters.map((r) => asUser(as(r), (tx) => tx`insert into public.reports (resource_type, resource_id, reason) values ('debate', ${id}, 'spam')`, sql)),
    );
    // A report that starts once the third one has hidden the debate finds nothing its author may
    // see, and is refused (row-level security): how many depends on timing, never fewer than 3.
    const accepted = results.filter((r) => r.status === 'fulfilled').length;
    for (const r of results) if (r.status === 'rejected') expect(String(r.reason)).toMatch(/row-level security/);
    expect(accepted).toBeGreaterThanOrEqual(3);
    const c = await countsOf(sql, id);
    expect(c.reports_count).toBe(accepted);
    expect(c.hidden_at).not.toBeNull();
    const decisions = await sql`select actor_id from public.moderation_decisions where resource_type = 'debate' and resource_id = ${id}`;
    expect(decisions).toEqual([{ actor_id: null }]);
    expect(await asUser(null, (tx) => tx`select 1 from public.debates where id = ${id}`, sql)).toHaveLength(0);
    expect(await asUser(as(other), (tx) => tx`select 1 from public.comments where id = ${comment}`, sql)).toHaveLength(0);
    expect(await asUser(as(moderator), (tx) => tx`select 1 from public.debates where id = ${id}`, sql)).toHaveLength(1);
    // Arguments wait until a moderator shows it again.
    expect((await errorOf(sql, as(moderator), (tx) => tx`insert into public.comments (resource_type, resource_id, component_id, alignment, body)
      values ('debate', ${id}, ${f.componentId}, 1, 'Caché')`)).constraint_name).toBe('debates_hidden');
    await asUser(as(moderator), (tx) => tx`update public.debates set hidden_at = null where id = ${id}`, sql);
    expect(await asUser(null, (tx) => tx`select 1 from public.debates where id = ${id}`, sql)).toHaveLength(1);
  });
});

describe('components', () => {
  it('a debates component always has alignment in its comments, whatever its saved settings', async () => {
    await sql`update public.components set settings = ${sql.json({ comments_enabled: true, alignment_enabled: false })} where id = ${f.componentId}`;
    const [row] = await sql<{ on: boolean }[]>`select settings -> 'alignment_enabled' = 'true'::jsonb as on from public.components where id = ${f.componentId}`;
    expect(row!.on).toBe(true);
  });
});
