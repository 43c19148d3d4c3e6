import { asUser } from '../../lib/db/index.ts';
import { guarded, Refusal } from '../../lib/forms/db-errors.ts';
import { failure, notOk, type Result } from '../../lib/forms/index.ts';
import { missingOrForbidden } from './space-writes.server.ts';
import { SPACE_CONSTRAINTS, type PublishSpaceInput, type SpaceContext } from './spaces.ts';

/**
 * Publishes or unpublishes a space (RLS: its admins). Publishing again keeps the first
 * publication date; the action log records "publish" / "unpublish".
 */
export async function publishSpace(ctx: SpaceContext, input: PublishSpaceInput): Promise<Result<{ published: boolean }>> {
  if (!ctx.claims) return notOk(failure(401, 'error.unauthorized'));
  return guarded(
    () =>
      asUser(ctx.claims, async (tx) => {
        const rows = await tx`
          update public.spaces
          set published_at = ${input.publish ? tx`coalesce(published_at, now())` : tx`null`}
          where id = ${input.space_id}
          returning id`;
        if (rows.length === 0) throw new Refusal(await missingOrForbidden(tx, 'spaces', input.space_id));
        return { published: input.publish };
      }),
    SPACE_CONSTRAINTS,
  );
}
