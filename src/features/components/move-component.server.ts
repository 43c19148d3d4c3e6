import { asUser, type Claims } from '../../lib/db/index.ts';
import { guarded, Refusal } from '../../lib/forms/db-errors.ts';
import { failure, notOk, ok, type Result } from '../../lib/forms/index.ts';
import type { MoveComponentInput } from './components.ts';

/**
 * Moves a component one place up or down in its space's menu: the components are numbered in
 * their current order with the two swapped, and only the weights that change are written.
 */
export async function moveComponent(claims: Claims | null, input: MoveComponentInput): Promise<Result<{ spaceId: string }>> {
  if (!claims) return notOk(failure(401, 'error.unauthorized'));
  const r = await guarded(() =>
    asUser(claims, async (tx) => {
      const [target] = await tx<{ space_id: string }[]>`select space_id from public.components where id = ${input.component_id}`;
      if (!target) throw new Refusal(failure(404, 'error.not_found'));
      const siblings = await tx<{ id: string; weight: number }[]>`
        select id, weight from public.components where space_id = ${target.space_id} order by weight, created_at, id`;
      const order = siblings.map((s) => s.id);
      const at = order.indexOf(input.component_id);
      const to = input.direction === 'up' ? at - 1 : at + 1;
      if (at < 0 || to < 0 || to >= order.length) return { spaceId: target.space_id };
      [order[at], order[to]] = [order[to]!, order[at]!];
      for (const [weight, id] of order.entries()) {
        if (siblings.find((s) => s.id === id)?.weight === weight) continue;
        const rows = await tx`update public.components set weight = ${weight} where id = ${id} returning id`;
        if (rows.length === 0) throw new Refusal(failure(403, 'error.forbidden'));
      }
      return { spaceId: target.space_id };
    }),
  );
  return r.ok ? ok(r.value) : notOk(r.failure);
}
