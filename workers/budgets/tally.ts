import { z } from 'zod';
import { asServiceRole, type Sql, type Tx } from '../../src/lib/db/index.ts';
import { tally, type TallyBallot, type TallyResult } from '../../src/features/budgets/tally.ts';
import { defineJob } from '../job.ts';

/**
 * `budgets.tally`: when a component's vote closes (its phase's `votes` becomes `finished`, by a
 * phase change or an admin's action) the database records a request in the same transaction;
 * this job tallies each budget of the requested components — votes and rank per project, and a
 * proposed selection within the envelope by the budget's method — and writes it for the admins
 * to confirm. Scheduled every minute (a request waits at most that long); `{ componentId }`
 * tallies one component now. One transaction per component: a crash leaves the request
 * pending, a second run recomputes the same thing, a confirmed tally is never overwritten.
 */

export interface BudgetTally {
  budgetId: string;
  result: TallyResult;
  saved: boolean;
}

/** The checked-out ballots of a budget, one row per ballot (its projects and points). */
export async function loadBallots(tx: Tx, budgetId: string): Promise<{ projects: { id: string; cost: number }[]; ballots: TallyBallot[] }> {
  const projectRows = await tx<{ id: string; cost: string }[]>`select id, cost::text from public.projects where budget_id = ${budgetId} order by id`;
  const projects = projectRows.map((p) => ({ id: p.id, cost: Number(p.cost) }));
  const index = new Map(projects.map((p, i) => [p.id, i]));
  const rows = await tx<{ projects: string[]; points: number[] }[]>`
    select array_agg(l.project_id) as projects, array_agg(l.points) as points
    from public.ballots b join public.ballot_lines l on l.ballot_id = b.id
    where b.budget_id = ${budgetId} and b.checked_out_at is not null
    group by b.id`;
  const ballots = rows.map((r) => ({ projects: r.projects.map((id) => index.get(id)!), points: r.points }));
  return { projects, ballots };
}

/** Tallies every budget of a component and writes the results (a confirmed tally stays as confirmed). */
export async function tallyComponent(db: Sql, componentId: string): Promise<BudgetTally[]> {
  return asServiceRole('budgets.tally', async (tx) => {
    const budgets = await tx<{ id: string; total_budget: string; selection_method: 'greedy' | 'equal_shares' }[]>`
      select id, total_budget::text, selection_method from public.budgets where component_id = ${componentId} order by weight, id`;
    const out: BudgetTally[] = [];
    for (const b of budgets) {
      const { projects, ballots } = await loadBallots(tx, b.id);
      const result = tally(b.selection_method, projects, ballots, Number(b.total_budget));
      const [row] = await tx<{ saved: boolean }[]>`
        select private.budgets_save_tally(${b.id}, ${result.method}, ${result.voters}, ${result.spent}, ${tx.json(result.details as never)},
          ${tx.json(result.projects.map((p) => ({
            project_id: p.id,
            votes: p.votes,
            score: p.score,
            rank: p.rank,
            proposed: p.proposed,
            paid_by: p.paidBy,
            payers: p.payers,
            average_payment: p.averagePayment === null ? null : Math.round(p.averagePayment * 100) / 100,
          })) as never)}) as saved`;
      out.push({ budgetId: b.id, result, saved: row?.saved ?? false });
    }
    await tx`update public.budget_tally_requests set done_at = now() where component_id = ${componentId} and done_at is null`;
    return out;
  }, db);
}

/** The components whose tally was asked for and not done yet. */
export async function pendingTallies(db: Sql): Promise<string[]> {
  const rows = await asServiceRole('budgets.tally', (tx) => tx<{ component_id: string }[]>`
    select component_id from public.budget_tally_requests where done_at is null order by requested_at limit 100`, db);
  return rows.map((r) => r.component_id);
}

export const tallyJob = defineJob({
  queue: 'budgets.tally',
  payload: z.object({ componentId: z.uuid().optional() }).strict().nullish(),
  schedule: { cron: '* * * * *' },
  queueOptions: { policy: 'stately', retryLimit: 3, retryDelay: 30, expireInSeconds: 15 * 60, deleteAfterSeconds: 24 * 3600 },
  async run(payload, { db, log }) {
    const components = payload?.componentId ? [payload.componentId] : await pendingTallies(db);
    const done: string[] = [];
    for (const c of components) {
      const results = await tallyComponent(db, c);
      done.push(c);
      log(`tallied ${results.length} budget(s) of ${c}: ${results.map((r) => `${r.result.voters} voters, ${r.result.projects.filter((p) => p.proposed).length} proposed${r.saved ? '' : ' (confirmed: kept)'}`).join('; ')}`);
    }
    return { tallied: done };
  },
});
