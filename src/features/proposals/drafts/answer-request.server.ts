import type { Claims } from '../../../lib/db/index.ts';
import { Refusal } from '../../../lib/forms/db-errors.ts';
import { failure, type Result } from '../../../lib/forms/index.ts';
import type { DraftRequestInput } from './inputs.ts';
import { draftWrite, gateDraft, type DraftRef } from './write.server.ts';

/** Any collaborator accepts a request: the requester becomes a collaborator (the request goes). */
export async function acceptRequest(claims: Claims | null, input: DraftRequestInput): Promise<Result<DraftRef>> {
  return draftWrite(claims, async (tx) => {
    const g = await gateDraft(tx, input.draft_id);
    if (!g.collaborator) throw new Refusal(failure(403, 'error.forbidden'));
    await tx`insert into public.proposal_draft_collaborators (draft_id, user_id) values (${input.draft_id}, ${input.user_id})`;
    return { id: g.id, componentId: g.component_id };
  });
}

/** Any collaborator rejects a request. */
export async function rejectRequest(claims: Claims | null, input: DraftRequestInput): Promise<Result<DraftRef>> {
  return draftWrite(claims, async (tx) => {
    const g = await gateDraft(tx, input.draft_id);
    if (!g.collaborator) throw new Refusal(failure(403, 'error.forbidden'));
    const gone = await tx`delete from public.proposal_draft_requests where draft_id = ${input.draft_id} and user_id = ${input.user_id} returning 1`;
    if (gone.length === 0) throw new Refusal(failure(404, 'proposals.drafts.error.noRequest'));
    return { id: g.id, componentId: g.component_id };
  });
}
