import type { Claims } from '../../../lib/db/index.ts';
import { Refusal } from '../../../lib/forms/db-errors.ts';
import { failure, type Result } from '../../../lib/forms/index.ts';
import type { HideDebateInput } from '../inputs.ts';
import { gateDebate, participate, type DebateRef } from '../participate.server.ts';

/** A moderator hides a debate pending review, or shows it again (every decision is recorded by the core). */
export async function hideDebate(claims: Claims | null, input: HideDebateInput): Promise<Result<DebateRef>> {
  return participate(claims, async (tx) => {
    const g = await gateDebate(tx, input.debate_id);
    if (!g.moderator) throw new Refusal(failure(403, 'error.forbidden'));
    await tx`update public.debates set hidden_at = ${input.hidden ? new Date() : null} where id = ${input.debate_id}`;
    return { id: g.id, componentId: g.component_id };
  });
}
