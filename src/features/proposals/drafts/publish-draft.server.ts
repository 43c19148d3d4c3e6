import type { Claims } from '../../../lib/db/index.ts';
import { Refusal } from '../../../lib/forms/db-errors.ts';
import { failure, type Result } from '../../../lib/forms/index.ts';
import type { PublishDraftInput } from './inputs.ts';
import { writePublishedDraft } from './publish-draft-write.server.ts';
import { draftWrite, gateDraft, type DraftRef } from './write.server.ts';

/**
 * A collaborator publishes the draft as a proposal whose authors are all its collaborators, in
 * one transaction as them (publish-draft-write.server.ts). Any refusal leaves nothing changed;
 * a collaborator's limit reads "at most {max} proposals".
 */
export async function publishDraft(claims: Claims | null, input: PublishDraftInput): Promise<Result<DraftRef>> {
  let max: unknown;
  const r = await draftWrite(claims, async (tx) => {
    const g = await gateDraft(tx, input.draft_id);
    max = g.settings['proposal_limit'];
    if (!g.collaborator) throw new Refusal(failure(403, 'error.forbidden'));
    if (g.state !== 'open') throw new Refusal(failure(422, 'proposals.drafts.error.notOpen'));
    const proposalId = await writePublishedDraft(tx, g.id, g.component_id, input.title);
    return { id: g.id, componentId: g.component_id, proposalId };
  });
  if (!r.ok && r.failure.message.key === 'proposals.error.limit') {
    return { ok: false, failure: { ...r.failure, message: { key: r.failure.message.key, params: { max: typeof max === 'number' ? max : '—' } } } };
  }
  return r;
}
