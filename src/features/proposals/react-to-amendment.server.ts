import type { Claims } from '../../lib/db/index.ts';
import { Refusal } from '../../lib/forms/db-errors.ts';
import { failure, type Result } from '../../lib/forms/index.ts';
import type { ReactToAmendmentInput } from './inputs.ts';
import { gateProposal, participate, type ProposalRef } from './participate.server.ts';

/**
 * The amended proposal's authors accept an amendment (its text becomes the proposal's, a new
 * version, and its authors co-authors) or reject it: `public.react_to_amendment` does it all.
 * Goes back to the amended proposal.
 */
export async function reactToAmendment(claims: Claims | null, input: ReactToAmendmentInput): Promise<Result<ProposalRef>> {
  return participate(claims, async (tx) => {
    const g = await gateProposal(tx, input.emendation_id, 'react_to_amendment');
    if (!g.amends_id) throw new Refusal(failure(404, 'error.not_found'));
    // Its authors withdrew it: there is nothing left to accept or reject.
    if (g.withdrawn) throw new Refusal(failure(422, 'proposals.error.withdrawn'));
    await tx`select public.react_to_amendment(${input.emendation_id}::uuid, ${input.accept})`;
    return { id: g.amends_id, componentId: g.component_id };
  });
}
