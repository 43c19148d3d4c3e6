import type { Claims } from '../../lib/db/index.ts';
import type { Result } from '../../lib/forms/index.ts';
import type { ProposalIdInput } from './inputs.ts';
import { gateProposal, participate, type ProposalRef } from './participate.server.ts';

/** Follows a proposal one can see (notified of its answer); following twice changes nothing. */
export async function followProposal(claims: Claims | null, input: ProposalIdInput): Promise<Result<ProposalRef>> {
  return participate(claims, async (tx) => {
    const g = await gateProposal(tx, input.proposal_id, null);
    await tx`insert into public.follows (resource_type, resource_id) values ('proposal', ${input.proposal_id}) on conflict do nothing`;
    return { id: g.id, componentId: g.component_id };
  });
}

export async function unfollowProposal(claims: Claims | null, input: ProposalIdInput): Promise<Result<ProposalRef>> {
  return participate(claims, async (tx) => {
    const g = await gateProposal(tx, input.proposal_id, null);
    await tx`delete from public.follows where resource_type = 'proposal' and resource_id = ${input.proposal_id} and user_id = (select auth.uid())`;
    return { id: g.id, componentId: g.component_id };
  });
}
