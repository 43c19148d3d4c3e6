import type { Claims } from '../../lib/db/index.ts';
import { Refusal } from '../../lib/forms/db-errors.ts';
import { failure, type Result } from '../../lib/forms/index.ts';
import type { PostIdInput, ReportPostInput } from './blog.ts';
import { onPost, type PostRef } from './write.server.ts';

/*
 * Liking, following and reporting a post: rows of the shared layer (core likes, follows, reports),
 * whose policies ask the registry whether the post is open and the component allows it.
 */

export async function likePost(claims: Claims | null, input: PostIdInput, like: boolean): Promise<Result<PostRef>> {
  return onPost(claims, input.post_id, async (tx, post) => {
    if (like) await tx`insert into public.likes (resource_type, resource_id) values ('blog_post', ${post.id}) on conflict do nothing`;
    else await tx`delete from public.likes where resource_type = 'blog_post' and resource_id = ${post.id} and user_id = (select auth.uid())`;
    return post;
  });
}

export async function followPost(claims: Claims | null, input: PostIdInput, follow: boolean): Promise<Result<PostRef>> {
  return onPost(claims, input.post_id, async (tx, post) => {
    if (follow) await tx`insert into public.follows (resource_type, resource_id) values ('blog_post', ${post.id}) on conflict do nothing`;
    else await tx`delete from public.follows where resource_type = 'blog_post' and resource_id = ${post.id} and user_id = (select auth.uid())`;
    return post;
  });
}

/** Once per person; the third report hides the post pending review (the database does it). */
export async function reportPost(claims: Claims | null, input: ReportPostInput): Promise<Result<PostRef & { visible: boolean }>> {
  return onPost(claims, input.post_id, async (tx, post) => {
    await tx`insert into public.reports (resource_type, resource_id, reason, details) values ('blog_post', ${post.id}, ${input.reason}, ${input.details.trim()})`;
    const [still] = await tx`select 1 from public.blog_posts where id = ${post.id} and hidden_at is null`;
    return { ...post, visible: !!still };
  });
}

/** The space's moderators hide a post or show it again. */
export async function moderatePost(claims: Claims | null, input: PostIdInput, hide: boolean): Promise<Result<PostRef>> {
  return onPost(claims, input.post_id, async (tx, post) => {
    const r = await tx`update public.blog_posts set hidden_at = ${hide ? new Date() : null} where id = ${post.id}`;
    if (r.count === 0) throw new Refusal(failure(403, 'error.forbidden'));
    return post;
  });
}
