import { asUser } from '../../lib/db/index.ts';
import { guarded, Refusal } from '../../lib/forms/db-errors.ts';
import { failure, notOk, type Result } from '../../lib/forms/index.ts';
import { missingOrForbidden } from './space-writes.server.ts';
import type { DeleteSpaceInput, SpaceContext, SpaceKind } from './spaces.ts';

/**
 * Deletes a space with its phases, components and their content (RLS: organization admins).
 * The slug must be typed again: a deletion cannot be undone.
 */
export async function deleteSpace(ctx: SpaceContext, input: DeleteSpaceInput): Promise<Result<{ kind: SpaceKind }>> {
  if (!ctx.claims) return notOk(failure(401, 'error.unauthorized'));
  return guarded(() =>
    asUser(ctx.claims, async (tx) => {
      const [space] = await tx<{ slug: string; kind: SpaceKind }[]>`select slug, kind from public.spaces where id = ${input.space_id}`;
      if (!space) throw new Refusal(failure(404, 'error.not_found'));
      if (space.slug !== input.confirm_slug) throw new Refusal(failure(422, 'spaces.validation.confirm_slug', { field: 'confirm_slug' }));
      const rows = await tx`delete from public.spaces where id = ${input.space_id} returning id`;
      if (rows.length === 0) throw new Refusal(await missingOrForbidden(tx, 'spaces', input.space_id));
      return { kind: space.kind };
    }),
  );
}
