import type { Claims } from '../../../lib/db/index.ts';
import { jsonb } from '../../../lib/db/index.ts';
import { Refusal } from '../../../lib/forms/db-errors.ts';
import { failure, type Result } from '../../../lib/forms/index.ts';
import type { UpdateOfficialDebateInput } from '../inputs.ts';
import { gateDebate, participate, type DebateRef } from '../participate.server.ts';

/** The organization edits one of its debates: text, taxonomy, dates (its time zone), instructions and updates. */
export async function updateOfficialDebate(claims: Claims | null, input: UpdateOfficialDebateInput): Promise<Result<DebateRef>> {
  return participate(claims, async (tx) => {
    const g = await gateDebate(tx, input.debate_id);
    if (!g.admin || !g.official) throw new Refusal(failure(403, 'error.forbidden'));
    if (g.closed) throw new Refusal(failure(422, 'debates.error.closed'));
    await tx`
      update public.debates set title = ${input.title}, description = ${input.description}, taxonomy_id = ${input.taxonomy_id},
        starts_at = ${input.starts_at}::timestamp at time zone (select time_zone from public.organization limit 1),
        ends_at = ${input.ends_at}::timestamp at time zone (select time_zone from public.organization limit 1),
        instructions = ${jsonb(tx, input.instructions)}, information_updates = ${jsonb(tx, input.information_updates)}
      where id = ${input.debate_id}`;
    return { id: g.id, componentId: g.component_id };
  });
}
