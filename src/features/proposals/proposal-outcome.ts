import type { AstroGlobal } from 'astro';
import { actions } from 'astro:actions';
import type { ProposalRef } from './participate.server.ts';

/**
 * What a proposals form posted without JavaScript came to (as `commentsOutcome` for comments):
 * on success, where to send the person (post/redirect/get); on failure, the error the page shows
 * next to the form (the page keeps the action's 4xx status).
 */
export type ProposalActionName = keyof typeof actions.proposals;
export type ProposalOutcome =
  | { kind: 'none' }
  | { kind: 'redirect'; location: string }
  | { kind: 'error'; action: ProposalActionName; error: unknown };

// `actions.proposals` is a proxy (no own keys): the names are listed here.
const ACTION_NAMES: readonly ProposalActionName[] = [
  'createProposal', 'updateProposal', 'completeProposal', 'publishProposal', 'deleteDraft', 'withdrawProposal',
  'supportProposal', 'unsupportProposal', 'likeProposal', 'unlikeProposal', 'followProposal', 'unfollowProposal',
  'reportProposal', 'inviteCoauthor', 'cancelInvitation', 'acceptCoauthorship', 'declineCoauthorship',
  'createAmendment', 'reactToAmendment', 'promoteAmendment',
];

export function proposalOutcome(astro: AstroGlobal, where: (action: ProposalActionName, ref: ProposalRef) => string): ProposalOutcome {
  const [ns, fn] = (astro.url.searchParams.get('_action') ?? '').split('.');
  const name = ACTION_NAMES.find((n) => n === fn);
  if (ns !== 'proposals' || !name) return { kind: 'none' };
  const result = astro.getActionResult(actions.proposals[name]);
  if (!result) return { kind: 'none' };
  if (result.error) return { kind: 'error', action: name, error: result.error };
  return { kind: 'redirect', location: where(name, result.data) };
}

/** The status line a page shows after a successful write (`?status=…`). */
export const STATUS_BY_ACTION: Partial<Record<ProposalActionName, string>> = {
  updateProposal: 'updated',
  completeProposal: 'updated',
  publishProposal: 'published',
  withdrawProposal: 'withdrawn',
  supportProposal: 'supported',
  unsupportProposal: 'unsupported',
  likeProposal: 'liked',
  unlikeProposal: 'unliked',
  followProposal: 'followed',
  unfollowProposal: 'unfollowed',
  reportProposal: 'reported',
  inviteCoauthor: 'invited',
  cancelInvitation: 'invitationCancelled',
  acceptCoauthorship: 'coauthorAccepted',
  declineCoauthorship: 'coauthorDeclined',
  createAmendment: 'amended',
  reactToAmendment: 'amendmentAnswered',
  promoteAmendment: 'promoted',
  deleteDraft: 'draftDeleted',
};

/**
 * Where a successful write sends the person: the wizard's next step for drafts, else the
 * proposal's page with a status line (the list when they can no longer see the proposal).
 */
export function proposalRedirect(pageOf: (id: string) => string, listHref: string, name: ProposalActionName, ref: ProposalRef): string {
  const status = STATUS_BY_ACTION[name] ?? 'updated';
  if (name === 'createProposal') return `${pageOf(ref.id)}/complete`;
  if (name === 'updateProposal' && ref.published === false) return `${pageOf(ref.id)}/complete`;
  if (name === 'completeProposal' && ref.published === false) return `${pageOf(ref.id)}/publish`;
  if (ref.visible === false) return `${listHref}?status=${status}`;
  return `${pageOf(ref.id)}?status=${status}`;
}
