import type { Claims } from '../../../lib/db/index.ts';
import type { Result } from '../../../lib/forms/index.ts';
import type { StartDraftInput } from './inputs.ts';
import { draftWrite, type DraftRef } from './write.server.ts';

/** A participant starts a draft; they are its first collaborator. Where drafts are on and creation open (the database checks). */
export async function startDraft(claims: Claims | null, input: StartDraftInput): Promise<Result<DraftRef>> {
  return draftWrite(claims, async (tx) => {
    const [row] = await tx<{ id: string; component_id: string }[]>`
      insert into public.proposal_collaborative_drafts (component_id, title) values (${input.component_id}, ${input.title})
      returning id, component_id`;
    return { id: row!.id, componentId: row!.component_id };
  });
}
