import type postgres from 'postgres';
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonClient, forgeJwt } from '../auth/helpers.ts';
import { asUser } from '../../src/lib/db/index.ts';
import { attempt, outcomeOf, userClaims } from '../db/fixtures.ts';
import { connectTestDb } from '../helpers/db.ts';
import { subscribe, waitFor } from '../realtime/helpers.ts';
import { addProject, checkout, createBudget, createBudgetsComponent, createProjects, createUsers, grantRole, updatePhase, type BudgetsFixture } from './fixtures.ts';

/*
 * The budgets tables as each role sees them, straight in SQL as PostgREST would run it (column
 * privileges included), and the realtime topics as each one may join them: anon, a voter,
 * another citizen, a private space's member and a non-member, the space's moderator and admin,
 * an organization admin.
 */

let sql: postgres.Sql;
let pub: BudgetsFixture;
let priv: BudgetsFixture;
let budget: string;
let privBudget: string;
let projects: string[];
let voter: string, other: string, member: string, moderator: string, admin: string, orgAdmin: string;

beforeAll(async () => {
  sql = connectTestDb();
  [voter, other, member, moderator, admin, orgAdmin] = (await createUsers(sql, 6, 'rls')) as [string, string, string, string, string, string];
  await sql`insert into public.organization_admins (user_id) values (${orgAdmin})`;
  pub = await createBudgetsComponent(sql, { phase: { show_votes: false } });
  priv = await createBudgetsComponent(sql, { private: true });
  await sql`insert into public.space_members (space_id, user_id) values (${priv.spaceId}, ${member})`;
  await grantRole(sql, pub, moderator, 'moderator');
  await grantRole(sql, pub, admin, 'admin');
  budget = await createBudget(sql, pub, { total: 1000, thresholdPercent: 10 });
  privBudget = await createBudget(sql, priv);
  projects = await createProjects(sql, budget, [300, 300]);
  await createProjects(sql, privBudget, [100]);
  await addProject(sql, voter, budget, projects[0]!);
  await checkout(sql, voter, budget);
  await addProject(sql, other, budget, projects[1]!);
});

afterAll(async () => {
  await sql`delete from public.organization_admins where user_id = ${orgAdmin}`;
  await sql.end();
});

const who = () => ({ anon: null, voter, other, member, moderator, admin, orgAdmin });
const claimsOf = (id: string | null) => (id ? userClaims(id) : null);
const count = async (id: string | null, query: (tx: postgres.TransactionSql) => Promise<readonly unknown[]>) => {
  const r = await attempt(sql, claimsOf(id), query);
  return r.ok ? r.value.length : r.error.code;
};

