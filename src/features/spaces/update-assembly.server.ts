import { asUser, jsonb } from '../../lib/db/index.ts';
import { guarded, Refusal } from '../../lib/forms/db-errors.ts';
import { failure, notOk, type Result } from '../../lib/forms/index.ts';
import { missingOrForbidden, setSpaceTaxonomies } from './space-writes.server.ts';
import { SPACE_CONSTRAINTS, type SpaceContext, type UpdateAssemblyInput } from './spaces.ts';

/** Saves an assembly's information (RLS: its space admins and organization admins). */
export async function updateAssembly(ctx: SpaceContext, input: UpdateAssemblyInput): Promise<Result<{ id: string }>> {
  if (!ctx.claims) return notOk(failure(401, 'error.unauthorized'));
  return guarded(
    () =>
      asUser(ctx.claims, async (tx) => {
        const rows = await tx`
          update public.spaces set
            slug = ${input.slug}, title = ${jsonb(tx, input.title)}, subtitle = ${jsonb(tx, input.subtitle)},
            short_description = ${jsonb(tx, input.short_description)}, description = ${jsonb(tx, input.description)},
            hero_image_url = ${input.hero_image_url}, purpose = ${jsonb(tx, input.purpose)},
            composition = ${jsonb(tx, input.composition)}, assembly_type = ${input.assembly_type},
            parent_id = ${input.parent_id}::uuid, promoted = ${input.promoted}, private = ${input.private}
          where id = ${input.space_id} and kind = 'assembly'
          returning id`;
        if (rows.length === 0) throw new Refusal(await missingOrForbidden(tx, 'spaces', input.space_id));
        await setSpaceTaxonomies(tx, input.space_id, input.taxonomies);
        return { id: input.space_id };
      }),
    SPACE_CONSTRAINTS,
  );
}
