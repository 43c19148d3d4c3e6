import type { Claims } from '../../lib/db/index.ts';
import { Refusal } from '../../lib/forms/db-errors.ts';
import { failure, type Result } from '../../lib/forms/index.ts';
import type { ProposalIdInput } from './inputs.ts';
import { gateProposal, participate, type ProposalRef } from './participate.server.ts';

/** An author deletes a draft (a published proposal is withdrawn instead: the database says so). */
export async function deleteDraft(claims: Claims | null, input: ProposalIdInput): Promise<Result<ProposalRef>> {
  return participate(claims, async (tx) => {
    const g = await gateProposal(tx, input.proposal_id, null);
    if (!g.author) throw new Refusal(failure(403, 'error.forbidden'));
    if (g.published) throw new Refusal(failure(422, 'proposals.error.published'));
    await tx`delete from public.proposals where id = ${input.proposal_id}`;
    return { id: g.id, componentId: g.component_id, visible: false };
  });
}
