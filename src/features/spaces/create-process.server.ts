import { asUser, jsonb } from '../../lib/db/index.ts';
import { guarded } from '../../lib/forms/db-errors.ts';
import { failure, notOk, type Result } from '../../lib/forms/index.ts';
import { setSpaceTaxonomies } from './space-writes.server.ts';
import { SPACE_CONSTRAINTS, type ProcessFields, type SpaceContext } from './spaces.ts';

/**
 * Creates a participatory process, unpublished (RLS: organization admins only). A slug already
 * taken is a field error on the slug; nothing is created.
 */
export async function createProcess(ctx: SpaceContext, input: ProcessFields): Promise<Result<{ id: string; slug: string }>> {
  if (!ctx.claims) return notOk(failure(401, 'error.unauthorized'));
  return guarded(
    () =>
      asUser(ctx.claims, async (tx) => {
        const [row] = await tx<{ id: string; slug: string }[]>`
          insert into public.spaces (kind, slug, title, subtitle, short_description, description, hero_image_url,
            start_date, end_date, promoted, private)
          values ('process', ${input.slug}, ${jsonb(tx, input.title)}, ${jsonb(tx, input.subtitle)},
            ${jsonb(tx, input.short_description)}, ${jsonb(tx, input.description)}, ${input.hero_image_url},
            ${input.start_date}::date, ${input.end_date}::date, ${input.promoted}, ${input.private})
          returning id, slug`;
        if (!row) throw new Error('insert returned no row');
        await setSpaceTaxonomies(tx, row.id, input.taxonomies);
        return row;
      }),
    SPACE_CONSTRAINTS,
  );
}
