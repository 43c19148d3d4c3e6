import type { AstroGlobal } from 'astro';
import { actions } from 'astro:actions';
import { getComponentInForce } from '../components/queries.server.ts';
import { requestOrganization } from '../organization/queries.server.ts';
import { getSpaceBySlug } from '../spaces/queries.server.ts';
import { kindOfSegment, spaceHref, type SpaceDetail } from '../spaces/spaces.ts';
import type { ComponentView } from '../../lib/components/manifest.ts';
import { readSettings, type AnySettings } from '../../lib/components/settings.ts';
import type { Organization } from '../organization/organization.ts';
import { blogManifest } from './manifest.ts';

/*
 * What every route of a news component starts with: the space and the component in force (404
 * when it is not a news component the viewer sees), and the outcome of one of the component's
 * forms posted without JavaScript (post/redirect/get on success; the error for the page on
 * failure).
 */

export interface BlogContext {
  space: SpaceDetail;
  component: ComponentView;
  settings: AnySettings;
  phaseSettings: AnySettings;
  org: Organization;
  /** `/fr/processes/<slug>/f/<component id>` */
  base: string;
  spaceHref: string;
}

export async function blogContext(astro: { locals: App.Locals; params: Readonly<Record<string, string | undefined>> }): Promise<BlogContext | null> {
  const { claims, locale } = astro.locals;
  const kind = kindOfSegment(astro.params['segment']);
  if (!kind) return null;
  const space = await getSpaceBySlug(claims, kind, astro.params['slug'] ?? '');
  if (!space) return null;
  const [found, org] = await Promise.all([getComponentInForce(claims, space.id, astro.params['componentId'] ?? ''), requestOrganization(astro.locals)]);
  if (!found || found.component.feature !== 'blog') return null;
  const href = spaceHref(locale, space.kind, space.slug);
  return {
    space,
    component: found.component,
    settings: readSettings(blogManifest.settings.global, found.settings),
    phaseSettings: readSettings(blogManifest.settings.phase, found.activePhaseSettings),
    org,
    base: `${href}/f/${found.component.id}`,
    spaceHref: href,
  };
}

const NAMES = ['likePost', 'unlikePost', 'followPost', 'unfollowPost', 'reportPost', 'hidePost', 'showPost', 'writePost'] as const;
export type BlogActionName = (typeof NAMES)[number];
const STATUS: Record<BlogActionName, string> = {
  likePost: 'liked',
  unlikePost: 'unliked',
  followPost: 'followed',
  unfollowPost: 'unfollowed',
  reportPost: 'reported',
  hidePost: 'hidden',
  showPost: 'shown',
  writePost: 'posted',
};

export type BlogOutcome = { kind: 'none' } | { kind: 'redirect'; location: string } | { kind: 'error'; action: BlogActionName; error: unknown };

/** The outcome of a news form posted to this page; success goes to the post (or the list, once it is hidden from the reporter). */
export function blogOutcome(astro: AstroGlobal, ctx: BlogContext): BlogOutcome {
  const [ns, fn] = (astro.url.searchParams.get('_action') ?? '').split('.');
  if (ns !== 'blog' || !fn) return { kind: 'none' };
  const name = NAMES.find((n) => n === fn);
  if (!name) return { kind: 'none' };
  const result = astro.getActionResult(actions.blog[name]);
  if (!result) return { kind: 'none' };
  if (result.error) return { kind: 'error', action: name, error: result.error };
  const data = result.data as { id: string; visible?: boolean };
  const target = data.visible === false ? ctx.base : `${ctx.base}/posts/${data.id}`;
  return { kind: 'redirect', location: `${target}?status=${STATUS[name]}` };
}