describe('reading', () => {
  it('budgets and projects: whoever sees the component; a private space’s to its members', async () => {
    const expected = { anon: [1, 0], voter: [1, 0], other: [1, 0], member: [1, 1], moderator: [1, 0], admin: [1, 0], orgAdmin: [1, 1] };
    for (const [name, id] of Object.entries(who())) {
      const seen = [
        await count(id, (tx) => tx`select id from public.budgets where id = ${budget}`),
        await count(id, (tx) => tx`select id from public.budgets where id = ${privBudget}`),
      ];
      expect(seen, name).toEqual(expected[name as keyof typeof expected]);
    }
  });

  it('nobody selects the vote counts through the API, even the admins; the function shows them where the phase does', async () => {
    for (const [name, id] of Object.entries(who())) {
      const r = await attempt(sql, claimsOf(id), (tx) => tx`select votes_count from public.projects where budget_id = ${budget}`);
      expect(r.ok, name).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('42501');
      const star = await attempt(sql, claimsOf(id), (tx) => tx`select * from public.projects where budget_id = ${budget}`);
      expect(star.ok, `${name} select *`).toBe(false);
    }
    const votes = (id: string | null) => attempt(sql, claimsOf(id), (tx) => tx<{ votes: number }[]>`select votes from private.budgets_project_votes(${pub.componentId}::uuid)`);
    const hidden = await votes(other);
    expect(hidden.ok && hidden.value.length).toBe(0);
    const forAdmin = await votes(admin);
    expect(forAdmin.ok && forAdmin.value.map((v) => v.votes).sort()).toEqual([0, 1]);
    await updatePhase(sql, pub, { show_votes: true });
    const shown = await votes(null);
    expect(shown.ok && shown.value.length).toBe(2);
    await updatePhase(sql, pub, { show_votes: false });
  });

  it('a ballot and its lines are their voter’s alone: not the admins’, not anyone’s', async () => {
    const expected = { anon: [0, 0], voter: [1, 1], other: [1, 1], member: [0, 0], moderator: [0, 0], admin: [0, 0], orgAdmin: [0, 0] };
    for (const [name, id] of Object.entries(who())) {
      const ballots = await attempt(sql, claimsOf(id), (tx) => tx`select id from public.ballots where budget_id = ${budget}`);
      const lines = await attempt(sql, claimsOf(id), (tx) => tx`select l.project_id from public.ballot_lines l join public.ballots b on b.id = l.ballot_id where b.budget_id = ${budget}`);
      const n = (r: typeof ballots) => (r.ok ? r.value.length : 0);
      expect([n(ballots), n(lines)], name).toEqual(expected[name as keyof typeof expected]);
    }
  });

  it('the vote’s statistics: numbers, for the space’s admins only', async () => {
    for (const [name, id] of Object.entries(who())) {
      const r = await attempt(sql, claimsOf(id), (tx) => tx<{ in_progress: string; checked_out: string }[]>`select * from public.budgets_vote_stats(${pub.componentId})`);
      const rows = r.ok ? r.value : [];
      if (name === 'admin' || name === 'orgAdmin') {
        expect(rows.reduce((s, x) => s + Number(x.checked_out), 0), name).toBe(1);
        expect(rows.reduce((s, x) => s + Number(x.in_progress), 0), name).toBe(1);
      } else expect(rows, name).toEqual([]);
    }
  });

  it('a tally: its admins before confirmation, everyone who sees the component after; its ballots only then', async () => {
    const f = await createBudgetsComponent(sql);
    await grantRole(sql, f, admin, 'admin');
    const b = await createBudget(sql, f, { thresholdPercent: 10 });
    const [p] = (await createProjects(sql, b, [200])) as [string];
    await addProject(sql, voter, b, p);
    await checkout(sql, voter, b);
    await updatePhase(sql, f, { votes: 'finished' });
    await sql`select private.budgets_save_tally(${b}, 'greedy', 1, 200, '{}', ${sql.json([{ project_id: p, votes: 1, score: 1, rank: 1, proposed: true }])})`;
    const tallies = (id: string | null) => count(id, (tx) => tx`select budget_id from public.budget_tallies where budget_id = ${b}`);
    const ballots = (id: string | null) => count(id, (tx) => tx`select * from public.budgets_export_ballots(${b})`);
    expect([await tallies(null), await tallies(other), await tallies(admin)]).toEqual([0, 0, 1]);
    expect([await ballots(null), await ballots(voter), await ballots(admin)]).toEqual([0, 0, 1]);
    // Only the admins confirm.
    expect((await attempt(sql, userClaims(other), (tx) => tx`select public.budgets_confirm_selection(${b}, ${[p]}::uuid[])`)).ok).toBe(false);
    // (attempt() rolls back: the admin confirms for real.)
    await asUser(userClaims(admin), (tx) => tx`select public.budgets_confirm_selection(${b}, ${[p]}::uuid[])`, sql);
    expect([await tallies(null), await tallies(other)]).toEqual([1, 1]);
    expect(await ballots(null)).toBe(1);
    const [selected] = await sql<{ selected: boolean }[]>`select selected_at is not null as selected from public.projects where id = ${p}`;
    expect(selected?.selected).toBe(true);
  });
});

