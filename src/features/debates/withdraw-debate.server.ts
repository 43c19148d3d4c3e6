import type { Claims } from '../../lib/db/index.ts';
import { Refusal } from '../../lib/forms/db-errors.ts';
import { failure, type Result } from '../../lib/forms/index.ts';
import type { DebateIdInput } from './inputs.ts';
import { gateDebate, participate, type DebateRef } from './participate.server.ts';

/** The author withdraws their debate, for good: it stays readable, marked withdrawn, and takes no more arguments. */
export async function withdrawDebate(claims: Claims | null, input: DebateIdInput): Promise<Result<DebateRef>> {
  return participate(claims, async (tx) => {
    const g = await gateDebate(tx, input.debate_id);
    if (!g.author) throw new Refusal(failure(403, 'error.forbidden'));
    if (g.withdrawn) throw new Refusal(failure(422, 'debates.error.withdrawn'));
    if (g.closed) throw new Refusal(failure(422, 'debates.error.closed'));
    await tx`update public.debates set withdrawn_at = now() where id = ${input.debate_id}`;
    return { id: g.id, componentId: g.component_id };
  });
}
