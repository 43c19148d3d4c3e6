import { z } from 'zod';
import { uuidInput } from '../../../lib/forms/fields.ts';

/*
 * Input schemas of collaborative drafts' forms. The rules that depend on the component (drafts
 * enabled, creation open, limits) and on who is asking are the database's.
 */

const title = z
  .string()
  .trim()
  .min(5, { message: 'proposals.error.titleLength' })
  .max(150, { message: 'proposals.error.titleLength' })
  .refine((s) => !s.includes('\u0000') && !s.includes('\uFFFD'), { message: 'validation.invalid' });

export const startDraftInput = z.object({ component_id: uuidInput, title });
export type StartDraftInput = z.infer<typeof startDraftInput>;

export const draftIdInput = z.object({ draft_id: uuidInput });
export type DraftIdInput = z.infer<typeof draftIdInput>;

export const draftRequestInput = z.object({ draft_id: uuidInput, user_id: uuidInput });
export type DraftRequestInput = z.infer<typeof draftRequestInput>;

export const publishDraftInput = z.object({ draft_id: uuidInput, title });
export type PublishDraftInput = z.infer<typeof publishDraftInput>;

/** The co-edited body of a draft, as the co-editing service names it. */
export const draftDocument = (draftId: string) => `proposals/${draftId}/draft_body`;
