import type { Claims } from '../../lib/db/index.ts';
import type { Result } from '../../lib/forms/index.ts';
import type { CreateAmendmentInput } from './inputs.ts';
import { gateProposal, participate, type ProposalRef } from './participate.server.ts';

/**
 * Amends a published proposal: the emendation is a proposal of its own (title and body as the
 * amender would have them) that the amended proposal's authors accept or reject. The database
 * checks that amending is open and that the amended proposal is open and of the same component.
 */
export async function createAmendment(claims: Claims | null, input: CreateAmendmentInput): Promise<Result<ProposalRef>> {
  return participate(claims, async (tx, ctx) => {
    const g = await gateProposal(tx, input.proposal_id, 'amend', { open: true });
    ctx.settings = g.settings;
    const [row] = await tx<{ id: string }[]>`
      insert into public.proposals (component_id, title, body, amends_id, published_at)
      values (${g.component_id}, ${input.title}, ${input.body}, ${input.proposal_id}, now())
      returning id`;
    return { id: row!.id, componentId: g.component_id };
  });
}
