import type { Tx } from '../../../lib/db/index.ts';
import { storedDocumentHtml } from '../../../lib/collab/documents.ts';
import { sanitizeUserHtml } from '../../../lib/html/sanitize.ts';
import { draftDocument } from './inputs.ts';

/**
 * The writes of publishing a draft, in the caller's transaction as the collaborator: the co-edited
 * body (sanitised; the last saved body when nobody has co-edited yet) and the title become a
 * published proposal through the proposals' own RLS and rules (creation open, length, the
 * publisher's limit; its trigger keeps the first version), then `publish_collaborative_draft`
 * makes every other collaborator an author within the limit and marks the draft published.
 * Database refusals are thrown as they come.
 */
export async function writePublishedDraft(tx: Tx, draftId: string, componentId: string, title: string): Promise<string> {
  const [saved] = await tx<{ body: string }[]>`select body from public.proposal_collaborative_drafts where id = ${draftId}`;
  const live = await storedDocumentHtml(draftDocument(draftId));
  const body = sanitizeUserHtml(live ?? saved?.body ?? '').replace(/>\n+</g, '><');
  const [proposal] = await tx<{ id: string }[]>`
    insert into public.proposals (component_id, title, body, published_at) values (${componentId}, ${title}, ${body}, now())
    returning id`;
  await tx`select public.publish_collaborative_draft(${draftId}::uuid, ${proposal!.id}::uuid)`;
  return proposal!.id;
}
