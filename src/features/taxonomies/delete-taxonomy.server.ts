import { asUser, type Claims } from '../../lib/db/index.ts';
import { guarded, Refusal } from '../../lib/forms/db-errors.ts';
import { failure, notOk, type Result } from '../../lib/forms/index.ts';
import type { DeleteTaxonomyInput } from './taxonomies.ts';

/** Deletes a taxonomy with its children; spaces tagged with them lose the tags (RLS: organization admins). */
export async function deleteTaxonomy(claims: Claims | null, input: DeleteTaxonomyInput): Promise<Result<null>> {
  if (!claims) return notOk(failure(401, 'error.unauthorized'));
  return guarded(() =>
    asUser(claims, async (tx) => {
      const rows = await tx`delete from public.taxonomies where id = ${input.taxonomy_id} returning id`;
      if (rows.length === 0) {
        const visible = await tx`select 1 from public.taxonomies where id = ${input.taxonomy_id}`;
        throw new Refusal(visible.length > 0 ? failure(403, 'error.forbidden') : failure(404, 'error.not_found'));
      }
      return null;
    }),
  );
}
