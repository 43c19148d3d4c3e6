import type { APIContext, AstroGlobal } from 'astro';
import { adminGate, enterAdmin, type AdminAccess } from '../../admin/access.server.ts';
import type { Organization } from '../../organization/organization.ts';
import { requestOrganization } from '../../organization/queries.server.ts';
import { getSpaceById } from '../../spaces/queries.server.ts';
import { spaceHref, type SpaceDetail } from '../../spaces/spaces.ts';
import { getAdminContext, type AdminContext } from './queries.server.ts';

/**
 * The way into the proposals admin pages (`/admin/spaces/<id>/components/<cid>/…`): space admins,
 * and the space's evaluators for the pages that are theirs (the list, a proposal they are
 * assigned, exports) — never the other admin pages. Visitors go to sign-in, others get the 403
 * page; a component that is not this space's proposals component is a 404.
 */
export interface ProposalsAdmin {
  access: AdminAccess;
  ctx: AdminContext;
  space: SpaceDetail;
  org: Organization;
  /** `/fr/admin/spaces/<id>/components/<cid>` */
  base: string;
  /** The component's public list. */
  publicHref: string;
}

export async function enterProposalsAdmin(astro: AstroGlobal, opts: { adminOnly?: boolean } = {}): Promise<ProposalsAdmin | Response> {
  const { locale, claims } = astro.locals;
  const id = astro.params['id'] ?? '';
  const componentId = astro.params['componentId'] ?? '';
  const access = await enterAdmin(astro, opts.adminOnly ? { spaceId: id } : { spaceId: id, evaluateComponentId: componentId });
  if (access instanceof Response) return access;
  const [ctx, space, org] = await Promise.all([getAdminContext(claims, componentId), getSpaceById(claims, id), requestOrganization(astro.locals)]);
  if (!ctx || !space || ctx.spaceId !== space.id) return astro.rewrite('/404');
  if (opts.adminOnly && !ctx.isAdmin) return astro.rewrite(`/${locale}/forbidden`);
  return {
    access,
    ctx,
    space,
    org,
    base: `/${locale}/admin/spaces/${space.id}/components/${ctx.componentId}`,
    publicHref: `${spaceHref(locale, space.kind, space.slug)}/f/${ctx.componentId}`,
  };
}

/** The same gate for file endpoints (exports): a plain 401/403/404 instead of pages. */
export async function proposalsAdminContext(context: APIContext): Promise<AdminContext | Response> {
  const id = context.params['id'] ?? '';
  const componentId = context.params['componentId'] ?? '';
  const gate = await adminGate(context.locals, context.url, { spaceId: id, evaluateComponentId: componentId });
  if (gate.kind === 'sign-in') return new Response('Unauthorized', { status: 401 });
  if (gate.kind === 'forbidden') return new Response('Forbidden', { status: 403 });
  const ctx = await getAdminContext(context.locals.claims, componentId);
  if (!ctx || ctx.spaceId !== id) return new Response('Not found', { status: 404 });
  return ctx;
}
