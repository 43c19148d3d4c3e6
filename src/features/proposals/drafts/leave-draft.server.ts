import type { Claims } from '../../../lib/db/index.ts';
import { Refusal } from '../../../lib/forms/db-errors.ts';
import { failure, type Result } from '../../../lib/forms/index.ts';
import type { DraftIdInput } from './inputs.ts';
import { draftWrite, gateDraft, type DraftRef } from './write.server.ts';

/** A collaborator leaves a draft (not the last one); their open editors lose write access within seconds. */
export async function leaveDraft(claims: Claims | null, input: DraftIdInput): Promise<Result<DraftRef>> {
  return draftWrite(claims, async (tx) => {
    const g = await gateDraft(tx, input.draft_id);
    if (!g.collaborator) throw new Refusal(failure(403, 'error.forbidden'));
    await tx`delete from public.proposal_draft_collaborators where draft_id = ${input.draft_id} and user_id = (select auth.uid())`;
    return { id: g.id, componentId: g.component_id };
  });
}
