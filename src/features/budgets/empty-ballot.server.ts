import { asUser, type Claims } from '../../lib/db/index.ts';
import { failure, notOk, type Result } from '../../lib/forms/index.ts';
import type { EmptyBallotInput } from './budgets.ts';
import { budgetsWrite } from './write.server.ts';

/** Empties the person's ballot in a budget (a ballot in progress only: a vote stays). */
export async function emptyBallot(claims: Claims | null, input: EmptyBallotInput): Promise<Result<{ budgetId: string }>> {
  if (!claims) return notOk(failure(401, 'error.unauthorized'));
  return budgetsWrite(() =>
    asUser(claims, async (tx) => {
      await tx`delete from public.ballots where budget_id = ${input.budget_id} and user_id = (select auth.uid())`;
      return { budgetId: input.budget_id };
    }),
  );
}
