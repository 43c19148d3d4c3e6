import type { Claims } from '../../../lib/db/index.ts';
import { Refusal } from '../../../lib/forms/db-errors.ts';
import { failure, type Result } from '../../../lib/forms/index.ts';
import type { HideProposalInput } from './inputs.ts';
import { adminWrite } from './write.server.ts';

/** A space moderator (or admin) hides a proposal pending review, or makes it visible again. */
export async function hideProposal(claims: Claims | null, input: HideProposalInput): Promise<Result<{ id: string }>> {
  return adminWrite(claims, async (tx) => {
    const rows = input.hidden
      ? await tx`update public.proposals set hidden_at = now() where id = ${input.proposal_id} and hidden_at is null`
      : await tx`update public.proposals set hidden_at = null where id = ${input.proposal_id} and hidden_at is not null`;
    if (rows.count === 0) throw new Refusal(failure(403, 'error.forbidden'));
    return { id: input.proposal_id };
  });
}
