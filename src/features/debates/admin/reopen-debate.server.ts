import type { Claims } from '../../../lib/db/index.ts';
import { Refusal } from '../../../lib/forms/db-errors.ts';
import { failure, type Result } from '../../../lib/forms/index.ts';
import type { DebateIdInput } from '../inputs.ts';
import { gateDebate, participate, type DebateRef } from '../participate.server.ts';

/** The organization reopens a closed debate (the closing stays in its history). */
export async function reopenDebate(claims: Claims | null, input: DebateIdInput): Promise<Result<DebateRef>> {
  return participate(claims, async (tx) => {
    const g = await gateDebate(tx, input.debate_id);
    if (!g.admin) throw new Refusal(failure(403, 'error.forbidden'));
    if (!g.closed) throw new Refusal(failure(422, 'debates.error.notClosed'));
    await tx`update public.debates set closed_at = null where id = ${input.debate_id}`;
    return { id: g.id, componentId: g.component_id };
  });
}