describe('writing', () => {
  it('budgets and projects: the space’s admins (and organization admins) only', async () => {
    for (const [name, id] of Object.entries(who())) {
      const mayAdmin = name === 'admin' || name === 'orgAdmin';
      const insert = await outcomeOf(sql, claimsOf(id), (tx) =>
        tx`insert into public.budgets (component_id, title, total_budget) values (${pub.componentId}, ${tx.json({ fr: 'B' })}, 100)`,
      );
      expect(insert, `${name} insert budget`).toBe(mayAdmin ? 'ok' : name === 'anon' ? 'denied' : 'refused');
      const update = await outcomeOf(sql, claimsOf(id), (tx) => tx`update public.projects set weight = 3 where id = ${projects[1]!}`);
      expect(update, `${name} update project`).toBe(mayAdmin ? 'ok' : name === 'anon' ? 'denied' : 'refused');
      const counts = await outcomeOf(sql, claimsOf(id), (tx) => tx`update public.projects set votes_count = 1000 where id = ${projects[1]!}`);
      expect(counts, `${name} votes_count`).toBe('denied');
    }
  });

  it('tally rows come from the job only', async () => {
    for (const [name, id] of Object.entries(who())) {
      const r = await outcomeOf(sql, claimsOf(id), (tx) =>
        tx`insert into public.budget_tallies (budget_id, component_id, method, voters, spent) values (${budget}, ${pub.componentId}, 'greedy', 0, 0)`,
      );
      expect(r, name).toBe('denied');
    }
  });
});

describe('realtime topics', () => {
  const clients: SupabaseClient[] = [];
  afterAll(async () => {
    for (const c of clients) await c.removeAllChannels();
  });
  const client = async (id: string | null) => {
    const c = anonClient();
    clients.push(c);
    if (id) await c.realtime.setAuth(forgeJwt({ role: 'authenticated', aud: 'authenticated', sub: id, exp: Math.floor(Date.now() / 1000) + 3600 }));
    return c;
  };

  it('a voter’s ballot channel is theirs alone, and follows them live', async () => {
    const f = await createBudgetsComponent(sql);
    const b = await createBudget(sql, f);
    const [p] = await createProjects(sql, b, [100]);
    const [person, stranger] = await createUsers(sql, 2, 'rt');
    const topic = `budgets:voter:${person!}`;
    const mine = (await client(person!)).channel(topic, { config: { private: true } });
    const received: unknown[] = [];
    mine.on('broadcast', { event: 'ballot' }, (m) => received.push(m.payload));
    expect((await subscribe(mine)).status).toBe('SUBSCRIBED');
    const theirs = (await client(stranger!)).channel(topic, { config: { private: true } });
    expect((await subscribe(theirs)).status).not.toBe('SUBSCRIBED');
    const anon = (await client(null)).channel(topic, { config: { private: true } });
    expect((await subscribe(anon)).status).not.toBe('SUBSCRIBED');
    await addProject(sql, person!, b, p!);
    const got = await waitFor(() => received[0] as { change: string; project_id: string; total: number } | undefined, 10_000, 'the ballot broadcast');
    expect(got).toMatchObject({ change: 'added', project_id: p, total: 100 });
  });

  it('the component’s counts channel says nothing while votes are hidden', async () => {
    const f = await createBudgetsComponent(sql, { phase: { show_votes: false } });
    const b = await createBudget(sql, f, { thresholdPercent: 10 });
    const [p] = await createProjects(sql, b, [100]);
    const [person] = await createUsers(sql, 1, 'rt');
    await addProject(sql, person!, b, p!);
    await checkout(sql, person!, b);
    const [n] = await sql<{ n: number }[]>`select count(*)::int as n from realtime.messages where topic = ${`budgets:${f.componentId}`}`;
    expect(n?.n).toBe(0);
    await updatePhase(sql, f, { show_votes: true });
    const [second] = await createUsers(sql, 1, 'rt');
    await addProject(sql, second!, b, p!);
    await checkout(sql, second!, b);
    const [m] = await sql<{ payload: { projects: { votes: number }[] } }[]>`
      select payload from realtime.messages where topic = ${`budgets:${f.componentId}`} order by inserted_at desc limit 1`;
    expect(m?.payload.projects[0]?.votes).toBe(2);
  });
});
