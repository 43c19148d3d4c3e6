import { asUser, type Claims } from '../../lib/db/index.ts';
import { DEFAULT_COLORS, FALLBACK_ORGANIZATION, type Organization } from './organization.ts';

interface OrganizationRow {
  name: Organization['name'];
  description: Organization['description'];
  default_locale: string;
  available_locales: string[];
  contact_email: string | null;
  logo_url: string | null;
  colors: { primary?: string; secondary?: string } | null;
  terms_of_service: Organization['termsOfService'];
  time_zone: string;
}

/** The organization, read as the visitor (RLS: public). */
export async function getOrganization(claims: Claims | null): Promise<Organization> {
  const rows = await asUser(
    claims,
    (tx) => tx<OrganizationRow[]>`
      select name, description, default_locale, available_locales, contact_email, logo_url, colors, terms_of_service, time_zone
      from public.organization limit 1`,
  );
  const row = rows[0];
  if (!row) return FALLBACK_ORGANIZATION;
  return {
    name: row.name,
    description: row.description,
    defaultLocale: row.default_locale,
    availableLocales: row.available_locales,
    contactEmail: row.contact_email,
    logoUrl: row.logo_url,
    colors: { primary: row.colors?.primary ?? DEFAULT_COLORS.primary, secondary: row.colors?.secondary ?? DEFAULT_COLORS.secondary },
    termsOfService: row.terms_of_service,
    timeZone: row.time_zone,
  };
}

/**
 * Same, but a page frame must render even when the database is down (the 500 page itself uses
 * it): failures give the fallback.
 */
export async function getOrganizationOrFallback(claims: Claims | null): Promise<Organization> {
  try {
    return await getOrganization(claims);
  } catch (err) {
    console.error('[organization] could not be read:', err instanceof Error ? err.message : err);
    return FALLBACK_ORGANIZATION;
  }
}

// The page and its layout both need the organization: one read per request, shared.
const perRequest = new WeakMap<App.Locals, Promise<Organization>>();

/** The organization for this request (read once, then shared by the page, its layout and parts). */
export function requestOrganization(locals: App.Locals): Promise<Organization> {
  let org = perRequest.get(locals);
  if (!org) {
    org = getOrganizationOrFallback(locals.claims);
    perRequest.set(locals, org);
  }
  return org;
}
