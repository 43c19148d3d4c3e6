import { z } from 'zod';
import { asServiceRole, type Sql, type Tx } from '../../src/lib/db/index.ts';
import { tally, type TallyResult, type TallySupport } from '../../src/features/budgets/tally.ts';
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

/**
 * A budget's checked-out ballots, one row per project: its votes and points, and for Equal Shares
 * its supporters (the ballots numbered 0…n-1, as 4-byte integers in one bytea: 400,000 votes
 * cross the wire and are read in a fraction of what a row per ballot costs). Greedy needs the
 * counts only.
 */
export async function loadSupport(tx: Tx, budgetId: string, withSupporters: boolean): Promise<{ projects: { id: string; cost: number }[]; support: TallySupport }> {
  const projectRows = await tx<{ id: string; cost: string }[]>`select id, cost::text from public.projects where budget_id = ${budgetId} order by id`;
  const projects = projectRows.map((p) => ({ id: p.id, cost: Number(p.cost) }));
  const index = new Map(projects.map((p, i) => [p.id, i]));
  const votes = new Array<number>(projects.length).fill(0);
  const scores = new Array<number>(projects.length).fill(0);
  const [{ n } = { n: 0 }] = await tx<{ n: number }[]>`
    select count(*)::int as n from public.ballots where budget_id = ${budgetId} and checked_out_at is not null`;
  if (!withSupporters) {
    const rows = await tx<{ project_id: string; votes: number; score: string }[]>`
      select l.project_id, count(*)::int as votes, sum(l.points)::text as score
      from public.ballots b join public.ballot_lines l on l.ballot_id = b.id
      where b.budget_id = ${budgetId} and b.checked_out_at is not null
      group by l.project_id`;
    for (const r of rows) {
      const j = index.get(r.project_id);
      if (j === undefined) continue;
      votes[j] = r.votes;
      scores[j] = Number(r.score);
    }
    return { projects, support: { voters: n, votes, scores } };
  }
  const rows = await tx<{ project_id: string; voters: Buffer; score: string }[]>`
    with v as (
      select b.id, (row_number() over ())::int - 1 as n
      from public.ballots b where b.budget_id = ${budgetId} and b.checked_out_at is not null
    )
    select l.project_id, string_agg(int4send(v.n), ''::bytea) as voters, sum(l.points)::text as score
    from v join public.ballot_lines l on l.ballot_id = v.id
    group by l.project_id`;
  const supporters = projects.map(() => new Int32Array(0));
  for (const r of rows) {
    const j = index.get(r.project_id);
    if (j === undefined) continue;
    const view = new DataView(r.voters.buffer, r.voters.byteOffset, r.voters.byteLength);
    const list = new Int32Array(r.voters.byteLength / 4);
    for (let k = 0; k < list.length; k++) list[k] = view.getInt32(k * 4);
    supporters[j] = list;
    votes[j] = list.length;
    scores[j] = Number(r.score);
  }
  return { projects, support: { voters: n, votes, scores, supporters } };
}

/** Tallies every budget of a component and writes the results (a confirmed tally stays as confirmed). */
export async function tallyComponent(db: Sql, componentId: string): Promise<BudgetTally[]> {
  return asServiceRole('budgets.tally', async (tx) => {
    const budgets = await tx<{ id: string; total_budget: string; selection_method: 'greedy' | 'equal_shares' }[]>`
      select id, total_budget::text, selection_method from public.budgets where component_id = ${componentId} order by weight, id`;
    const out: BudgetTally[] = [];
    // The aggregation of a large vote sorts and hashes in memory rather than on disk.
    await tx`set local work_mem = '64MB'`;
    for (const b of budgets) {
      const { projects, support } = await loadSupport(tx, b.id, b.selection_method === 'equal_shares');
      const result = tally(b.selection_method, projects, support, Number(b.total_budget));
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
