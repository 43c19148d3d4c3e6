import type { Claims } from '../../lib/db/index.ts';
import type { Result } from '../../lib/forms/index.ts';
import type { OfficialAnswerInput } from './comments.ts';
import { writeOnComment } from './update-one.server.ts';
import type { CommentRef } from './write.server.ts';

/** A space admin marks (or unmarks) a comment as the organization's answer, shown apart. */
export async function markOfficialAnswer(claims: Claims | null, input: OfficialAnswerInput): Promise<Result<CommentRef>> {
  return writeOnComment(claims, input.comment_id, (tx) => tx`
    update public.comments set official = ${input.official} where id = ${input.comment_id} and deleted_at is null`);
}
