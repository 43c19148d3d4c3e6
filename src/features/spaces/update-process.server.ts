import { asUser, jsonb } from '../../lib/db/index.ts';
import { guarded, Refusal } from '../../lib/forms/db-errors.ts';
import { failure, notOk, type Result } from '../../lib/forms/index.ts';
import { missingOrForbidden, setSpaceTaxonomies } from './space-writes.server.ts';
import { SPACE_CONSTRAINTS, type SpaceContext, type UpdateProcessInput } from './spaces.ts';

/** Saves a process's information (RLS: its space admins and organization admins). */
export async function updateProcess(ctx: SpaceContext, input: UpdateProcessInput): Promise<Result<{ id: string }>> {
  if (!ctx.claims) return notOk(failure(401, 'error.unauthorized'));
  return guarded(
    () =>
      asUser(ctx.claims, async (tx) => {
        const rows = await tx`
          update public.spaces set
            slug = ${input.slug}, title = ${jsonb(tx, input.title)}, subtitle = ${jsonb(tx, input.subtitle)},
            short_description = ${jsonb(tx, input.short_description)}, description = ${jsonb(tx, input.description)},
            hero_image_url = ${input.hero_image_url}, start_date = ${input.start_date}::date, end_date = ${input.end_date}::date,
            promoted = ${input.promoted}, private = ${input.private}
          where id = ${input.space_id} and kind = 'process'
          returning id`;
        if (rows.length === 0) throw new Refusal(await missingOrForbidden(tx, 'spaces', input.space_id));
        await setSpaceTaxonomies(tx, input.space_id, input.taxonomies);
        return { id: input.space_id };
      }),
    SPACE_CONSTRAINTS,
  );
}
