import type { AstroGlobal } from 'astro';
import { enterAdmin, type AdminAccess } from '../../admin/access.server.ts';
import type { Organization } from '../../organization/organization.ts';
import { requestOrganization } from '../../organization/queries.server.ts';
import { getComponentInForce } from '../../components/queries.server.ts';
import { getSpaceById } from '../../spaces/queries.server.ts';
import { spaceHref, type SpaceDetail } from '../../spaces/spaces.ts';
import type { ComponentView } from '../../../lib/components/manifest.ts';
import { readBudgetsPhaseSettings, readBudgetsSettings, type BudgetsPhaseSettings, type BudgetsSettings } from '../manifest.ts';

/**
 * The way into the budgets admin pages (`/admin/spaces/<id>/components/<cid>/…`): the space's
 * admins. Visitors go to sign-in, others get the 403 page; a component that is not this space's
 * budgets component is a 404.
 */
export interface BudgetsAdmin {
  access: AdminAccess;
  component: ComponentView;
  settings: BudgetsSettings;
  phaseSettings: BudgetsPhaseSettings;
  space: SpaceDetail;
  org: Organization;
  /** `/fr/admin/spaces/<id>/components/<cid>` */
  base: string;
  /** The component's public page. */
  publicHref: string;
  spaceHref: string;
}

export async function enterBudgetsAdmin(astro: AstroGlobal): Promise<BudgetsAdmin | Response> {
  const { locale, claims } = astro.locals;
  const id = astro.params['id'] ?? '';
  const componentId = astro.params['componentId'] ?? '';
  const access = await enterAdmin(astro, { spaceId: id });
  if (access instanceof Response) return access;
  const [space, org] = await Promise.all([getSpaceById(claims, id), requestOrganization(astro.locals)]);
  const found = space ? await getComponentInForce(claims, space.id, componentId) : null;
  if (!found || !space || found.component.feature !== 'budgets') return astro.rewrite('/404');
  const href = spaceHref(locale, space.kind, space.slug);
  return {
    access,
    component: found.component,
    settings: readBudgetsSettings(found.settings),
    phaseSettings: readBudgetsPhaseSettings(found.activePhaseSettings),
    space,
    org,
    base: `/${locale}/admin/spaces/${space.id}/components/${componentId}`,
    publicHref: `${href}/f/${componentId}`,
    spaceHref: href,
  };
}
