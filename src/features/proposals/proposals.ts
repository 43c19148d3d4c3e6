import type { Locale } from '../../lib/i18n/locales.ts';

/*
 * Shared by the proposals pages (list, proposal page, wizard, admin): routes and names. Pure, no
 * server imports: islands may import it.
 */

/** The orders of the list (Decidim's), `random` with a seed per visitor so pages don't reshuffle. */
export const PROPOSAL_SORTS = ['random', 'recent', 'most_voted', 'most_liked', 'most_commented', 'most_followed'] as const;
export type ProposalSort = (typeof PROPOSAL_SORTS)[number];

/** `/fr/processes/<slug>/f/<component>`: the component's list (its public page). */
export function componentHref(spaceHref: string, componentId: string): string {
  return `${spaceHref}/f/${componentId}`;
}
/** A proposal's page. */
export function proposalHref(spaceHref: string, componentId: string, proposalId: string): string {
  return `${componentHref(spaceHref, componentId)}/proposals/${proposalId}`;
}
/** The wizard's first step. */
export function newProposalHref(spaceHref: string, componentId: string): string {
  return `${componentHref(spaceHref, componentId)}/proposals/new`;
}
/** Admin: the component's proposals (its manage page) and one proposal's answer/evaluation page. */
export function adminProposalsHref(locale: Locale, spaceId: string, componentId: string): string {
  return `/${locale}/admin/spaces/${spaceId}/components/${componentId}/manage`;
}
export function adminProposalHref(locale: Locale, spaceId: string, componentId: string, proposalId: string): string {
  return `/${locale}/admin/spaces/${spaceId}/components/${componentId}/proposals/${proposalId}`;
}

/** The live topic of a component's proposals (database broadcasts, see the migration). */
export function proposalsTopic(componentId: string): string {
  return `proposals:${componentId}`;
}

/** What the database broadcasts on that topic for each change (counts only, never text). */
export interface ProposalBroadcast {
  proposal_id: string;
  amends_id?: string;
  changes: Array<
    'created' | 'supports' | 'likes' | 'comments' | 'follows' | 'answer' | 'hidden' | 'unhidden' | 'withdrawn' | 'edited' | 'amendment'
  >;
  /** Absent while the active phase hides support counts. */
  supports?: number;
  likes: number;
  comments: number;
  follows: number;
  updated_at: string;
}
