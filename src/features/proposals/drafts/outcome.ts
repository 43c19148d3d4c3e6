import type { AstroGlobal } from 'astro';
import { actions } from 'astro:actions';
import type { DraftRef } from './write.server.ts';

/**
 * What a drafts form posted without JavaScript came to: on success where to go (post/redirect/get,
 * with a status line), on failure the error the page shows (keeping the action's 4xx status).
 */
export type DraftActionName = keyof typeof actions.proposalDrafts;
export type DraftOutcome = { kind: 'none' } | { kind: 'redirect'; location: string } | { kind: 'error'; action: DraftActionName; error: unknown };

// `actions.proposalDrafts` is a proxy (no own keys): the names are listed here.
const NAMES: readonly DraftActionName[] = [
  'startDraft', 'requestAccess', 'cancelRequest', 'acceptRequest', 'rejectRequest', 'withdrawDraft', 'leaveDraft', 'publishDraft',
];

const STATUS: Record<Exclude<DraftActionName, 'publishDraft'>, string> = {
  startDraft: 'started',
  requestAccess: 'requested',
  cancelRequest: 'requestCancelled',
  acceptRequest: 'accepted',
  rejectRequest: 'rejected',
  withdrawDraft: 'withdrawn',
  leaveDraft: 'left',
};

export function draftOutcome(astro: AstroGlobal, hrefs: { draft: (id: string) => string; proposal: (id: string) => string }): DraftOutcome {
  const [ns, fn] = (astro.url.searchParams.get('_action') ?? '').split('.');
  const name = NAMES.find((n) => n === fn);
  if (ns !== 'proposalDrafts' || !name) return { kind: 'none' };
  const result = astro.getActionResult(actions.proposalDrafts[name]);
  if (!result) return { kind: 'none' };
  if (result.error) return { kind: 'error', action: name, error: result.error };
  const ref = result.data as DraftRef;
  if (name === 'publishDraft' && ref.proposalId) return { kind: 'redirect', location: `${hrefs.proposal(ref.proposalId)}?status=published` };
  return { kind: 'redirect', location: `${hrefs.draft(ref.id)}?status=${STATUS[name as keyof typeof STATUS]}` };
}
