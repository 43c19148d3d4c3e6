import type { Claims } from '../../lib/db/index.ts';
import type { Result } from '../../lib/forms/index.ts';
import type { ReportCommentInput } from './comments.ts';
import { writeOnComment } from './update-one.server.ts';
import type { CommentRef } from './write.server.ts';

/** Reports a comment (once per person); the third report hides it pending review (a trigger). */
export async function reportComment(claims: Claims | null, input: ReportCommentInput): Promise<Result<CommentRef>> {
  return writeOnComment(claims, input.comment_id, (tx) => tx`
    insert into public.reports (resource_type, resource_id, reason, details) values ('comment', ${input.comment_id}, ${input.reason}, ${input.details})`);
}
