import type { Claims } from '../../lib/db/index.ts';
import type { Result } from '../../lib/forms/index.ts';
import type { EditCommentInput } from './comments.ts';
import { writeOnComment } from './update-one.server.ts';
import type { CommentRef } from './write.server.ts';

/** The author rewrites their comment (marked "edited"; the database keeps the previous text). */
export async function editComment(claims: Claims | null, input: EditCommentInput): Promise<Result<CommentRef>> {
  return writeOnComment(claims, input.comment_id, (tx) => tx`
    update public.comments set body = ${input.body}
    where id = ${input.comment_id} and author_id = (select auth.uid()) and deleted_at is null`);
}
