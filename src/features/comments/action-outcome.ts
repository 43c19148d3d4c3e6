import type { AstroGlobal } from 'astro';
import { actions } from 'astro:actions';

/**
 * What a comments form posted without JavaScript came to: on success, where to send the visitor
 * back (the same page and sort, at the comment's anchor: post/redirect/get); on failure, the
 * error to show next to the form (the page keeps the action's 4xx status).
 */
export type CommentsOutcome = { kind: 'none' } | { kind: 'redirect'; location: string } | { kind: 'error'; action: string; error: unknown };

const NAMES = ['addComment', 'editComment', 'deleteComment', 'voteComment', 'reportComment', 'hideComment', 'markOfficialAnswer'] as const;

export function commentsOutcome(astro: AstroGlobal): CommentsOutcome {
  const [ns, fn] = (astro.url.searchParams.get('_action') ?? '').split('.');
  if (ns !== 'comments' || !fn) return { kind: 'none' };
  const name = NAMES.find((n) => n === fn);
  if (!name) return { kind: 'none' };
  const result = astro.getActionResult(actions.comments[name]);
  if (!result) return { kind: 'none' };
  if (result.error) return { kind: 'error', action: name, error: result.error };
  const params = new URLSearchParams(astro.url.search);
  params.delete('_action');
  if (name === 'reportComment') params.set('comments', 'reported');
  else params.delete('comments');
  const query = params.toString();
  return { kind: 'redirect', location: `${astro.url.pathname}${query ? `?${query}` : ''}#comment-${result.data.id}` };
}
