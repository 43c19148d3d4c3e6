import { asUser, type Claims, jsonb } from '../../lib/db/index.ts';
import { guarded, Refusal } from '../../lib/forms/db-errors.ts';
import { failure, notOk, ok, type Result } from '../../lib/forms/index.ts';
import type { SavePostInput } from './blog.ts';
import { POST_CONSTRAINTS, type PostRef } from './write.server.ts';

/**
 * A space admin writes or edits a post: signed by the organization or by themselves, out now or
 * at a time given in the organization's time zone (RLS and the triggers: the space's admins only;
 * a time in the past means now). A post of another component is not found.
 */
export async function savePost(claims: Claims | null, input: SavePostInput): Promise<Result<PostRef>> {
  if (!claims?.sub) return notOk(failure(401, 'error.unauthorized'));
  const author = input.signed_by === 'me' ? claims.sub : null;
  const r = await guarded(
    () =>
      asUser(claims, async (tx) => {
        const [comp] = await tx<{ feature: string; space_id: string; admin: boolean; tz: string }[]>`
          select c.feature, c.space_id, private.has_space_role(c.space_id, 'admin') as admin,
                 (select o.time_zone from public.organization o limit 1) as tz
          from public.components c where c.id = ${input.component_id}`;
        if (!comp || comp.feature !== 'blog') throw new Refusal(failure(404, 'error.not_found'));
        if (!comp.admin) throw new Refusal(failure(403, 'error.forbidden'));
        // The wall-clock time typed, read in the organization's zone (as every date on the site).
        const when = input.published_at;
        if (input.post_id) {
          const rows = await tx<{ id: string }[]>`
            update public.blog_posts
            set title = ${jsonb(tx, input.title)}, body = ${jsonb(tx, input.body)}, author_id = ${author},
                published_at = case when ${when}::text is null then published_at
                                    else greatest((${when}::timestamp at time zone ${comp.tz ?? 'UTC'}), least(published_at, now())) end
            where id = ${input.post_id} and component_id = ${input.component_id}
            returning id`;
          if (rows.length === 0) throw new Refusal(failure(404, 'error.not_found'));
          return { id: rows[0]!.id, componentId: input.component_id };
        }
        const [row] = await tx<{ id: string }[]>`
          insert into public.blog_posts (component_id, author_id, title, body, published_at)
          values (${input.component_id}, ${author}, ${jsonb(tx, input.title)}, ${jsonb(tx, input.body)},
                  coalesce((${when}::timestamp at time zone ${comp.tz ?? 'UTC'}), now()))
          returning id`;
        return { id: row!.id, componentId: input.component_id };
      }),
    POST_CONSTRAINTS,
  );
  return r.ok ? ok(r.value) : r;
}
