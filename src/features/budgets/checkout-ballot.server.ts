import { asUser, type Claims } from '../../lib/db/index.ts';
import { Refusal } from '../../lib/forms/db-errors.ts';
import { failure, notOk, type Result } from '../../lib/forms/index.ts';
import type { CheckoutInput } from './budgets.ts';
import { budgetsWrite } from './write.server.ts';

/**
 * Checks out the person's ballot (their vote, irrevocable): the database checks the rule is
 * met and the vote still open to them; a second checkout, from another tab, is refused.
 */
export async function checkoutBallot(claims: Claims | null, input: CheckoutInput): Promise<Result<{ budgetId: string }>> {
  if (!claims) return notOk(failure(401, 'error.unauthorized'));
  return budgetsWrite(() =>
    asUser(claims, async (tx) => {
      const rows = await tx`
        update public.ballots set checked_out_at = now() where budget_id = ${input.budget_id} and user_id = (select auth.uid())
        returning id`;
      if (rows.length === 0) throw new Refusal(failure(422, 'budgets.error.rule_not_met'));
      return { budgetId: input.budget_id };
    }),
  );
}
