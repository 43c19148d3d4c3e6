import type { Claims } from '../../../lib/db/index.ts';
import { Refusal } from '../../../lib/forms/db-errors.ts';
import { failure, type Result } from '../../../lib/forms/index.ts';
import type { EvaluatorInput } from './inputs.ts';
import { adminWrite } from './write.server.ts';

/** Space admins take an evaluator off the ticked proposals. */
export async function unassignEvaluator(claims: Claims | null, input: EvaluatorInput): Promise<Result<{ count: number }>> {
  return adminWrite(claims, async (tx) => {
    const [who] = await tx<{ admin: boolean }[]>`
      select private.has_space_role(c.space_id, 'admin') as admin from public.components c where c.id = ${input.component_id}`;
    if (!who?.admin) throw new Refusal(failure(403, 'error.forbidden'));
    const rows = await tx`
      delete from public.proposal_evaluators e using public.proposals p
      where e.proposal_id = p.id and p.id = any (${input.ids}::uuid[]) and p.component_id = ${input.component_id}
        and e.user_id = ${input.evaluator_id}`;
    return { count: rows.count };
  });
}
