import { asUser, type Claims } from '../../lib/db/index.ts';
import { guarded } from '../../lib/forms/db-errors.ts';
import { failure, notOk, ok, type Result } from '../../lib/forms/index.ts';
import type { FollowSpaceInput } from './notifications.ts';

/**
 * Follows (or stops following) a space: its news reach the person (RLS: published spaces they
 * see; a space they cannot see is refused like one that does not exist).
 */
export async function followSpace(claims: Claims | null, input: FollowSpaceInput): Promise<Result<{ spaceId: string; following: boolean }>> {
  if (!claims?.sub) return notOk(failure(401, 'error.unauthorized'));
  const follow = input.follow === '1';
  const r = await guarded(() =>
    asUser(claims, async (tx) => {
      if (follow) {
        const seen = await tx`select 1 from public.spaces where id = ${input.space_id} and published_at is not null`;
        if (seen.length === 0) return false;
        await tx`insert into public.space_follows (space_id) values (${input.space_id}) on conflict do nothing`;
      } else {
        await tx`delete from public.space_follows where space_id = ${input.space_id} and user_id = ${claims.sub ?? null}`;
      }
      return true;
    }),
  );
  if (!r.ok) return notOk(r.failure);
  if (!r.value) return notOk(failure(404, 'error.not_found'));
  return ok({ spaceId: input.space_id, following: follow });
}
