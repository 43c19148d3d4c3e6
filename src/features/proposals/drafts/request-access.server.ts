import type { Claims } from '../../../lib/db/index.ts';
import type { Result } from '../../../lib/forms/index.ts';
import type { DraftIdInput } from './inputs.ts';
import { draftWrite, gateDraft, type DraftRef } from './write.server.ts';

/** Somebody asks to join an open draft; its collaborators are notified. */
export async function requestAccess(claims: Claims | null, input: DraftIdInput): Promise<Result<DraftRef>> {
  return draftWrite(claims, async (tx) => {
    const g = await gateDraft(tx, input.draft_id);
    await tx`insert into public.proposal_draft_requests (draft_id) values (${input.draft_id})`;
    return { id: g.id, componentId: g.component_id };
  });
}

/** The requester takes their request back. */
export async function cancelRequest(claims: Claims | null, input: DraftIdInput): Promise<Result<DraftRef>> {
  return draftWrite(claims, async (tx) => {
    const g = await gateDraft(tx, input.draft_id);
    await tx`delete from public.proposal_draft_requests where draft_id = ${input.draft_id} and user_id = (select auth.uid())`;
    return { id: g.id, componentId: g.component_id };
  });
}
