import type { Claims } from '../../lib/db/index.ts';
import type { Result } from '../../lib/forms/index.ts';
import type { CommentIdInput } from './comments.ts';
import { writeOnComment } from './update-one.server.ts';
import type { CommentRef } from './write.server.ts';

/** The author deletes their comment: it stays in the thread as "deleted", its text gone. */
export async function deleteComment(claims: Claims | null, input: CommentIdInput): Promise<Result<CommentRef>> {
  return writeOnComment(claims, input.comment_id, (tx) => tx`
    update public.comments set deleted_at = now()
    where id = ${input.comment_id} and author_id = (select auth.uid()) and deleted_at is null`);
}
