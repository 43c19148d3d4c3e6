import type { Claims } from '../../lib/db/index.ts';
import { Refusal } from '../../lib/forms/db-errors.ts';
import { failure, type Result } from '../../lib/forms/index.ts';
import type { ProposalIdInput } from './inputs.ts';
import { gateProposal, participate, type ProposalRef } from './participate.server.ts';

/** An author withdraws a published proposal: it stays readable, marked withdrawn, and takes no more supports. */
export async function withdrawProposal(claims: Claims | null, input: ProposalIdInput): Promise<Result<ProposalRef>> {
  return participate(claims, async (tx) => {
    const g = await gateProposal(tx, input.proposal_id, null);
    if (!g.author) throw new Refusal(failure(403, 'error.forbidden'));
    if (g.withdrawn) throw new Refusal(failure(422, 'proposals.error.withdrawn'));
    if (!g.published) throw new Refusal(failure(422, 'proposals.detail.error.draftWithdraw'));
    await tx`update public.proposals set withdrawn_at = now() where id = ${input.proposal_id}`;
    return { id: g.id, componentId: g.component_id };
  });
}
