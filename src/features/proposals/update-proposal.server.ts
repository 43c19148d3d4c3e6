import type { Claims } from '../../lib/db/index.ts';
import { Refusal } from '../../lib/forms/db-errors.ts';
import { failure, type Result } from '../../lib/forms/index.ts';
import type { UpdateProposalInput } from './inputs.ts';
import { gateProposal, participate, type ProposalRef } from './participate.server.ts';

/**
 * Title and body of a draft, or of a published proposal within the component's edit window and
 * before any answer (the database refuses otherwise: `proposals_edit_window`). Each change of the
 * text is a new version.
 */
export async function updateProposal(claims: Claims | null, input: UpdateProposalInput): Promise<Result<ProposalRef>> {
  return participate(claims, async (tx, ctx) => {
    const g = await gateProposal(tx, input.proposal_id, null);
    ctx.settings = g.settings;
    if (!g.author) throw new Refusal(failure(403, 'error.forbidden'));
    if (g.withdrawn) throw new Refusal(failure(422, 'proposals.error.withdrawn'));
    await tx`update public.proposals set title = ${input.title}, body = ${input.body} where id = ${input.proposal_id}`;
    return { id: g.id, componentId: g.component_id, published: g.published };
  });
}
