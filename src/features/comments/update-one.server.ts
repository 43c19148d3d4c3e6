import { asUser, type Claims, type Tx } from '../../lib/db/index.ts';
import { guarded, Refusal } from '../../lib/forms/db-errors.ts';
import { failure, notOk, type Result } from '../../lib/forms/index.ts';
import { COMMENT_CONSTRAINTS, type CommentRef } from './write.server.ts';

/**
 * The shape every write on one existing comment takes: signed in, the comment visible, one
 * statement that RLS and the update trigger judge (no row changed: 403).
 */
export async function writeOnComment(
  claims: Claims | null,
  commentId: string,
  write: (tx: Tx) => Promise<{ count: number }>,
): Promise<Result<CommentRef>> {
  if (!claims) return notOk(failure(401, 'error.unauthorized'));
  return guarded(
    () =>
      asUser(claims, async (tx) => {
        const [c] = await tx<{ resource_type: string; resource_id: string }[]>`
          select resource_type, resource_id from public.comments where id = ${commentId}`;
        if (!c) throw new Refusal(failure(404, 'error.not_found'));
        const done = await write(tx);
        if (done.count === 0) throw new Refusal(failure(403, 'error.forbidden'));
        return { id: commentId, resourceType: c.resource_type, resourceId: c.resource_id };
      }),
    COMMENT_CONSTRAINTS,
  );
}
