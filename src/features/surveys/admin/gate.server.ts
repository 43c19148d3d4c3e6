import type { APIContext, AstroGlobal } from 'astro';
import { adminGate, enterAdmin, type AdminAccess } from '../../admin/access.server.ts';
import { getComponent } from '../../components/queries.server.ts';
import type { ComponentView } from '../../../lib/components/manifest.ts';
import type { Organization } from '../../organization/organization.ts';
import { requestOrganization } from '../../organization/queries.server.ts';
import { getSpaceById } from '../../spaces/queries.server.ts';
import { spaceHref, type SpaceDetail } from '../../spaces/spaces.ts';
import { getSurvey } from '../queries.server.ts';
import type { Survey } from '../surveys.ts';

/**
 * The way into a survey's admin pages (`/admin/spaces/<id>/components/<cid>/survey/…`): the
 * space's admins (visitors go to sign-in, others get the 403 page); a component that is not this
 * space's survey is a 404. What they may change is decided again by the database.
 */
export interface SurveyAdmin {
  access: AdminAccess;
  space: SpaceDetail;
  org: Organization;
  component: ComponentView;
  survey: Survey;
  /** `/fr/admin/spaces/<id>/components/<cid>` */
  base: string;
  /** The survey's public page. */
  publicHref: string;
}

export async function enterSurveyAdmin(astro: AstroGlobal): Promise<SurveyAdmin | Response> {
  const { locale, claims } = astro.locals;
  const id = astro.params['id'] ?? '';
  const componentId = astro.params['componentId'] ?? '';
  const access = await enterAdmin(astro, { spaceId: id });
  if (access instanceof Response) return access;
  const [found, space, survey, org] = await Promise.all([getComponent(claims, componentId), getSpaceById(claims, id), getSurvey(claims, componentId), requestOrganization(astro.locals)]);
  if (!found || !space || !survey || found.component.spaceId !== space.id || found.component.feature !== 'surveys') return astro.rewrite('/404');
  return {
    access,
    space,
    org,
    component: found.component,
    survey,
    base: `/${locale}/admin/spaces/${space.id}/components/${componentId}`,
    publicHref: `${spaceHref(locale, space.kind, space.slug)}/f/${componentId}`,
  };
}

/** The same gate for file endpoints (exports): a plain 401/403/404 instead of pages. */
export async function surveyAdminContext(context: APIContext): Promise<{ survey: Survey; component: ComponentView } | Response> {
  const id = context.params['id'] ?? '';
  const componentId = context.params['componentId'] ?? '';
  const gate = await adminGate(context.locals, context.url, { spaceId: id });
  if (gate.kind === 'sign-in') return new Response('Unauthorized', { status: 401 });
  if (gate.kind === 'forbidden') return new Response('Forbidden', { status: 403 });
  const [found, survey] = await Promise.all([getComponent(context.locals.claims, componentId), getSurvey(context.locals.claims, componentId)]);
  if (!found || !survey || found.component.spaceId !== id || found.component.feature !== 'surveys') return new Response('Not found', { status: 404 });
  return { survey, component: found.component };
}
