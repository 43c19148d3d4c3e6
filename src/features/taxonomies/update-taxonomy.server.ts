import { asUser, type Claims, jsonb } from '../../lib/db/index.ts';
import { guarded, Refusal } from '../../lib/forms/db-errors.ts';
import { failure, notOk, type Result } from '../../lib/forms/index.ts';
import { TAXONOMY_CONSTRAINTS, type UpdateTaxonomyInput } from './taxonomies.ts';

/**
 * Renames or moves a taxonomy (RLS: organization admins). A taxonomy cannot be moved under
 * itself or one of its descendants (the database refuses the loop): field error on the parent.
 */
export async function updateTaxonomy(claims: Claims | null, input: UpdateTaxonomyInput): Promise<Result<{ id: string }>> {
  if (!claims) return notOk(failure(401, 'error.unauthorized'));
  return guarded(
    () =>
      asUser(claims, async (tx) => {
        const rows = await tx`
          update public.taxonomies
          set name = ${jsonb(tx, input.name)}, parent_id = ${input.parent_id}::uuid, weight = ${input.weight}
          where id = ${input.taxonomy_id}
          returning id`;
        if (rows.length === 0) {
          const visible = await tx`select 1 from public.taxonomies where id = ${input.taxonomy_id}`;
          throw new Refusal(visible.length > 0 ? failure(403, 'error.forbidden') : failure(404, 'error.not_found'));
        }
        return { id: input.taxonomy_id };
      }),
    TAXONOMY_CONSTRAINTS,
  );
}
