import { asUser } from '../../lib/db/index.ts';
import { guarded, Refusal } from '../../lib/forms/db-errors.ts';
import { failure, notOk, type Result } from '../../lib/forms/index.ts';
import { missingOrForbidden } from './space-writes.server.ts';
import { PHASE_CONSTRAINTS, type PhaseRefInput, type SpaceContext } from './spaces.ts';

/**
 * Deletes a phase (RLS: the process's admins). Deleting the active phase hands activity to the
 * first remaining one (trigger), so a process with phases always has exactly one active.
 */
export async function deletePhase(ctx: SpaceContext, input: PhaseRefInput): Promise<Result<{ spaceId: string }>> {
  if (!ctx.claims) return notOk(failure(401, 'error.unauthorized'));
  return guarded(
    () =>
      asUser(ctx.claims, async (tx) => {
        const [row] = await tx<{ space_id: string }[]>`delete from public.phases where id = ${input.phase_id} returning space_id`;
        if (!row) throw new Refusal(await missingOrForbidden(tx, 'phases', input.phase_id));
        return { spaceId: row.space_id };
      }),
    PHASE_CONSTRAINTS,
  );
}
