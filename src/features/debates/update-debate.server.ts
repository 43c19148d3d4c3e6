import type { Claims } from '../../lib/db/index.ts';
import { Refusal } from '../../lib/forms/db-errors.ts';
import { failure, type Result } from '../../lib/forms/index.ts';
import type { UpdateDebateInput } from './inputs.ts';
import { gateDebate, participate, type DebateRef } from './participate.server.ts';

/** The author edits their debate's text within the edit window, while it is open (the database's rule). */
export async function updateDebate(claims: Claims | null, input: UpdateDebateInput): Promise<Result<DebateRef>> {
  return participate(claims, async (tx) => {
    const g = await gateDebate(tx, input.debate_id);
    if (!g.author) throw new Refusal(failure(403, 'error.forbidden'));
    if (g.withdrawn) throw new Refusal(failure(422, 'debates.error.withdrawn'));
    if (g.closed) throw new Refusal(failure(422, 'debates.error.closed'));
    await tx`update public.debates set title = ${input.title}, description = ${input.description}, taxonomy_id = ${input.taxonomy_id}
             where id = ${input.debate_id}`;
    return { id: g.id, componentId: g.component_id };
  });
}
