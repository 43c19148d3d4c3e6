import type { Claims } from '../../lib/db/index.ts';
import { Refusal } from '../../lib/forms/db-errors.ts';
import { failure, type Result } from '../../lib/forms/index.ts';
import type { PostIdInput } from './blog.ts';
import { onPost, type PostRef } from './write.server.ts';

/** A space admin deletes a post (its comments, likes, follows and versions go with it). */
export async function deletePost(claims: Claims | null, input: PostIdInput): Promise<Result<PostRef>> {
  return onPost(claims, input.post_id, async (tx, post) => {
    const r = await tx`delete from public.blog_posts where id = ${post.id}`;
    if (r.count === 0) throw new Refusal(failure(403, 'error.forbidden'));
    return post;
  });
}
