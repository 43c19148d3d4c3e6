import { asUser, jsonb } from '../../lib/db/index.ts';
import { guarded } from '../../lib/forms/db-errors.ts';
import { failure, notOk, type Result } from '../../lib/forms/index.ts';
import { setSpaceTaxonomies } from './space-writes.server.ts';
import { SPACE_CONSTRAINTS, type AssemblyFields, type SpaceContext } from './spaces.ts';

/**
 * Creates an assembly, unpublished (RLS: organization admins only). The parent must be an
 * assembly and the chain must not loop: the database checks both (field errors on the parent).
 */
export async function createAssembly(ctx: SpaceContext, input: AssemblyFields): Promise<Result<{ id: string; slug: string }>> {
  if (!ctx.claims) return notOk(failure(401, 'error.unauthorized'));
  return guarded(
    () =>
      asUser(ctx.claims, async (tx) => {
        const [row] = await tx<{ id: string; slug: string }[]>`
          insert into public.spaces (kind, slug, title, subtitle, short_description, description, hero_image_url,
            purpose, composition, assembly_type, parent_id, promoted, private)
          values ('assembly', ${input.slug}, ${jsonb(tx, input.title)}, ${jsonb(tx, input.subtitle)},
            ${jsonb(tx, input.short_description)}, ${jsonb(tx, input.description)}, ${input.hero_image_url},
            ${jsonb(tx, input.purpose)}, ${jsonb(tx, input.composition)}, ${input.assembly_type}, ${input.parent_id}::uuid,
            ${input.promoted}, ${input.private})
          returning id, slug`;
        if (!row) throw new Error('insert returned no row');
        await setSpaceTaxonomies(tx, row.id, input.taxonomies);
        return row;
      }),
    SPACE_CONSTRAINTS,
  );
}
