import type { Claims } from '../../lib/db/index.ts';
import { Refusal } from '../../lib/forms/db-errors.ts';
import { failure, type Result } from '../../lib/forms/index.ts';
import type { ProposalIdInput } from './inputs.ts';
import { participate, type ProposalRef } from './participate.server.ts';

/**
 * The invitee accepts (becomes an author, shown on the page, and follows the proposal) or
 * declines (the invitation goes). Only their own pending invitation: RLS and the trigger say so.
 */
export async function acceptCoauthorship(claims: Claims | null, input: ProposalIdInput): Promise<Result<ProposalRef>> {
  return participate(claims, async (tx) => {
    const [row] = await tx<{ component_id: string }[]>`
      with accepted as (
        update public.proposal_coauthors set status = 'accepted'
        where proposal_id = ${input.proposal_id} and user_id = (select auth.uid()) and status = 'invited'
        returning proposal_id)
      select p.component_id from accepted a join public.proposals p on p.id = a.proposal_id`;
    if (!row) throw new Refusal(failure(404, 'proposals.detail.error.noInvitation'));
    return { id: input.proposal_id, componentId: row.component_id };
  });
}

export async function declineCoauthorship(claims: Claims | null, input: ProposalIdInput): Promise<Result<ProposalRef>> {
  return participate(claims, async (tx) => {
    const [row] = await tx<{ proposal_id: string }[]>`
      delete from public.proposal_coauthors
      where proposal_id = ${input.proposal_id} and user_id = (select auth.uid()) and status = 'invited'
      returning proposal_id`;
    if (!row) throw new Refusal(failure(404, 'proposals.detail.error.noInvitation'));
    const [p] = await tx<{ component_id: string }[]>`select component_id from public.proposals where id = ${input.proposal_id}`;
    return { id: input.proposal_id, componentId: p?.component_id ?? '', visible: !!p };
  });
}
