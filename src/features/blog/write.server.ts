import { asUser, type Claims, type Tx } from '../../lib/db/index.ts';
import { guarded, Refusal, type ConstraintMap } from '../../lib/forms/db-errors.ts';
import { failure, notOk, ok, type Result } from '../../lib/forms/index.ts';

/** The database's refusals of a post, as the fields they are about. */
export const POST_CONSTRAINTS: ConstraintMap = {
  blog_posts_title: { field: 'title', key: 'validation.invalid' },
  blog_posts_body: { field: 'body', key: 'validation.invalid' },
  blog_posts_component_feature: { key: 'error.not_found' },
};

export interface PostRef {
  id: string;
  componentId: string;
}

/**
 * A write on a post as the signed-in person (RLS and the triggers decide); a post they may not
 * see is not found. `fn` gets the post's component (checked visible first).
 */
export async function onPost<T extends PostRef>(claims: Claims | null, postId: string, fn: (tx: Tx, post: PostRef) => Promise<T>): Promise<Result<T>> {
  if (!claims?.sub) return notOk(failure(401, 'error.unauthorized'));
  const r = await guarded(
    () =>
      asUser(claims, async (tx) => {
        const [post] = await tx<{ id: string; component_id: string }[]>`select id, component_id from public.blog_posts where id = ${postId}`;
        if (!post) throw new Refusal(failure(404, 'error.not_found'));
        return fn(tx, { id: post.id, componentId: post.component_id });
      }),
    POST_CONSTRAINTS,
  );
  return r.ok ? ok(r.value) : r;
}
