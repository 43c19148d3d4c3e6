import { asUser, type Claims } from '../../lib/db/index.ts';
import { guarded, Refusal } from '../../lib/forms/db-errors.ts';
import { failure, notOk, ok, type Result } from '../../lib/forms/index.ts';
import type { PublishComponentInput } from './components.ts';

/** Publishes or unpublishes a component (RLS: the space's admins); the log says which. */
export async function publishComponent(claims: Claims | null, input: PublishComponentInput): Promise<Result<{ spaceId: string }>> {
  if (!claims) return notOk(failure(401, 'error.unauthorized'));
  const r = await guarded(() =>
    asUser(claims, async (tx) => {
      const [row] = await tx<{ space_id: string }[]>`
        update public.components
        set published_at = ${input.publish ? tx`coalesce(published_at, now())` : tx`null`}
        where id = ${input.component_id}
        returning space_id`;
      if (!row) {
        const visible = await tx`select 1 from public.components where id = ${input.component_id}`;
        throw new Refusal(visible.length > 0 ? failure(403, 'error.forbidden') : failure(404, 'error.not_found'));
      }
      return { spaceId: row.space_id };
    }),
  );
  return r.ok ? ok(r.value) : notOk(r.failure);
}
