import type { Claims } from '../../lib/db/index.ts';
import { Refusal } from '../../lib/forms/db-errors.ts';
import { failure, type Result } from '../../lib/forms/index.ts';
import type { ProposalIdInput } from './inputs.ts';
import { gateProposal, participate, type ProposalRef } from './participate.server.ts';

/**
 * The wizard's last step: the draft becomes public. The database sets the date, checks that
 * creation is still open and the proposals-per-participant limit (serialised per person).
 */
export async function publishProposal(claims: Claims | null, input: ProposalIdInput): Promise<Result<ProposalRef>> {
  return participate(claims, async (tx, ctx) => {
    const g = await gateProposal(tx, input.proposal_id, null);
    ctx.settings = g.settings;
    if (!g.author) throw new Refusal(failure(403, 'error.forbidden'));
    if (g.published) throw new Refusal(failure(409, 'proposals.error.published'));
    const [open] = await tx<{ allowed: boolean }[]>`
      select coalesce(private.component_allows(${g.component_id}::uuid, ${g.amends_id ? 'amend' : 'create'}), false) as allowed`;
    if (!open?.allowed) throw new Refusal(failure(403, 'proposals.error.closed'));
    await tx`update public.proposals set published_at = now() where id = ${input.proposal_id}`;
    return { id: g.id, componentId: g.component_id };
  });
}
