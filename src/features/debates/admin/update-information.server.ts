import type { Claims } from '../../../lib/db/index.ts';
import { jsonb } from '../../../lib/db/index.ts';
import { Refusal } from '../../../lib/forms/db-errors.ts';
import { failure, type Result } from '../../../lib/forms/index.ts';
import type { InformationUpdatesInput } from '../inputs.ts';
import { gateDebate, participate, type DebateRef } from '../participate.server.ts';

/** The organization's information updates on any debate of its spaces (participants' included). */
export async function updateInformation(claims: Claims | null, input: InformationUpdatesInput): Promise<Result<DebateRef>> {
  return participate(claims, async (tx) => {
    const g = await gateDebate(tx, input.debate_id);
    if (!g.admin) throw new Refusal(failure(403, 'error.forbidden'));
    await tx`update public.debates set information_updates = ${jsonb(tx, input.information_updates)} where id = ${input.debate_id}`;
    return { id: g.id, componentId: g.component_id };
  });
}
