import type { Claims } from '../../lib/db/index.ts';
import type { Result } from '../../lib/forms/index.ts';
import type { HideCommentInput } from './comments.ts';
import { writeOnComment } from './update-one.server.ts';
import type { CommentRef } from './write.server.ts';

/** A space moderator (or admin) hides a comment pending review, or makes it visible again. */
export async function hideComment(claims: Claims | null, input: HideCommentInput): Promise<Result<CommentRef>> {
  return writeOnComment(claims, input.comment_id, (tx) =>
    input.hidden
      ? tx`update public.comments set hidden_at = now() where id = ${input.comment_id} and hidden_at is null`
      : tx`update public.comments set hidden_at = null where id = ${input.comment_id} and hidden_at is not null`,
  );
}
