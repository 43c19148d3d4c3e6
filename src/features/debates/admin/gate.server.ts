import type { APIContext, AstroGlobal } from 'astro';
import { asUser, type Claims } from '../../../lib/db/index.ts';
import { adminGate, enterAdmin, type AdminAccess } from '../../admin/access.server.ts';
import type { Organization } from '../../organization/organization.ts';
import { requestOrganization } from '../../organization/queries.server.ts';
import { getSpaceById } from '../../spaces/queries.server.ts';
import { spaceHref, type SpaceDetail } from '../../spaces/spaces.ts';
import type { TranslatedText } from '../../../lib/i18n/translated.ts';
import { isUuid } from '../../../lib/ids.ts';

/*
 * The way into the debates admin pages (`/admin/spaces/<id>/components/<cid>/debates/…`): the
 * space's admins (and organization admins). Visitors go to sign-in, others get the 403 page; a
 * component that is not this space's debates component is a 404.
 */

export interface DebatesAdminContext {
  componentId: string;
  spaceId: string;
  name: TranslatedText;
}

export interface DebatesAdmin {
  access: AdminAccess;
  ctx: DebatesAdminContext;
  space: SpaceDetail;
  org: Organization;
  /** `/fr/admin/spaces/<id>/components/<cid>` */
  base: string;
  /** The component's public list. */
  publicHref: string;
}

async function componentOf(claims: Claims | null, componentId: string): Promise<DebatesAdminContext | null> {
  if (!isUuid(componentId)) return null;
  const [r] = await asUser(
    claims,
    (tx) => tx<{ id: string; space_id: string; name: TranslatedText }[]>`
      select id, space_id, name from public.components where id = ${componentId} and feature = 'debates'
        and coalesce(private.has_space_role(space_id, 'admin'), false)`,
  );
  return r ? { componentId: r.id, spaceId: r.space_id, name: r.name } : null;
}

export async function enterDebatesAdmin(astro: AstroGlobal): Promise<DebatesAdmin | Response> {
  const { locale, claims } = astro.locals;
  const id = astro.params['id'] ?? '';
  const access = await enterAdmin(astro, { spaceId: id });
  if (access instanceof Response) return access;
  const [ctx, space, org] = await Promise.all([componentOf(claims, astro.params['componentId'] ?? ''), getSpaceById(claims, id), requestOrganization(astro.locals)]);
  if (!ctx || !space || ctx.spaceId !== space.id) return astro.rewrite('/404');
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
export async function debatesAdminContext(context: APIContext): Promise<DebatesAdminContext | Response> {
  const id = context.params['id'] ?? '';
  const gate = await adminGate(context.locals, context.url, { spaceId: id });
  if (gate.kind === 'sign-in') return new Response('Unauthorized', { status: 401 });
  if (gate.kind === 'forbidden') return new Response('Forbidden', { status: 403 });
  const ctx = await componentOf(context.locals.claims, context.params['componentId'] ?? '');
  if (!ctx || ctx.spaceId !== id) return new Response('Not found', { status: 404 });
  return ctx;
}
