import { asUser, type Claims } from '../../../lib/db/index.ts';
import { Refusal } from '../../../lib/forms/db-errors.ts';
import { failure, notOk, type Result } from '../../../lib/forms/index.ts';
import type { DeleteBudgetInput } from '../budgets.ts';
import { budgetsWrite } from '../write.server.ts';

/** Deletes a budget with its projects and ballots (RLS: the space's admins; confirmed first). */
export async function deleteBudget(claims: Claims | null, input: DeleteBudgetInput): Promise<Result<{ componentId: string }>> {
  if (!claims) return notOk(failure(401, 'error.unauthorized'));
  return budgetsWrite(() =>
    asUser(claims, async (tx) => {
      const rows = await tx<{ component_id: string }[]>`delete from public.budgets where id = ${input.budget_id} returning component_id`;
      if (rows.length === 0) throw new Refusal(failure(403, 'error.forbidden'));
      return { componentId: rows[0]!.component_id };
    }),
  );
}
