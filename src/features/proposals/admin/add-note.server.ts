import type { Claims } from '../../../lib/db/index.ts';
import type { Result } from '../../../lib/forms/index.ts';
import type { AddNoteInput } from './inputs.ts';
import { adminWrite, gateAnswering } from './write.server.ts';

/** A private note (or a reply to one) by a space admin or the proposal's evaluator. */
export async function addNote(claims: Claims | null, input: AddNoteInput): Promise<Result<{ id: string; proposalId: string }>> {
  return adminWrite(claims, async (tx) => {
    await gateAnswering(tx, input.proposal_id);
    const [row] = await tx<{ id: string }[]>`
      insert into public.proposal_notes (proposal_id, parent_id, body)
      values (${input.proposal_id}, ${input.parent_id}, ${input.body}) returning id`;
    return { id: row!.id, proposalId: input.proposal_id };
  });
}
