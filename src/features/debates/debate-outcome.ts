import type { AstroGlobal } from 'astro';
import { actions } from 'astro:actions';

/**
 * What a debates form posted without JavaScript came to (as `commentsOutcome` for comments): on
 * success where to send the person (post/redirect/get, with a status line); on failure the error
 * the page shows next to the form (it keeps the action's 4xx status).
 */
export type DebateActionName = keyof typeof actions.debates;
export type DebateOutcome = { kind: 'none' } | { kind: 'redirect'; location: string } | { kind: 'error'; action: DebateActionName; error: unknown };

// `actions.debates` is a proxy (no own keys): the names are listed here.
const ACTION_NAMES: readonly DebateActionName[] = [
  'createDebate', 'updateDebate', 'closeDebate', 'withdrawDebate', 'likeDebate', 'unlikeDebate', 'followDebate', 'unfollowDebate',
  'reportDebate', 'addArgument', 'takePosition', 'setPresencePreference',
];

export const STATUS_BY_ACTION: Record<DebateActionName, string> = {
  createDebate: 'created',
  updateDebate: 'updated',
  closeDebate: 'closed',
  withdrawDebate: 'withdrawn',
  likeDebate: 'liked',
  unlikeDebate: 'unliked',
  followDebate: 'followed',
  unfollowDebate: 'unfollowed',
  reportDebate: 'reported',
  addArgument: 'argued',
  takePosition: 'position',
  setPresencePreference: 'preference',
};

export function debateOutcome(astro: AstroGlobal, where: (action: DebateActionName, data: unknown) => string): DebateOutcome {
  const [ns, fn] = (astro.url.searchParams.get('_action') ?? '').split('.');
  const name = ACTION_NAMES.find((n) => n === fn);
  if (ns !== 'debates' || !name) return { kind: 'none' };
  const result = astro.getActionResult(actions.debates[name]);
  if (!result) return { kind: 'none' };
  if (result.error) return { kind: 'error', action: name, error: result.error };
  return { kind: 'redirect', location: where(name, result.data) };
}
