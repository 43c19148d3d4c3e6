import type { Claims } from '../../lib/db/index.ts';
import type { Result } from '../../lib/forms/index.ts';
import type { VoteCommentInput } from './comments.ts';
import { writeOnComment } from './update-one.server.ts';
import type { CommentRef } from './write.server.ts';

/**
 * Up or down on a comment, one vote per person (the primary key says so, even under concurrent
 * clicks): a new vote is cast, the other way changes it, the same way again withdraws it.
 */
export async function voteComment(claims: Claims | null, input: VoteCommentInput): Promise<Result<CommentRef>> {
  const value = input.value === 'up' ? 1 : -1;
  return writeOnComment(claims, input.comment_id, async (tx) => {
    const [mine] = await tx<{ value: number }[]>`
      select value from public.comment_votes where comment_id = ${input.comment_id} and user_id = (select auth.uid())`;
    if (mine?.value === value) {
      return tx`delete from public.comment_votes where comment_id = ${input.comment_id} and user_id = (select auth.uid())`;
    }
    return tx`
      insert into public.comment_votes (comment_id, value) values (${input.comment_id}, ${value})
      on conflict (comment_id, user_id) do update set value = excluded.value`;
  });
}
