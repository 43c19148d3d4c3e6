import type { Claims } from '../../../lib/db/index.ts';
import { Refusal } from '../../../lib/forms/db-errors.ts';
import { failure, type Result } from '../../../lib/forms/index.ts';
import type { DraftIdInput } from './inputs.ts';
import { draftWrite, gateDraft, type DraftRef } from './write.server.ts';

/** A collaborator withdraws an open draft: it stays listed, read-only (open editors are told at once). */
export async function withdrawDraft(claims: Claims | null, input: DraftIdInput): Promise<Result<DraftRef>> {
  return draftWrite(claims, async (tx) => {
    const g = await gateDraft(tx, input.draft_id);
    if (!g.collaborator) throw new Refusal(failure(403, 'error.forbidden'));
    if (g.state !== 'open') throw new Refusal(failure(422, 'proposals.drafts.error.notOpen'));
    await tx`update public.proposal_collaborative_drafts set withdrawn_at = now() where id = ${input.draft_id}`;
    return { id: g.id, componentId: g.component_id };
  });
}
