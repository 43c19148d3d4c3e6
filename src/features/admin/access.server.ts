import type { AstroGlobal } from 'astro';
import { asUser, type Claims } from '../../lib/db/index.ts';
import { isUuid } from '../../lib/ids.ts';
import { featuresThat } from '../registry.ts';

/**
 * Who may enter the admin area: organization admins (everything) and space admins (their
 * spaces only). This decides what the admin pages show; what anyone may change is decided again
 * by RLS on every write.
 */

export interface AdminAccess {
  orgAdmin: boolean;
  /** Spaces where the person holds the admin role. */
  spaceIds: string[];
}

export async function getAdminAccess(claims: Claims | null): Promise<AdminAccess | null> {
  if (!claims?.sub) return null;
  const [row] = await asUser(
    claims,
    (tx) => tx<{ org_admin: boolean; space_ids: string[] }[]>`
      select private.is_org_admin() as org_admin,
        coalesce(array(select r.space_id from public.space_roles r where r.user_id = ${claims.sub ?? ''}::uuid and r.role = 'admin'), '{}') as space_ids`,
  );
  return { orgAdmin: row?.org_admin ?? false, spaceIds: row?.space_ids ?? [] };
}

export function canEnterAdmin(access: AdminAccess | null): access is AdminAccess {
  return !!access && (access.orgAdmin || access.spaceIds.length > 0);
}

export function canAdminSpace(access: AdminAccess | null, spaceId: string): boolean {
  return !!access && (access.orgAdmin || access.spaceIds.includes(spaceId));
}

export type AdminGate =
  | { kind: 'ok'; access: AdminAccess }
  | { kind: 'sign-in'; location: string }
  | { kind: 'forbidden' };

/**
 * The decision for an admin page: signed-out visitors go to sign-in (and come back), people
 * without an admin role get a 403, `need` narrows to organization admins or one space's admins.
 */
export interface AdminNeed {
  org?: boolean;
  spaceId?: string;
  moderateSpaceId?: string;
  /**
   * With `spaceId`: this component's admin pages are also open to the space's evaluators when it
   * is a feature with evaluated resources (the registry); what they see there is narrowed by RLS.
   */
  evaluateComponentId?: string;
}

/** Features whose admin pages a space's evaluators (not admins) may enter: the registry says. */
const EVALUATED_FEATURES = featuresThat('evaluated');

export async function adminGate(locals: App.Locals, url: URL, need: AdminNeed = {}): Promise<AdminGate> {
  if (!locals.user || !locals.claims) {
    return { kind: 'sign-in', location: `/${locals.locale}/sign-in?next=${encodeURIComponent(url.pathname + url.search)}` };
  }
  const access = await getAdminAccess(locals.claims);
  // A space's moderators (who are not admins) reach its moderation queue and nothing else.
  const moderated = need.moderateSpaceId;
  if (moderated !== undefined) {
    if (!isUuid(moderated)) return { kind: 'forbidden' };
    const [row] = await asUser(locals.claims, (tx) => tx<{ ok: boolean }[]>`select private.has_space_role(${moderated}::uuid, 'moderator') as ok`);
    return row?.ok && access ? { kind: 'ok', access } : { kind: 'forbidden' };
  }
  const evaluated = need.evaluateComponentId;
  if (evaluated !== undefined && need.spaceId !== undefined && access && !canAdminSpace(access, need.spaceId)) {
    if (!isUuid(evaluated) || !isUuid(need.spaceId)) return { kind: 'forbidden' };
    const spaceId = need.spaceId;
    const [row] = await asUser(
      locals.claims,
      (tx) => tx<{ ok: boolean }[]>`
        select exists (select 1 from public.space_roles r where r.space_id = ${spaceId}::uuid and r.user_id = auth.uid() and r.role = 'evaluator')
          and exists (select 1 from public.components c where c.id = ${evaluated}::uuid and c.space_id = ${spaceId}::uuid
                      and c.feature = any (${EVALUATED_FEATURES}::text[])) as ok`,
    );
    return row?.ok ? { kind: 'ok', access } : { kind: 'forbidden' };
  }
  if (!canEnterAdmin(access)) return { kind: 'forbidden' };
  if (need.org && !access.orgAdmin) return { kind: 'forbidden' };
  if (need.spaceId !== undefined && !canAdminSpace(access, need.spaceId)) return { kind: 'forbidden' };
  return { kind: 'ok', access };
}

/**
 * An admin page's way in: the person's access, or the response that turns them away (sign-in
 * and back for visitors, the 403 page for people without the role).
 */
export async function enterAdmin(astro: AstroGlobal, need: AdminNeed = {}): Promise<AdminAccess | Response> {
  const gate = await adminGate(astro.locals, astro.url, need);
  if (gate.kind === 'sign-in') return astro.redirect(gate.location, 303);
  if (gate.kind === 'forbidden') return astro.rewrite(`/${astro.locals.locale}/forbidden`);
  return gate.access;
}
