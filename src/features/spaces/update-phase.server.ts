import { asUser, jsonb } from '../../lib/db/index.ts';
import { guarded, Refusal } from '../../lib/forms/db-errors.ts';
import { failure, notOk, type Result } from '../../lib/forms/index.ts';
import { missingOrForbidden } from './space-writes.server.ts';
import { PHASE_CONSTRAINTS, type SpaceContext, type UpdatePhaseInput } from './spaces.ts';

/** Saves a phase (RLS: the process's admins). Dates in reverse order are a field error on the end date. */
export async function updatePhase(ctx: SpaceContext, input: UpdatePhaseInput): Promise<Result<{ spaceId: string }>> {
  if (!ctx.claims) return notOk(failure(401, 'error.unauthorized'));
  return guarded(
    () =>
      asUser(ctx.claims, async (tx) => {
        const [row] = await tx<{ space_id: string }[]>`
          update public.phases set
            title = ${jsonb(tx, input.title)}, description = ${jsonb(tx, input.description)},
            start_date = ${input.start_date}::date, end_date = ${input.end_date}::date,
            cta_text = ${jsonb(tx, input.cta_text)}, cta_path = ${input.cta_path}
          where id = ${input.phase_id}
          returning space_id`;
        if (!row) throw new Refusal(await missingOrForbidden(tx, 'phases', input.phase_id));
        return { spaceId: row.space_id };
      }),
    PHASE_CONSTRAINTS,
  );
}
