import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { asUser } from '../../src/lib/db/index.ts';
import { userClaims } from '../db/fixtures.ts';
import { connectTestDb } from '../helpers/db.ts';
import {
  addProject,
  ballotOf,
  ballotState,
  checkout,
  createBudget,
  createBudgetsComponent,
  createProjects,
  createTaxonomy,
  createUsers,
  refusal,
  removeProject,
  updatePhase,
  updateSettings,
  verify,
} from './fixtures.ts';

/*
 * Every rule of the vote, in the database, as a person writes through the API (RLS and the
 * triggers): the envelope, the rule at checkout, no change after checkout, the phase's `votes`,
 * verification, the three workflows. Each refusal names its constraint (the forms translate it).
 */

let sql: postgres.Sql;
beforeAll(() => {
  sql = connectTestDb();
});
afterAll(async () => {
  await sql.end();
});

describe('the envelope', () => {
  it('is never exceeded; adding a project twice adds it once', async () => {
    const f = await createBudgetsComponent(sql);
    const budget = await createBudget(sql, f, { total: 1000 });
    const [a, b, c] = await createProjects(sql, budget, [400, 500, 300]);
    const [voter] = await createUsers(sql, 1);
    await addProject(sql, voter!, budget, a!);
    await addProject(sql, voter!, budget, b!);
    await addProject(sql, voter!, budget, a!);
    expect(await ballotState(sql, voter!, budget)).toEqual({ total: 900, lines: 2, checkedOut: false });
    expect(await refusal(addProject(sql, voter!, budget, c!))).toBe('budgets_envelope_exceeded');
    expect(await ballotState(sql, voter!, budget)).toMatchObject({ total: 900, lines: 2 });
    // Removing one frees its cost.
    expect(await removeProject(sql, voter!, budget, b!)).toBe(1);
    await addProject(sql, voter!, budget, c!);
    expect(await ballotState(sql, voter!, budget)).toMatchObject({ total: 700, lines: 2 });
  });

  it('holds for a multi-row insert (each row checked against the previous one)', async () => {
    const f = await createBudgetsComponent(sql);
    const budget = await createBudget(sql, f, { total: 1000 });
    const projects = await createProjects(sql, budget, [400, 400, 400]);
    const [voter] = await createUsers(sql, 1);
    const ballot = await ballotOf(sql, voter!, budget);
    const err = await refusal(
      asUser(userClaims(voter!), (tx) => tx`insert into public.ballot_lines (ballot_id, project_id) select ${ballot}, unnest(${projects}::uuid[])`, sql),
    );
    expect(err).toBe('budgets_envelope_exceeded');
    expect(await ballotState(sql, voter!, budget)).toMatchObject({ total: 0, lines: 0 });
  });

  it('holds when two devices add at once (10 parallel adds of 300 € into 1,000 €: three land)', async () => {
    const f = await createBudgetsComponent(sql);
    const budget = await createBudget(sql, f, { total: 1000 });
    const projects = await createProjects(sql, budget, Array.from({ length: 10 }, () => 300));
    const [voter] = await createUsers(sql, 1);
    await ballotOf(sql, voter!, budget);
    const results = await Promise.allSettled(projects.map((p) => addProject(sql, voter!, budget, p)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    expect(await ballotState(sql, voter!, budget)).toEqual({ total: 900, lines: 3, checkedOut: false });
    const [lines] = await sql<{ n: number; total: string }[]>`
      select count(*)::int as n, sum(p.cost)::text as total from public.ballot_lines l join public.projects p on p.id = l.project_id
      join public.ballots b on b.id = l.ballot_id where b.budget_id = ${budget}`;
    expect(lines).toEqual({ n: 3, total: '900' });
  });

  it('refuses a project of another budget', async () => {
    const f = await createBudgetsComponent(sql);
    const budget = await createBudget(sql, f);
    const other = await createBudget(sql, f);
    const [p] = await createProjects(sql, other, [100]);
    const [voter] = await createUsers(sql, 1);
    const ballot = await ballotOf(sql, voter!, budget);
    expect(
      await refusal(asUser(userClaims(voter!), (tx) => tx`insert into public.ballot_lines (ballot_id, project_id) values (${ballot}, ${p!})`, sql)),
    ).toBe('budgets_project_budget');
  });
});

describe('the vote rules at checkout', () => {
  it('spend at least X % of the envelope', async () => {
    const f = await createBudgetsComponent(sql);
    const budget = await createBudget(sql, f, { total: 1000, rule: 'threshold_percent', thresholdPercent: 70 });
    const [a, b] = await createProjects(sql, budget, [600, 100]);
    const [voter] = await createUsers(sql, 1);
    // No ballot yet: nothing to check out.
    expect(await checkout(sql, voter!, budget)).toBe(0);
    await addProject(sql, voter!, budget, a!);
    expect(await refusal(checkout(sql, voter!, budget))).toBe('budgets_rule_not_met');
    await addProject(sql, voter!, budget, b!);
    expect(await checkout(sql, voter!, budget)).toBe(1);
    expect(await ballotState(sql, voter!, budget)).toEqual({ total: 700, lines: 2, checkedOut: true });
  });

  it('choose at least N projects, within the envelope', async () => {
    const f = await createBudgetsComponent(sql);
    const budget = await createBudget(sql, f, { total: 1000, rule: 'minimum_projects', minimumProjects: 3 });
    const [a, b, c, d] = await createProjects(sql, budget, [100, 100, 100, 801]);
    const [voter] = await createUsers(sql, 1);
    await addProject(sql, voter!, budget, a!);
    await addProject(sql, voter!, budget, b!);
    expect(await refusal(checkout(sql, voter!, budget))).toBe('budgets_rule_not_met');
    expect(await refusal(addProject(sql, voter!, budget, d!))).toBe('budgets_envelope_exceeded');
    await addProject(sql, voter!, budget, c!);
    expect(await checkout(sql, voter!, budget)).toBe(1);
  });

  it('choose between N and M projects, cost ignored', async () => {
    const f = await createBudgetsComponent(sql);
    const budget = await createBudget(sql, f, { total: 1000, rule: 'projects_range', rangeMin: 2, rangeMax: 3 });
    const [a, b, c, d] = await createProjects(sql, budget, [900, 900, 900, 900]);
    const [voter] = await createUsers(sql, 1);
    await addProject(sql, voter!, budget, a!);
    expect(await refusal(checkout(sql, voter!, budget))).toBe('budgets_rule_not_met');
    await addProject(sql, voter!, budget, b!);
    await addProject(sql, voter!, budget, c!);
    expect(await refusal(addProject(sql, voter!, budget, d!))).toBe('budgets_too_many_projects');
    expect(await checkout(sql, voter!, budget)).toBe(1);
    expect(await ballotState(sql, voter!, budget)).toMatchObject({ total: 2700, lines: 3, checkedOut: true });
  });

  it('the envelope and the rule stay as people voted once a ballot exists', async () => {
    const f = await createBudgetsComponent(sql);
    const budget = await createBudget(sql, f, { total: 1000 });
    const [a] = await createProjects(sql, budget, [600]);
    const [voter, admin] = await createUsers(sql, 2);
    await sql`insert into public.space_roles (space_id, user_id, role) values (${f.spaceId}, ${admin!}, 'admin')`;
    // Before any ballot the admin may change both.
    await asUser(userClaims(admin!), (tx) => tx`update public.budgets set total_budget = 1200 where id = ${budget}`, sql);
    await addProject(sql, voter!, budget, a!);
    expect(await refusal(asUser(userClaims(admin!), (tx) => tx`update public.budgets set total_budget = 500 where id = ${budget}`, sql))).toBe(
      'budgets_rules_locked',
    );
    expect(await refusal(asUser(userClaims(admin!), (tx) => tx`update public.budgets set vote_rule = 'projects_range' where id = ${budget}`, sql))).toBe(
      'budgets_rules_locked',
    );
    expect(await refusal(asUser(userClaims(admin!), (tx) => tx`update public.projects set cost = 2000 where id = ${a!}`, sql))).toBe(
      'projects_cost_locked',
    );
    // Its description stays editable.
    await asUser(userClaims(admin!), (tx) => tx`update public.budgets set description = ${tx.json({ fr: 'Texte' })} where id = ${budget}`, sql);
  });
});

describe('after checkout', () => {
  it('nothing changes: no project added or removed, no second checkout, no deletion', async () => {
    const f = await createBudgetsComponent(sql);
    const budget = await createBudget(sql, f, { total: 1000, thresholdPercent: 10 });
    const [a, b] = await createProjects(sql, budget, [200, 200]);
    const [voter] = await createUsers(sql, 1);
    await addProject(sql, voter!, budget, a!);
    expect(await checkout(sql, voter!, budget)).toBe(1);
    expect(await refusal(addProject(sql, voter!, budget, b!))).toBe('budgets_checked_out');
    expect(await refusal(removeProject(sql, voter!, budget, a!))).toBe('budgets_checked_out');
    expect(await refusal(checkout(sql, voter!, budget))).toBe('budgets_checked_out');
    expect(
      await refusal(asUser(userClaims(voter!), (tx) => tx`delete from public.ballots where budget_id = ${budget}`, sql)),
    ).toBe('budgets_checked_out');
    expect(
      await refusal(asUser(userClaims(voter!), (tx) => tx`update public.ballots set checked_out_at = null where budget_id = ${budget}`, sql)),
    ).toBe('budgets_checked_out');
    expect(await ballotState(sql, voter!, budget)).toEqual({ total: 200, lines: 1, checkedOut: true });
    const [count] = await sql<{ votes_count: number }[]>`select votes_count from public.projects where id = ${a!}`;
    expect(count?.votes_count).toBe(1);
  });

  it('the columns a voter may not choose are not theirs to write', async () => {
    const f = await createBudgetsComponent(sql);
    const budget = await createBudget(sql, f);
    const [voter] = await createUsers(sql, 1);
    await ballotOf(sql, voter!, budget);
    const denied = await refusal(asUser(userClaims(voter!), (tx) => tx`update public.ballots set total = 0 where budget_id = ${budget}`, sql));
    expect(denied).toBe('42501');
  });
});

describe('the phase decides', () => {
  it('votes only while `votes` is enabled (not disabled, not finished)', async () => {
    const f = await createBudgetsComponent(sql);
    const budget = await createBudget(sql, f, { thresholdPercent: 10 });
    const [a, b] = await createProjects(sql, budget, [200, 200]);
    const [voter] = await createUsers(sql, 1);
    await addProject(sql, voter!, budget, a!);
    for (const votes of ['disabled', 'finished', 'nonsense']) {
      await updatePhase(sql, f, { votes });
      expect(await refusal(addProject(sql, voter!, budget, b!)), votes).toBe('budgets_votes_closed');
      expect(await refusal(checkout(sql, voter!, budget)), votes).toBe('budgets_votes_closed');
    }
    await updatePhase(sql, f, { votes: 'enabled' });
    expect(await checkout(sql, voter!, budget)).toBe(1);
  });

  it('no vote in an unpublished component, nor for anonymous visitors', async () => {
    const f = await createBudgetsComponent(sql, { published: false });
    const budget = await createBudget(sql, f);
    const [voter] = await createUsers(sql, 1);
    expect(await refusal(ballotOf(sql, voter!, budget))).toBe('P0002');
    const open = await createBudgetsComponent(sql);
    const other = await createBudget(sql, open);
    expect(await refusal(asUser(null, (tx) => tx`insert into public.ballots (budget_id) values (${other})`, sql))).toBe('42501');
  });
});

describe('verification', () => {
  it('only verified people vote where the component requires it', async () => {
    const f = await createBudgetsComponent(sql, { permissions: { vote: ['census'] } });
    const budget = await createBudget(sql, f, { thresholdPercent: 10 });
    const [a] = await createProjects(sql, budget, [200]);
    const [unverified, direct, census] = await createUsers(sql, 3);
    await verify(sql, direct!, 'direct');
    await verify(sql, census!, 'census');
    expect(await refusal(addProject(sql, unverified!, budget, a!))).toBe('budgets_verification_required');
    // A direct grant is not what this component asks for.
    expect(await refusal(addProject(sql, direct!, budget, a!))).toBe('budgets_verification_required');
    await addProject(sql, census!, budget, a!);
    // A verification revoked during the vote stops the checkout.
    await sql`delete from public.verifications where user_id = ${census!}`;
    expect(await refusal(checkout(sql, census!, budget))).toBe('budgets_verification_required');
    await verify(sql, census!, 'census');
    expect(await checkout(sql, census!, budget)).toBe(1);
  });

  it('asks every feature’s policies through component_allows (a component without requirement allows all)', async () => {
    const f = await createBudgetsComponent(sql, { permissions: { vote: ['census', 'direct'] } });
    const open = await createBudgetsComponent(sql);
    const [person] = await createUsers(sql, 1);
    const allows = async (component: string) => {
      const [row] = await asUser(userClaims(person!), (tx) => tx<{ ok: boolean }[]>`select private.component_allows(${component}::uuid, 'vote') as ok`, sql);
      return row!.ok;
    };
    expect(await allows(f.componentId)).toBe(false);
    expect(await allows(open.componentId)).toBe(true);
    await verify(sql, person!, 'direct');
    expect(await allows(f.componentId)).toBe(true);
  });
});

describe('workflows', () => {
  it('`one`: one budget per person in the component; emptying a ballot frees them', async () => {
    const f = await createBudgetsComponent(sql, { settings: { workflow: 'one' } });
    const first = await createBudget(sql, f, { thresholdPercent: 10 });
    const second = await createBudget(sql, f, { thresholdPercent: 10 });
    const [a] = await createProjects(sql, first, [200]);
    const [b] = await createProjects(sql, second, [200]);
    const [voter] = await createUsers(sql, 1);
    await addProject(sql, voter!, first, a!);
    expect(await refusal(addProject(sql, voter!, second, b!))).toBe('budgets_one_budget');
    await removeProject(sql, voter!, first, a!);
    await addProject(sql, voter!, second, b!);
    expect(await checkout(sql, voter!, second)).toBe(1);
    expect(await refusal(addProject(sql, voter!, first, a!))).toBe('budgets_one_budget');
  });

  it('`one` under concurrency: first projects in two budgets at once, one lands', async () => {
    const f = await createBudgetsComponent(sql, { settings: { workflow: 'one' } });
    const budgets = [await createBudget(sql, f), await createBudget(sql, f), await createBudget(sql, f), await createBudget(sql, f)];
    const projects = await Promise.all(budgets.map(async (b) => (await createProjects(sql, b, [100]))[0]!));
    const [voter] = await createUsers(sql, 1);
    for (const b of budgets) await ballotOf(sql, voter!, b);
    const results = await Promise.allSettled(budgets.map((b, i) => addProject(sql, voter!, b, projects[i]!)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const [row] = await sql<{ n: number }[]>`select count(*)::int as n from public.ballots where user_id = ${voter!} and lines_count > 0`;
    expect(row?.n).toBe(1);
  });

  it('`all`: every budget', async () => {
    const f = await createBudgetsComponent(sql, { settings: { workflow: 'all' } });
    const [voter] = await createUsers(sql, 1);
    for (let i = 0; i < 3; i++) {
      const b = await createBudget(sql, f, { thresholdPercent: 10 });
      const [p] = await createProjects(sql, b, [500]);
      await addProject(sql, voter!, b, p!);
      expect(await checkout(sql, voter!, b)).toBe(1);
    }
  });

  it('`district`: the budgets of the voter’s verified district (and its sub-districts), and city-wide ones', async () => {
    const north = await createTaxonomy(sql);
    const northEast = await createTaxonomy(sql, north);
    const south = await createTaxonomy(sql);
    const f = await createBudgetsComponent(sql, { settings: { workflow: 'district' } });
    const northBudget = await createBudget(sql, f, { taxonomyId: north });
    const southBudget = await createBudget(sql, f, { taxonomyId: south });
    const city = await createBudget(sql, f);
    const [pn] = await createProjects(sql, northBudget, [100]);
    const [ps] = await createProjects(sql, southBudget, [100]);
    const [pc] = await createProjects(sql, city, [100]);
    const [resident, unverified] = await createUsers(sql, 2);
    await verify(sql, resident!, 'census', northEast);
    await addProject(sql, resident!, northBudget, pn!);
    expect(await refusal(addProject(sql, resident!, southBudget, ps!))).toBe('budgets_not_your_district');
    await addProject(sql, resident!, city, pc!);
    expect(await refusal(addProject(sql, unverified!, northBudget, pn!))).toBe('budgets_not_your_district');
    await addProject(sql, unverified!, city, pc!);
    await updateSettings(sql, f, { workflow: 'all' });
    await addProject(sql, resident!, southBudget, ps!);
  });
});

describe('ballots are their voter’s', () => {
  it('nobody adds to, checks out or reads another person’s ballot', async () => {
    const f = await createBudgetsComponent(sql);
    const budget = await createBudget(sql, f, { thresholdPercent: 10 });
    const [a] = await createProjects(sql, budget, [200]);
    const [voter, intruder] = await createUsers(sql, 2);
    const ballot = await ballotOf(sql, voter!, budget);
    await addProject(sql, voter!, budget, a!);
    expect(
      await refusal(asUser(userClaims(intruder!), (tx) => tx`insert into public.ballot_lines (ballot_id, project_id) values (${ballot}, ${a!})`, sql)),
    ).toBe('42501');
    const touched = await asUser(userClaims(intruder!), (tx) => tx`update public.ballots set checked_out_at = now() where id = ${ballot}`, sql);
    expect(touched.count).toBe(0);
    const seen = await asUser(userClaims(intruder!), (tx) => tx`select id from public.ballots where id = ${ballot}`, sql);
    expect(seen).toHaveLength(0);
    const lines = await asUser(userClaims(intruder!), (tx) => tx`select 1 from public.ballot_lines where ballot_id = ${ballot}`, sql);
    expect(lines).toHaveLength(0);
    expect(await ballotState(sql, voter!, budget)).toEqual({ total: 200, lines: 1, checkedOut: false });
  });
});

describe('under concurrency', () => {
  it('20 parallel checkouts by one person: exactly one succeeds, the counts move once', async () => {
    const f = await createBudgetsComponent(sql);
    const budget = await createBudget(sql, f, { thresholdPercent: 10 });
    const projects = await createProjects(sql, budget, [200, 300]);
    const [voter] = await createUsers(sql, 1);
    for (const p of projects) await addProject(sql, voter!, budget, p);
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => checkout(sql, voter!, budget)));
    const ok = results.filter((r) => r.status === 'fulfilled' && r.value === 1);
    expect(ok).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect((r.reason as { constraint_name?: string }).constraint_name).toBe('budgets_checked_out');
    const counts = await sql<{ votes_count: number }[]>`select votes_count from public.projects where budget_id = ${budget} order by id`;
    expect(counts.map((c) => c.votes_count)).toEqual([1, 1]);
  });

  it('1,000 voters checking out in parallel give exactly 1,000 ballots and exact counts', { timeout: 240_000 }, async () => {
    // A wider pool than the fixtures': the checkouts really run side by side.
    const many = postgres(inject('stack').databaseUrl, { max: 24, onnotice: () => {} });
    try {
      const f = await createBudgetsComponent(sql);
      const budget = await createBudget(sql, f, { total: 1000, thresholdPercent: 30 });
      const projects = await createProjects(sql, budget, [100, 200, 300, 400, 500]);
      const voters = await createUsers(sql, 1000, 'crowd');
      // Each voter picks projects (a fixed pattern by index) within the envelope, then checks out.
      const picks = (i: number) => [projects[i % 5]!, projects[(i + 2) % 5]!];
      await Promise.all(
        voters.map(async (v, i) => {
          for (const p of picks(i)) await addProject(many, v, budget, p);
        }),
      );
      const results = await Promise.allSettled(voters.map((v) => checkout(many, v, budget)));
      expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
      const [row] = await sql<{ n: number }[]>`select count(*)::int as n from public.ballots where budget_id = ${budget} and checked_out_at is not null`;
      expect(row?.n).toBe(1000);
      const counts = await sql<{ id: string; votes_count: number; actual: number }[]>`
        select p.id, p.votes_count, (select count(*)::int from public.ballot_lines l where l.project_id = p.id) as actual
        from public.projects p where p.budget_id = ${budget}`;
      for (const c of counts) expect(c.votes_count).toBe(c.actual);
      expect(counts.reduce((s, c) => s + c.votes_count, 0)).toBe(2000);
    } finally {
      await many.end();
    }
  });
});
