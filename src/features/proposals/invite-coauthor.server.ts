import type { Claims } from '../../lib/db/index.ts';
import { Refusal } from '../../lib/forms/db-errors.ts';
import { failure, type Result } from '../../lib/forms/index.ts';
import type { CoauthorInput, InviteCoauthorInput } from './inputs.ts';
import { gateProposal, participate, type ProposalRef } from './participate.server.ts';

/**
 * An author invites a co-author by nickname (`public.invite_coauthor`, which matches nicknames
 * only: profiles are public, emails are not, and an answer that differed for a known and an
 * unknown email would tell whose account an address is). The invitee is notified and accepts or
 * declines on the proposal's page.
 */
export async function inviteCoauthor(claims: Claims | null, input: InviteCoauthorInput): Promise<Result<ProposalRef>> {
  return participate(claims, async (tx) => {
    const g = await gateProposal(tx, input.proposal_id, null);
    if (!g.author) throw new Refusal(failure(403, 'error.forbidden'));
    if (g.withdrawn) throw new Refusal(failure(422, 'proposals.error.withdrawn'));
    // An invitee could not see a draft (drafts are their accepted authors' only) to accept it.
    if (!g.published) throw new Refusal(failure(422, 'proposals.detail.error.inviteDraft', { field: 'identifier' }));
    const [found] = await tx<{ invitee: string | null; already: boolean }[]>`
      select invitee, already from public.invite_coauthor(${input.proposal_id}::uuid, ${input.identifier})`;
    if (!found?.invitee) throw new Refusal(failure(422, 'proposals.detail.error.coauthorUnknown', { field: 'identifier' }));
    if (found.already) throw new Refusal(failure(409, 'proposals.detail.error.coauthorAlready', { field: 'identifier' }));
    return { id: g.id, componentId: g.component_id };
  });
}

/** An author withdraws a pending invitation. */
export async function cancelInvitation(claims: Claims | null, input: CoauthorInput): Promise<Result<ProposalRef>> {
  return participate(claims, async (tx) => {
    const g = await gateProposal(tx, input.proposal_id, null);
    if (!g.author) throw new Refusal(failure(403, 'error.forbidden'));
    await tx`delete from public.proposal_coauthors where proposal_id = ${input.proposal_id} and user_id = ${input.user_id} and status = 'invited'`;
    return { id: g.id, componentId: g.component_id };
  });
}
