import type { Claims } from '../../lib/db/index.ts';
import { Refusal } from '../../lib/forms/db-errors.ts';
import { failure, type Result } from '../../lib/forms/index.ts';
import type { EmendationIdInput } from './inputs.ts';
import { gateProposal, participate, type ProposalRef } from './participate.server.ts';

/** The authors of a rejected amendment make it a proposal of its own (`public.promote_amendment`). */
export async function promoteAmendment(claims: Claims | null, input: EmendationIdInput): Promise<Result<ProposalRef>> {
  return participate(claims, async (tx) => {
    const g = await gateProposal(tx, input.emendation_id, 'promote_amendment');
    if (!g.amends_id) throw new Refusal(failure(404, 'error.not_found'));
    if (!g.author) throw new Refusal(failure(403, 'error.forbidden'));
    const [row] = await tx<{ id: string }[]>`select public.promote_amendment(${input.emendation_id}::uuid) as id`;
    return { id: row!.id, componentId: g.component_id };
  });
}
