import { asUser, type Claims } from '../../lib/db/index.ts';
import { guarded, Refusal } from '../../lib/forms/db-errors.ts';
import { failure, notOk, ok, type Result } from '../../lib/forms/index.ts';
import type { ComponentRefInput } from './components.ts';

/** Removes a component and its content (RLS: the space's admins). */
export async function deleteComponent(claims: Claims | null, input: ComponentRefInput): Promise<Result<{ spaceId: string }>> {
  if (!claims) return notOk(failure(401, 'error.unauthorized'));
  const r = await guarded(() =>
    asUser(claims, async (tx) => {
      const [row] = await tx<{ space_id: string }[]>`delete from public.components where id = ${input.component_id} returning space_id`;
      if (!row) {
        const visible = await tx`select 1 from public.components where id = ${input.component_id}`;
        throw new Refusal(visible.length > 0 ? failure(403, 'error.forbidden') : failure(404, 'error.not_found'));
      }
      return { spaceId: row.space_id };
    }),
  );
  return r.ok ? ok(r.value) : notOk(r.failure);
}
