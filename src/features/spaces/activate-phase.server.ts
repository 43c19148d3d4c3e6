import { asUser } from '../../lib/db/index.ts';
import { guarded, Refusal } from '../../lib/forms/db-errors.ts';
import { failure, notOk, type Result } from '../../lib/forms/index.ts';
import { isSpaceAdmin } from './space-writes.server.ts';
import { PHASE_CONSTRAINTS, type PhaseRefInput, type SpaceContext } from './spaces.ts';

/**
 * Makes a phase the active one of its process (`public.activate_phase`, run as the user: RLS
 * lets only the process's admins change phases). From then on every component of the process
 * behaves by this phase's settings.
 */
export async function activatePhase(ctx: SpaceContext, input: PhaseRefInput): Promise<Result<{ spaceId: string }>> {
  if (!ctx.claims) return notOk(failure(401, 'error.unauthorized'));
  return guarded(
    () =>
      asUser(ctx.claims, async (tx) => {
        const [phase] = await tx<{ space_id: string }[]>`select space_id from public.phases where id = ${input.phase_id}`;
        if (!phase) throw new Refusal(failure(404, 'error.not_found'));
        if (!(await isSpaceAdmin(tx, phase.space_id))) throw new Refusal(failure(403, 'error.forbidden'));
        await tx`select public.activate_phase(${input.phase_id}::uuid)`;
        // The function runs as the caller: for someone who may not edit phases, RLS turns its
        // updates into no-ops rather than errors. Check the outcome.
        const [row] = await tx<{ space_id: string; active: boolean }[]>`
          select space_id, active from public.phases where id = ${input.phase_id}`;
        if (!row) throw new Refusal(failure(404, 'error.not_found'));
        if (!row.active) throw new Refusal(failure(403, 'error.forbidden'));
        return { spaceId: row.space_id };
      }),
    PHASE_CONSTRAINTS,
  );
}
