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
    // No RETURNING: where amendments are seen by their authors only, the new row is not visible
    // to its author until the trigger has made them one (RLS checks RETURNING before that).
    await tx`
      insert into public.proposals (component_id, title, body, amends_id, published_at)
      values (${g.component_id}, ${input.title}, ${input.body}, ${input.proposal_id}, now())`;
    const [row] = await tx<{ id: string }[]>`
      select id from public.proposals where amends_id = ${input.proposal_id} and author_id = (select auth.uid())
      order by created_at desc, number desc limit 1`;
    return { id: row!.id, componentId: g.component_id };
  });
}
