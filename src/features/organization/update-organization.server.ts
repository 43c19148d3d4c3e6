import { asUser, type Claims, jsonb } from '../../lib/db/index.ts';
import { guarded, Refusal } from '../../lib/forms/db-errors.ts';
import { failure, notOk, type Result } from '../../lib/forms/index.ts';
import { ORGANIZATION_CONSTRAINTS, type UpdateOrganizationInput } from './organization.ts';

/**
 * Saves the organization's settings (RLS and column grants: organization admins only). The name
 * must exist in the default language (database check); a refusal names the field.
 */
export async function updateOrganization(claims: Claims | null, input: UpdateOrganizationInput): Promise<Result<null>> {
  if (!claims) return notOk(failure(401, 'error.unauthorized'));
  if (!input.name[input.default_locale]) {
    return notOk(failure(422, 'organization.validation.name_default_locale', { field: 'name' }));
  }
  return guarded(
    () =>
      asUser(claims, async (tx) => {
        const rows = await tx`
          update public.organization set
            name = ${jsonb(tx, input.name)}, description = ${jsonb(tx, input.description)},
            default_locale = ${input.default_locale}, contact_email = ${input.contact_email},
            colors = ${jsonb(tx, { primary: input.color_primary, secondary: input.color_secondary })},
            logo_url = ${input.logo_url}, terms_of_service = ${jsonb(tx, input.terms_of_service)},
            time_zone = ${input.time_zone}
          returning id`;
        if (rows.length === 0) throw new Refusal(failure(403, 'error.forbidden'));
        return null;
      }),
    ORGANIZATION_CONSTRAINTS,
  );
}
