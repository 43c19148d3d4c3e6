import type { AstroGlobal } from 'astro';
import { commentsOutcome } from '../comments/action-outcome.ts';
import { useTranslations, type Message } from '../../lib/i18n/index.ts';
import { getProposal, pageHref, proposalsContext, type ProposalDetail, type ProposalsContext } from './detail-queries.server.ts';
import { proposalsCatalog } from './messages/index.ts';
import { proposalOutcome, proposalRedirect, type ProposalOutcome } from './proposal-outcome.ts';

/*
 * What every participant route of a proposals component starts with (the list's wizard and a
 * proposal's pages): the space and component in force (404 when not a proposals component seen
 * by the viewer), the outcome of a form posted without JavaScript (303 on success:
 * post/redirect/get), the proposal itself as the viewer (404 when RLS hides it), and the
 * feature's translator. A page returns the Response when it gets one.
 */

export interface ProposalsRoute {
  ctx: ProposalsContext;
  outcome: ProposalOutcome;
  t: ReturnType<typeof proposalsTranslator>;
  /** A refusal's message in the viewer's language. */
  translate: (m: Message) => string;
}

export interface ProposalRoute extends ProposalsRoute {
  proposal: ProposalDetail;
}

function proposalsTranslator(astro: AstroGlobal) {
  return useTranslations(astro.locals.locale, proposalsCatalog);
}

/** A route of the component (no proposal in the path). `outcome: false` reads no posted form. */
export async function loadProposalsRoute(astro: AstroGlobal, opts: { outcome?: boolean } = {}): Promise<ProposalsRoute | Response> {
  const ctx = await proposalsContext(astro.locals, astro.params);
  if (!ctx) return astro.rewrite('/404');
  const outcome: ProposalOutcome =
    opts.outcome === false ? { kind: 'none' } : proposalOutcome(astro, (name, ref) => proposalRedirect((id) => pageHref(ctx, id), ctx.listHref, name, ref));
  if (outcome.kind === 'redirect') return astro.redirect(outcome.location, 303);
  const t = proposalsTranslator(astro);
  return { ctx, outcome, t, translate: (m) => t.dynamic(m.key, m.params, 'error.generic') };
}

/**
 * A proposal's route. `comments: true` also follows a comments form's success (back to the
 * comment); `authorOnly: true` answers 403 to a viewer who is not an author (unless a form was
 * posted: the page keeps the action's status).
 */
export async function loadProposalRoute(
  astro: AstroGlobal,
  opts: { outcome?: boolean; comments?: boolean; authorOnly?: boolean } = {},
): Promise<ProposalRoute | Response> {
  const route = await loadProposalsRoute(astro, opts);
  if (route instanceof Response) return route;
  if (opts.comments) {
    // A comments form posted without JavaScript: back to the comment on success.
    const comments = commentsOutcome(astro);
    if (comments.kind === 'redirect') return astro.redirect(comments.location, 303);
  }
  const proposal = await getProposal(astro.locals.claims, route.ctx.component.id, astro.params['proposalId'] ?? '');
  if (!proposal) return astro.rewrite('/404');
  if (opts.authorOnly && !proposal.viewer.author && route.outcome.kind === 'none') astro.response.status = 403;
  return { ...route, proposal };
}
