import type { AstroGlobal } from 'astro';
import { commentsOutcome } from '../comments/action-outcome.ts';
import { useTranslations, type Message } from '../../lib/i18n/index.ts';
import { debateHref } from './debates.ts';
import { debateOutcome, STATUS_BY_ACTION, type DebateOutcome } from './debate-outcome.ts';
import { debatesCatalog } from './messages/index.ts';
import { debatesContext, getDebate, type DebateDetail, type DebatesContext } from './queries.server.ts';

/*
 * What every participant route of a debates component starts with: the space and component in
 * force (404 when not a debates component the viewer sees), the outcome of a form posted without
 * JavaScript (303 on success: post/redirect/get, with a status line), the debate as the viewer
 * sees it (404 when RLS hides it), and the feature's translator.
 */

export interface DebatesRoute {
  ctx: DebatesContext;
  outcome: DebateOutcome;
  t: ReturnType<typeof translator>;
  translate: (m: Message) => string;
}

export interface DebateRoute extends DebatesRoute {
  debate: DebateDetail;
}

function translator(astro: AstroGlobal) {
  return useTranslations(astro.locals.locale, debatesCatalog);
}

export async function loadDebatesRoute(astro: AstroGlobal): Promise<DebatesRoute | Response> {
  const ctx = await debatesContext(astro.locals, astro.params);
  if (!ctx) return astro.rewrite('/404');
  const outcome = debateOutcome(astro, (name, data) => {
    const ref = data as { id?: string; debateId?: string; visible?: boolean };
    const id = ref.debateId ?? ref.id;
    const status = STATUS_BY_ACTION[name];
    if (name === 'addArgument' && ref.id) return `${debateHref(ctx.listHref, ref.debateId ?? '')}?status=${status}#comment-${ref.id}`;
    if (!id || ref.visible === false) return `${ctx.listHref}?status=${status}`;
    return `${debateHref(ctx.listHref, id)}?status=${status}`;
  });
  if (outcome.kind === 'redirect') return astro.redirect(outcome.location, 303);
  const t = translator(astro);
  return { ctx, outcome, t, translate: (m) => t.dynamic(m.key, m.params, 'error.generic') };
}

/** A debate's route; comments' forms posted here (replies, votes, reports) come back to the comment. */
export async function loadDebateRoute(astro: AstroGlobal, opts: { authorOnly?: boolean } = {}): Promise<DebateRoute | Response> {
  const route = await loadDebatesRoute(astro);
  if (route instanceof Response) return route;
  const comments = commentsOutcome(astro);
  if (comments.kind === 'redirect') return astro.redirect(comments.location, 303);
  const debate = await getDebate(astro.locals.claims, route.ctx.component.id, astro.params['debateId'] ?? '');
  if (!debate) return astro.rewrite('/404');
  if (opts.authorOnly && !debate.viewer.author && !debate.viewer.admin && route.outcome.kind === 'none') astro.response.status = 403;
  return { ...route, debate };
}
