import type { AstroGlobal } from "astro";
import { translated, useTranslations } from "../../lib/i18n/index.ts";
import type { Organization } from "../organization/organization.ts";
import { requestOrganization } from "../organization/queries.server.ts";
import { spacesCatalog } from "../spaces/messages/index.ts";
import { getSpaceById } from "../spaces/queries.server.ts";
import { KIND_SEGMENT, type SpaceDetail } from "../spaces/spaces.ts";
import type { AdminAccess } from "./access.server.ts";

/**
 * What every page of a space's admin (`/admin/spaces/<id>/…`) loads once the person is let in
 * (enterAdmin, then the redirects after a form's success): the space in the path as the viewer
 * (404 when RLS hides it or it is not of `kind`), the organization, the space's title and the
 * breadcrumbs to it. A page returns the Response when it gets one.
 */
export interface SpaceAdmin {
  access: AdminAccess;
  space: SpaceDetail;
  org: Organization;
  /** The space's title in the viewer's language. */
  title: string;
  /** The admin menu's entry for the space's kind. */
  section: "processes" | "assemblies";
  /** The admin list of the space's kind (processes or assemblies). */
  listCrumb: { href: string; label: string };
  /** The list, then the space's admin. */
  crumbs: { href: string; label: string }[];
}

export async function loadSpaceAdmin(
  astro: AstroGlobal,
  access: AdminAccess,
  opts: { kind?: SpaceDetail["kind"] } = {},
): Promise<SpaceAdmin | Response> {
  const { locale, claims } = astro.locals;
  const [space, org] = await Promise.all([
    getSpaceById(claims, astro.params["id"] ?? ""),
    requestOrganization(astro.locals),
  ]);
  if (!space || (opts.kind && space.kind !== opts.kind))
    return astro.rewrite("/404");
  const t = useTranslations(locale, spacesCatalog);
  const title = translated(space.title, locale, org.defaultLocale);
  const listCrumb = {
    href: `/${locale}/admin/${KIND_SEGMENT[space.kind]}`,
    label: t(
      space.kind === "process"
        ? "spaces.admin.processes.title"
        : "spaces.admin.assemblies.title",
    ),
  };
  return {
    access,
    space,
    org,
    title,
    section: space.kind === "process" ? "processes" : "assemblies",
    listCrumb,
    crumbs: [
      listCrumb,
      { href: `/${locale}/admin/spaces/${space.id}`, label: title },
    ],
  };
}
