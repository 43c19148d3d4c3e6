import type { Claims } from '../../../lib/db/index.ts';
import { Refusal } from '../../../lib/forms/db-errors.ts';
import { failure, type Result } from '../../../lib/forms/index.ts';
import type { EvaluatorInput } from './inputs.ts';
import { adminWrite } from './write.server.ts';

/**
 * Space admins assign one of the space's evaluators to the ticked proposals (RLS: admins only,
 * and only people holding the evaluator role in the space); already assigned ones stay as they are.
 */
export async function assignEvaluator(claims: Claims | null, input: EvaluatorInput): Promise<Result<{ count: number }>> {
  return adminWrite(claims, async (tx) => {
    const [who] = await tx<{ admin: boolean; evaluator: boolean }[]>`
      select private.has_space_role(c.space_id, 'admin') as admin,
        exists (select 1 from public.space_roles r where r.space_id = c.space_id and r.user_id = ${input.evaluator_id} and r.role = 'evaluator') as evaluator
      from public.components c where c.id = ${input.component_id}`;
    if (!who?.admin) throw new Refusal(failure(403, 'error.forbidden'));
    if (!who.evaluator) throw new Refusal(failure(422, 'proposals.admin.error.evaluator', { field: 'evaluator_id' }));
    const rows = await tx`
      insert into public.proposal_evaluators (proposal_id, user_id)
      select p.id, ${input.evaluator_id}::uuid from public.proposals p
      where p.id = any (${input.ids}::uuid[]) and p.component_id = ${input.component_id}
      on conflict do nothing`;
    return { count: rows.count };
  });
}
