import { defineAction } from 'astro:actions';
import { acceptRequest, rejectRequest } from '@/features/proposals/drafts/answer-request.server.ts';
import { draftIdInput, draftRequestInput, publishDraftInput, startDraftInput } from '@/features/proposals/drafts/inputs.ts';
import { leaveDraft } from '@/features/proposals/drafts/leave-draft.server.ts';
import { publishDraft } from '@/features/proposals/drafts/publish-draft.server.ts';
import { cancelRequest, requestAccess } from '@/features/proposals/drafts/request-access.server.ts';
import { startDraft } from '@/features/proposals/drafts/start-draft.server.ts';
import { withdrawDraft } from '@/features/proposals/drafts/withdraw-draft.server.ts';
import { confirmed } from '@/lib/forms/confirm.ts';
import { unwrap } from './unwrap.ts';

/** Actions of the proposals' collaborative drafts (forms without JavaScript). */
export const proposalDrafts = {
  startDraft: defineAction({ accept: 'form', input: startDraftInput, handler: async (i, c) => unwrap(await startDraft(c.locals.claims, i)) }),
  requestAccess: defineAction({ accept: 'form', input: draftIdInput, handler: async (i, c) => unwrap(await requestAccess(c.locals.claims, i)) }),
  cancelRequest: defineAction({ accept: 'form', input: draftIdInput, handler: async (i, c) => unwrap(await cancelRequest(c.locals.claims, i)) }),
  acceptRequest: defineAction({ accept: 'form', input: draftRequestInput, handler: async (i, c) => unwrap(await acceptRequest(c.locals.claims, i)) }),
  rejectRequest: defineAction({ accept: 'form', input: draftRequestInput, handler: async (i, c) => unwrap(await rejectRequest(c.locals.claims, i)) }),
  withdrawDraft: defineAction({ accept: 'form', input: confirmed(draftIdInput), handler: async (i, c) => unwrap(await withdrawDraft(c.locals.claims, i)) }),
  leaveDraft: defineAction({ accept: 'form', input: confirmed(draftIdInput), handler: async (i, c) => unwrap(await leaveDraft(c.locals.claims, i)) }),
  publishDraft: defineAction({ accept: 'form', input: publishDraftInput, handler: async (i, c) => unwrap(await publishDraft(c.locals.claims, i)) }),
};
