import { asUser, type Claims } from '../../lib/db/index.ts';
import { Refusal } from '../../lib/forms/db-errors.ts';
import { failure, notOk, type Result } from '../../lib/forms/index.ts';
import type { BallotProjectInput } from './budgets.ts';
import { budgetsWrite } from './write.server.ts';

/** Takes a project off the person's ballot (refused once the ballot is checked out). */
export async function removeProject(claims: Claims | null, input: BallotProjectInput): Promise<Result<{ budgetId: string; projectId: string }>> {
  if (!claims) return notOk(failure(401, 'error.unauthorized'));
  return budgetsWrite(() =>
    asUser(claims, async (tx) => {
      const [p] = await tx<{ budget_id: string }[]>`select budget_id from public.projects where id = ${input.project_id}`;
      if (!p) throw new Refusal(failure(404, 'error.not_found'));
      await tx`
        delete from public.ballot_lines l using public.ballots o
        where l.ballot_id = o.id and o.budget_id = ${p.budget_id} and o.user_id = (select auth.uid()) and l.project_id = ${input.project_id}`;
      return { budgetId: p.budget_id, projectId: input.project_id };
    }),
  );
}
