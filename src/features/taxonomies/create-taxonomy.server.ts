import { asUser, type Claims, jsonb } from '../../lib/db/index.ts';
import { guarded } from '../../lib/forms/db-errors.ts';
import { failure, notOk, type Result } from '../../lib/forms/index.ts';
import { TAXONOMY_CONSTRAINTS, type CreateTaxonomyInput } from './taxonomies.ts';

/** Adds a taxonomy, at the root or under a parent (RLS: organization admins). */
export async function createTaxonomy(claims: Claims | null, input: CreateTaxonomyInput): Promise<Result<{ id: string }>> {
  if (!claims) return notOk(failure(401, 'error.unauthorized'));
  return guarded(
    () =>
      asUser(claims, async (tx) => {
        const [row] = await tx<{ id: string }[]>`
          insert into public.taxonomies (name, parent_id, weight)
          values (${jsonb(tx, input.name)}, ${input.parent_id}::uuid, ${input.weight})
          returning id`;
        if (!row) throw new Error('insert returned no row');
        return row;
      }),
    TAXONOMY_CONSTRAINTS,
  );
}
