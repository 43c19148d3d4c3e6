import { asUser, type Claims } from '../../../lib/db/index.ts';
import { Refusal } from '../../../lib/forms/db-errors.ts';
import { failure, notOk, type Result } from '../../../lib/forms/index.ts';
import type { DeleteProjectInput } from '../budgets.ts';
import { budgetsWrite } from '../write.server.ts';

/** Deletes a project (RLS: the space's admins); the database refuses once people voted for it. */
export async function deleteProject(claims: Claims | null, input: DeleteProjectInput): Promise<Result<{ budgetId: string }>> {
  if (!claims) return notOk(failure(401, 'error.unauthorized'));
  return budgetsWrite(() =>
    asUser(claims, async (tx) => {
      const rows = await tx<{ budget_id: string }[]>`delete from public.projects where id = ${input.project_id} returning budget_id`;
      if (rows.length === 0) throw new Refusal(failure(403, 'error.forbidden'));
      return { budgetId: rows[0]!.budget_id };
    }),
  );
}
