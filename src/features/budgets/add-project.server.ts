import { asUser, type Claims } from '../../lib/db/index.ts';
import { Refusal } from '../../lib/forms/db-errors.ts';
import { failure, notOk, type Result } from '../../lib/forms/index.ts';
import type { BallotProjectInput } from './budgets.ts';
import { budgetsWrite } from './write.server.ts';

/**
 * Adds a project to the person's ballot in its budget, starting the ballot on the first one.
 * The database checks everything (the vote open to them, the envelope, the workflow, their
 * verification) and tells every device of theirs.
 */
export async function addProject(claims: Claims | null, input: BallotProjectInput): Promise<Result<{ budgetId: string; projectId: string }>> {
  if (!claims) return notOk(failure(401, 'error.unauthorized'));
  return budgetsWrite(() =>
    asUser(claims, async (tx) => {
      const [p] = await tx<{ budget_id: string }[]>`select budget_id from public.projects where id = ${input.project_id}`;
      if (!p) throw new Refusal(failure(404, 'error.not_found'));
      await tx`insert into public.ballots (budget_id) values (${p.budget_id}) on conflict (budget_id, user_id) do nothing`;
      await tx`
        insert into public.ballot_lines (ballot_id, project_id)
        select o.id, ${input.project_id} from public.ballots o where o.budget_id = ${p.budget_id} and o.user_id = (select auth.uid())`;
      return { budgetId: p.budget_id, projectId: input.project_id };
    }),
  );
}
