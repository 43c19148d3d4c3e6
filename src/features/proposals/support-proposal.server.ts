import type { Claims } from '../../lib/db/index.ts';
import type { Result } from '../../lib/forms/index.ts';
import type { ProposalIdInput } from './inputs.ts';
import { gateProposal, participate, type ProposalRef } from './participate.server.ts';

/**
 * Supports a proposal. The database does the counting under concurrency: the vote limit per
 * person, the minimum before supports count, the threshold, one support per person (primary
 * key). Deadlocks between supporters reaching the minimum at once are retried.
 */
export async function supportProposal(claims: Claims | null, input: ProposalIdInput): Promise<Result<ProposalRef>> {
  return participate(
    claims,
    async (tx, ctx) => {
      const g = await gateProposal(tx, input.proposal_id, 'vote', { open: true });
      ctx.settings = g.settings;
      await tx`insert into public.proposal_supports (proposal_id) values (${input.proposal_id})`;
      return { id: g.id, componentId: g.component_id };
    },
    { retry: true },
  );
}
