import type { Claims } from '../../lib/db/index.ts';
import type { Result } from '../../lib/forms/index.ts';
import type { ProposalIdInput } from './inputs.ts';
import { gateProposal, participate, type ProposalRef } from './participate.server.ts';

/** Takes back one's support while supports are open (not supported: nothing to do). */
export async function unsupportProposal(claims: Claims | null, input: ProposalIdInput): Promise<Result<ProposalRef>> {
  return participate(
    claims,
    async (tx) => {
      const g = await gateProposal(tx, input.proposal_id, 'vote');
      await tx`delete from public.proposal_supports where proposal_id = ${input.proposal_id} and user_id = (select auth.uid())`;
      return { id: g.id, componentId: g.component_id };
    },
    { retry: true },
  );
}
