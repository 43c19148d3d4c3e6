import type postgres from 'postgres';
import { asUser } from '../../src/lib/db/index.ts';
import { uniqueTag, userClaims } from '../db/fixtures.ts';
import { createComponentPlace, createUsers as createPeople, grantRole, updatePhase, updateSettings, type Json } from '../helpers/component-place.ts';

/*
 * Fixtures of the budgets tests: a published process with one active phase holding one budgets
 * component (its vote open by default), budgets, projects, people and their verifications.
 * Everything is created fresh per call: tests never depend on other tests' data nor the seed's.
 */

export type { Json };

export interface BudgetsFixture {
  spaceId: string;
  slug: string;
  phaseId: string;
  componentId: string;
}

/** A published process with one phase and a published budgets component, voting open. */
export async function createBudgetsComponent(
  sql: postgres.Sql,
  opts: { settings?: Json; phase?: Json; permissions?: Json; private?: boolean; published?: boolean } = {},
): Promise<BudgetsFixture> {
  return createComponentPlace(sql, {
    feature: 'budgets',
    name: { fr: 'Budgets', en: 'Budgets' },
    slugPrefix: 'bud',
    phaseTitle: { fr: 'Vote' },
    // The phase settings are keyed by the phase; budgets' tests do not need it active.
    activate: false,
    settings: { workflow: 'all', comments_enabled: true, ...(opts.settings ?? {}) },
    phase: { votes: 'enabled', ...(opts.phase ?? {}) },
    permissions: opts.permissions ?? {},
    ...(opts.private !== undefined ? { private: opts.private } : {}),
    ...(opts.published !== undefined ? { published: opts.published } : {}),
  });
}

export { grantRole, updatePhase, updateSettings };

export interface BudgetInput {
  total?: number;
  rule?: 'threshold_percent' | 'minimum_projects' | 'projects_range';
  thresholdPercent?: number;
  minimumProjects?: number;
  rangeMin?: number;
  rangeMax?: number;
  taxonomyId?: string | null;
  method?: 'greedy' | 'equal_shares';
}

/** A budget (as the table owner). Default: 1,000 €, spend at least 50 %. */
export async function createBudget(sql: postgres.Sql, f: BudgetsFixture, input: BudgetInput = {}): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    insert into public.budgets (component_id, title, total_budget, vote_rule, threshold_percent, minimum_projects, range_min, range_max,
                                taxonomy_id, selection_method)
    values (${f.componentId}, ${sql.json({ fr: `Budget ${uniqueTag()}` })}, ${input.total ?? 1000}, ${input.rule ?? 'threshold_percent'},
            ${input.thresholdPercent ?? 50}, ${input.minimumProjects ?? 1}, ${input.rangeMin ?? 1}, ${input.rangeMax ?? 5},
            ${input.taxonomyId ?? null}, ${input.method ?? 'greedy'})
    returning id`;
  return row!.id;
}

/** Projects of a budget with these costs (as the table owner), in order. */
export async function createProjects(sql: postgres.Sql, budgetId: string, costs: number[]): Promise<string[]> {
  const ids: string[] = [];
  for (const [i, cost] of costs.entries()) {
    const [row] = await sql<{ id: string }[]>`
      insert into public.projects (budget_id, title, cost, weight) values (${budgetId}, ${sql.json({ fr: `Projet ${i + 1}` })}, ${cost}, ${i})
      returning id`;
    ids.push(row!.id);
  }
  return ids;
}

/** `n` voters created as sign-up does. */
export const createUsers = (sql: postgres.Sql, n: number, label = 'voter'): Promise<string[]> => createPeople(sql, n, label);

/**
 * A verification held by `userId` (as the table owner, without the census's claim: no log, no
 * rate limit). A census one claims a fresh census line of that district.
 */
export async function verify(sql: postgres.Sql, userId: string, method: 'census' | 'direct' = 'direct', districtId: string | null = null): Promise<void> {
  await sql.begin(async (tx) => {
    let line: string | null = null;
    if (method === 'census') {
      const [row] = await tx<{ id: string }[]>`
        insert into public.census_lines (hash, district_id) values (extensions.gen_random_bytes(32), ${districtId}) returning id`;
      line = row!.id;
    }
    await tx`insert into public.verifications (user_id, method, district_id, census_line_id) values (${userId}, ${method}, ${districtId}, ${line})
             on conflict (user_id, method) do update set district_id = excluded.district_id`;
  });
}

/** A taxonomy (a district) with a random name. */
export async function createTaxonomy(sql: postgres.Sql, parentId: string | null = null): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    insert into public.taxonomies (parent_id, name) values (${parentId}, ${sql.json({ fr: `Quartier ${uniqueTag()}` })}) returning id`;
  return row!.id;
}

// --- The voter's writes, as the app makes them (RLS and triggers) ---------------------------

/** `userId` starts (or finds) their ballot in a budget and returns its id. */
export async function ballotOf(sql: postgres.Sql, userId: string, budgetId: string): Promise<string> {
  return asUser(userClaims(userId), async (tx) => {
    await tx`insert into public.ballots (budget_id) values (${budgetId}) on conflict (budget_id, user_id) do nothing`;
    const [row] = await tx<{ id: string }[]>`select id from public.ballots where budget_id = ${budgetId} and user_id = ${userId}`;
    return row!.id;
  }, sql);
}

/** `userId` adds a project to their ballot in its budget (starting the ballot if needed). */
export async function addProject(sql: postgres.Sql, userId: string, budgetId: string, projectId: string): Promise<void> {
  await asUser(userClaims(userId), async (tx) => {
    await tx`insert into public.ballots (budget_id) values (${budgetId}) on conflict (budget_id, user_id) do nothing`;
    await tx`insert into public.ballot_lines (ballot_id, project_id)
             select id, ${projectId} from public.ballots where budget_id = ${budgetId} and user_id = ${userId}`;
  }, sql);
}

export async function removeProject(sql: postgres.Sql, userId: string, budgetId: string, projectId: string): Promise<number> {
  return asUser(userClaims(userId), async (tx) => {
    const r = await tx`delete from public.ballot_lines l using public.ballots b
                       where l.ballot_id = b.id and b.budget_id = ${budgetId} and b.user_id = ${userId} and l.project_id = ${projectId}`;
    return r.count;
  }, sql);
}

/** `userId` checks out their ballot in a budget; the number of ballots checked out (0 or 1). */
export async function checkout(sql: postgres.Sql, userId: string, budgetId: string): Promise<number> {
  return asUser(userClaims(userId), async (tx) => {
    const r = await tx`update public.ballots set checked_out_at = now() where budget_id = ${budgetId} and user_id = ${userId}`;
    return r.count;
  }, sql);
}

/** The constraint a refused write names (or the SQLSTATE when it names none). */
export async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    const e = err as { constraint_name?: string; code?: string };
    return e.constraint_name ?? e.code ?? String(err);
  }
  throw new Error('expected a refusal, the write succeeded');
}

export async function ballotState(sql: postgres.Sql, userId: string, budgetId: string) {
  const [row] = await sql<{ total: string; lines_count: number; checked_out_at: Date | null }[]>`
    select total, lines_count, checked_out_at from public.ballots where budget_id = ${budgetId} and user_id = ${userId}`;
  return row ? { total: Number(row.total), lines: row.lines_count, checkedOut: row.checked_out_at !== null } : null;
}
