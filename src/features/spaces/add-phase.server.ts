import { asUser, jsonb } from '../../lib/db/index.ts';
import { guarded, Refusal } from '../../lib/forms/db-errors.ts';
import { failure, notOk, type Result } from '../../lib/forms/index.ts';
import { isSpaceAdmin } from './space-writes.server.ts';
import { PHASE_CONSTRAINTS, type AddPhaseInput, type SpaceContext } from './spaces.ts';

/**
 * Adds a phase at the end of a process (RLS: its admins). The first phase of a process becomes
 * its active one (trigger); the database refuses phases in assemblies and reversed dates.
 */
export async function addPhase(ctx: SpaceContext, input: AddPhaseInput): Promise<Result<{ id: string; spaceId: string }>> {
  if (!ctx.claims) return notOk(failure(401, 'error.unauthorized'));
  return guarded(
    () =>
      asUser(ctx.claims, async (tx) => {
        if (!(await isSpaceAdmin(tx, input.space_id))) throw new Refusal(failure(403, 'error.forbidden'));
        const [row] = await tx<{ id: string }[]>`
          insert into public.phases (space_id, position, title, description, start_date, end_date, cta_text, cta_path)
          values (${input.space_id},
            (select coalesce(max(p.position), 0) + 1 from public.phases p where p.space_id = ${input.space_id}),
            ${jsonb(tx, input.title)}, ${jsonb(tx, input.description)}, ${input.start_date}::date, ${input.end_date}::date,
            ${jsonb(tx, input.cta_text)}, ${input.cta_path})
          returning id`;
        if (!row) throw new Error('insert returned no row');
        return { id: row.id, spaceId: input.space_id };
      }),
    PHASE_CONSTRAINTS,
  );
}
