import type { Claims } from '../../lib/db/index.ts';
import { Refusal } from '../../lib/forms/db-errors.ts';
import { failure, type Result } from '../../lib/forms/index.ts';
import type { CloseDebateInput } from './inputs.ts';
import { gateDebate, participate, type DebateRef } from './participate.server.ts';

/**
 * Closes a debate with conclusions (its author for a participant debate, the space's admins for
 * any), or edits the conclusions of a closed one; the database records who and when.
 */
export async function closeDebate(claims: Claims | null, input: CloseDebateInput): Promise<Result<DebateRef>> {
  return participate(claims, async (tx) => {
    const g = await gateDebate(tx, input.debate_id);
    if (!g.author && !g.admin) throw new Refusal(failure(403, 'error.forbidden'));
    if (g.withdrawn) throw new Refusal(failure(422, 'debates.error.withdrawn'));
    await tx`update public.debates set closed_at = now(), conclusions = ${input.conclusions} where id = ${input.debate_id}`;
    return { id: g.id, componentId: g.component_id };
  });
}
