import type { Claims } from '../../lib/db/index.ts';
import { Refusal } from '../../lib/forms/db-errors.ts';
import { failure, type Result } from '../../lib/forms/index.ts';
import type { TakePositionInput } from './inputs.ts';
import { ARGUMENT_CONSTRAINTS, closedRefusal, gateDebate, participate, type DebateRef } from './participate.server.ts';

/**
 * A person's position in a debate: one, changed as often as they like while the debate takes
 * arguments (the key makes it single; concurrent clicks end with the last one); `null` drops it.
 */
export async function takePosition(claims: Claims | null, input: TakePositionInput): Promise<Result<DebateRef>> {
  return participate(
    claims,
    async (tx) => {
      const g = await gateDebate(tx, input.debate_id);
      if (input.alignment === null) {
        await tx`delete from public.debate_positions where debate_id = ${input.debate_id} and user_id = (select auth.uid())`;
        return { id: g.id, componentId: g.component_id };
      }
      if (g.refusal) throw closedRefusal(g.refusal, 'alignment');
      const [allowed] = await tx<{ ok: boolean }[]>`select coalesce(private.component_allows(${g.component_id}::uuid, 'comment'), false) as ok`;
      if (!allowed?.ok) throw new Refusal(failure(403, 'debates.error.argumentsClosed', { field: 'alignment' }));
      await tx`
        insert into public.debate_positions (debate_id, alignment) values (${input.debate_id}, ${input.alignment})
        on conflict (debate_id, user_id) do update set alignment = excluded.alignment`;
      return { id: g.id, componentId: g.component_id };
    },
    ARGUMENT_CONSTRAINTS,
  );
}
