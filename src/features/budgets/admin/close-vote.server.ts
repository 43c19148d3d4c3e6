import { asUser, jsonb, type Claims } from '../../../lib/db/index.ts';
import { Refusal } from '../../../lib/forms/db-errors.ts';
import { failure, notOk, type Result } from '../../../lib/forms/index.ts';
import type { CloseVoteInput, RequestTallyInput } from '../budgets.ts';
import { budgetsWrite } from '../write.server.ts';

/**
 * Closes the vote now: the active phase's `votes` becomes `finished` (RLS: the space's admins);
 * the database records the tally's request in the same transaction (the `budgets.tally` job does
 * it within the minute).
 */
export async function closeVote(claims: Claims | null, input: CloseVoteInput): Promise<Result<{ componentId: string }>> {
  if (!claims) return notOk(failure(401, 'error.unauthorized'));
  return budgetsWrite(() =>
    asUser(claims, async (tx) => {
      const [c] = await tx<{ phase_settings: Record<string, Record<string, unknown>>; phase_id: string | null }[]>`
        select c.phase_settings, (select p.id::text from public.phases p where p.space_id = c.space_id and p.active) as phase_id
        from public.components c where c.id = ${input.component_id} and c.feature = 'budgets' and private.budgets_admin(c.id)`;
      if (!c) throw new Refusal(failure(403, 'error.forbidden'));
      const key = c.phase_id ?? 'default';
      const next = { ...c.phase_settings, [key]: { ...(c.phase_settings[key] ?? {}), votes: 'finished' } };
      await tx`update public.components set phase_settings = ${jsonb(tx, next)} where id = ${input.component_id}`;
      return { componentId: input.component_id };
    }),
  );
}

/** Asks for the tally again (after a correction, or for an imported budget). */
export async function requestTally(claims: Claims | null, input: RequestTallyInput): Promise<Result<{ componentId: string }>> {
  if (!claims) return notOk(failure(401, 'error.unauthorized'));
  return budgetsWrite(() =>
    asUser(claims, async (tx) => {
      await tx`select public.budgets_request_tally(${input.component_id})`;
      return { componentId: input.component_id };
    }),
  );
}
