import type { Claims } from '../../../lib/db/index.ts';
import { Refusal } from '../../../lib/forms/db-errors.ts';
import { failure, notOk, type Result } from '../../../lib/forms/index.ts';
import type { HideProposalInput } from './inputs.ts';
import { adminWrite } from './write.server.ts';

/**
 * A space moderator (or admin) hides a proposal, or a collaborative draft, pending review, or
 * makes it visible again (RLS and the tables' triggers let only the space's moderators change
 * hidden_at). A draft's id comes back as `draft-<id>`: the queue's anchor for its row.
 */
export async function hideProposal(claims: Claims | null, input: HideProposalInput): Promise<Result<{ id: string }>> {
  if ((input.proposal_id === undefined) === (input.draft_id === undefined)) return notOk(failure(400, 'error.bad_request'));
  return adminWrite(claims, async (tx) => {
    if (input.draft_id !== undefined) {
      const rows = input.hidden
        ? await tx`update public.proposal_collaborative_drafts set hidden_at = now() where id = ${input.draft_id} and hidden_at is null`
        : await tx`update public.proposal_collaborative_drafts set hidden_at = null where id = ${input.draft_id} and hidden_at is not null`;
      if (rows.count === 0) throw new Refusal(failure(403, 'error.forbidden'));
      return { id: `draft-${input.draft_id}` };
    }
    const id = input.proposal_id!;
    const rows = input.hidden
      ? await tx`update public.proposals set hidden_at = now() where id = ${id} and hidden_at is null`
      : await tx`update public.proposals set hidden_at = null where id = ${id} and hidden_at is not null`;
    if (rows.count === 0) throw new Refusal(failure(403, 'error.forbidden'));
    return { id };
  });
}
