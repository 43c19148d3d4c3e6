import { asUser } from '../../lib/db/index.ts';
import { guarded, Refusal } from '../../lib/forms/db-errors.ts';
import { failure, notOk, type Result } from '../../lib/forms/index.ts';
import { PHASE_CONSTRAINTS, type MovePhaseInput, type SpaceContext } from './spaces.ts';

/**
 * Moves a phase one place up or down by swapping positions with its neighbour (the uniqueness
 * of positions is checked at commit, so the swap is one statement). At an end: nothing to do.
 */
export async function movePhase(ctx: SpaceContext, input: MovePhaseInput): Promise<Result<{ spaceId: string }>> {
  if (!ctx.claims) return notOk(failure(401, 'error.unauthorized'));
  return guarded(
    () =>
      asUser(ctx.claims, async (tx) => {
        const [phase] = await tx<{ space_id: string; position: number }[]>`
          select space_id, position from public.phases where id = ${input.phase_id}`;
        if (!phase) throw new Refusal(failure(404, 'error.not_found'));
        const [neighbour] = input.direction === 'up'
          ? await tx<{ id: string; position: number }[]>`
              select id, position from public.phases where space_id = ${phase.space_id} and position < ${phase.position}
              order by position desc limit 1`
          : await tx<{ id: string; position: number }[]>`
              select id, position from public.phases where space_id = ${phase.space_id} and position > ${phase.position}
              order by position limit 1`;
        if (!neighbour) return { spaceId: phase.space_id };
        const rows = await tx`
          update public.phases
          set position = case when id = ${input.phase_id} then ${neighbour.position}::int else ${phase.position}::int end
          where id in (${input.phase_id}, ${neighbour.id})
          returning id`;
        if (rows.length !== 2) throw new Refusal(failure(403, 'error.forbidden'));
        return { spaceId: phase.space_id };
      }),
    PHASE_CONSTRAINTS,
  );
}
