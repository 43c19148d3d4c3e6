import type { Claims } from '../../lib/db/index.ts';
import type { Result } from '../../lib/forms/index.ts';
import type { ProposalIdInput } from './inputs.ts';
import { gateProposal, participate, type ProposalRef } from './participate.server.ts';

/** Likes (Decidim's endorsements) where the active phase allows them; once per person. */
export async function likeProposal(claims: Claims | null, input: ProposalIdInput): Promise<Result<ProposalRef>> {
  return participate(claims, async (tx) => {
    const g = await gateProposal(tx, input.proposal_id, 'like', { open: true });
    await tx`insert into public.likes (resource_type, resource_id) values ('proposal', ${input.proposal_id})`;
    return { id: g.id, componentId: g.component_id };
  });
}

/** Takes a like back while likes are open. */
export async function unlikeProposal(claims: Claims | null, input: ProposalIdInput): Promise<Result<ProposalRef>> {
  return participate(claims, async (tx) => {
    const g = await gateProposal(tx, input.proposal_id, 'like');
    await tx`delete from public.likes where resource_type = 'proposal' and resource_id = ${input.proposal_id} and user_id = (select auth.uid())`;
    return { id: g.id, componentId: g.component_id };
  });
}
