import type { Claims } from '../../lib/db/index.ts';
import { Refusal } from '../../lib/forms/db-errors.ts';
import { failure, type Result } from '../../lib/forms/index.ts';
import type { AddArgumentInput } from './inputs.ts';
import { ARGUMENT_CONSTRAINTS, closedRefusal, gateDebate, participate } from './participate.server.ts';

/**
 * An argument: a comment on the debate with its side. The database refuses it when the debate is
 * closed, withdrawn, hidden or outside its window, when the phase blocks comments, and checks its
 * length; the author's position follows the side they argue. Reading the gate first only turns
 * those refusals into a clear message next to the text.
 */
export async function addArgument(claims: Claims | null, input: AddArgumentInput): Promise<Result<{ id: string; debateId: string; componentId: string }>> {
  return participate(
    claims,
    async (tx) => {
      const g = await gateDebate(tx, input.debate_id);
      if (g.refusal) throw closedRefusal(g.refusal);
      const [allowed] = await tx<{ ok: boolean }[]>`select coalesce(private.component_allows(${g.component_id}::uuid, 'comment'), false) as ok`;
      if (!allowed?.ok) throw new Refusal(failure(403, 'debates.error.argumentsClosed', { field: 'body' }));
      const [row] = await tx<{ id: string }[]>`
        insert into public.comments (resource_type, resource_id, component_id, alignment, body)
        values ('debate', ${input.debate_id}, ${g.component_id}, ${input.alignment}, ${input.body})
        returning id`;
      return { id: row!.id, debateId: g.id, componentId: g.component_id };
    },
    ARGUMENT_CONSTRAINTS,
  );
}
