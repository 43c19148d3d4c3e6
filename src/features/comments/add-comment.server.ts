import { asUser, type Claims } from '../../lib/db/index.ts';
import { guarded, Refusal } from '../../lib/forms/db-errors.ts';
import { failure, notOk, type Result } from '../../lib/forms/index.ts';
import type { AddCommentInput } from './comments.ts';
import { COMMENT_CONSTRAINTS, type CommentRef } from './write.server.ts';

/**
 * Posts a comment on a resource, or a reply when `parent_id` is given (the database sets the
 * depth, refuses a fourth level, checks the length, the alignment and that commenting is open).
 * Asking `component_allows` first only turns the database's refusal into a clear message: a
 * closed phase says so instead of "forbidden".
 */
export async function addComment(claims: Claims | null, input: AddCommentInput): Promise<Result<CommentRef>> {
  if (!claims) return notOk(failure(401, 'error.unauthorized'));
  return guarded(
    () =>
      asUser(claims, async (tx) => {
        const [gate] = await tx<{ component: string | null; allowed: boolean; visible: boolean }[]>`
          select c as component, coalesce(private.component_allows(c, 'comment'), false) as allowed,
                 coalesce(private.can_view_component(c), false) as visible
          from (select private.comment_resource_component(${input.resource_type}, ${input.resource_id}::uuid) as c) x`;
        if (!gate?.component || !gate.visible) throw new Refusal(failure(404, 'error.not_found'));
        if (!gate.allowed) throw new Refusal(failure(403, 'comments.error.closed', { field: 'body' }));
        const [row] = await tx<{ id: string }[]>`
          insert into public.comments (resource_type, resource_id, component_id, parent_id, alignment, body)
          values (${input.resource_type}, ${input.resource_id}, ${gate.component}, ${input.parent_id ?? null}, ${input.alignment}, ${input.body})
          returning id`;
        return { id: row!.id, resourceType: input.resource_type, resourceId: input.resource_id };
      }),
    COMMENT_CONSTRAINTS,
  );
}
