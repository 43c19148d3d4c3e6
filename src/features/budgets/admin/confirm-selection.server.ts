import { asUser, type Claims } from '../../../lib/db/index.ts';
import { failure, notOk, type Result } from '../../../lib/forms/index.ts';
import type { ConfirmSelectionInput, UnconfirmSelectionInput } from '../budgets.ts';
import { budgetsWrite } from '../write.server.ts';

/** Confirms the winners of a tallied budget and publishes its results (the database's function: the space's admins). */
export async function confirmSelection(claims: Claims | null, input: ConfirmSelectionInput): Promise<Result<{ budgetId: string }>> {
  if (!claims) return notOk(failure(401, 'error.unauthorized'));
  return budgetsWrite(() =>
    asUser(claims, async (tx) => {
      await tx`select public.budgets_confirm_selection(${input.budget_id}, ${input.selected}::uuid[])`;
      return { budgetId: input.budget_id };
    }),
  );
}

/** Withdraws a confirmation: the results are hidden again and may be tallied anew. */
export async function unconfirmSelection(claims: Claims | null, input: UnconfirmSelectionInput): Promise<Result<{ budgetId: string }>> {
  if (!claims) return notOk(failure(401, 'error.unauthorized'));
  return budgetsWrite(() =>
    asUser(claims, async (tx) => {
      await tx`select public.budgets_unconfirm_selection(${input.budget_id})`;
      return { budgetId: input.budget_id };
    }),
  );
}
