import { asUser } from '../../lib/db/index.ts';
import { guarded, Refusal } from '../../lib/forms/db-errors.ts';
import { failure, notOk, type Result } from '../../lib/forms/index.ts';
import { isSpaceAdmin } from './space-writes.server.ts';
import type { RemoveMemberInput, SpaceContext } from './spaces.ts';

/** Removes a private member from a space (RLS: the space's admins). Their account stays. */
export async function removeSpaceMember(ctx: SpaceContext, input: RemoveMemberInput): Promise<Result<null>> {
  if (!ctx.claims) return notOk(failure(401, 'error.unauthorized'));
  return guarded(() =>
    asUser(ctx.claims, async (tx) => {
      if (!(await isSpaceAdmin(tx, input.space_id))) throw new Refusal(failure(403, 'error.forbidden'));
      const rows = await tx`delete from public.space_members where space_id = ${input.space_id} and user_id = ${input.user_id} returning user_id`;
      if (rows.length === 0) throw new Refusal(failure(404, 'error.not_found'));
      return null;
    }),
  );
}
