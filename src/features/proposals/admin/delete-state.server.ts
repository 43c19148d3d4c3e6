import type { Claims } from '../../../lib/db/index.ts';
import { Refusal } from '../../../lib/forms/db-errors.ts';
import { failure, type Result } from '../../../lib/forms/index.ts';
import type { DeleteStateInput } from './inputs.ts';
import { adminWrite } from './write.server.ts';

/** Deletes a custom state; one still used by a proposal or an answer is kept (foreign keys). */
export async function deleteState(claims: Claims | null, input: DeleteStateInput): Promise<Result<{ id: string }>> {
  const inUse = { key: 'proposals.admin.error.stateInUse' };
  return adminWrite(
    claims,
    async (tx) => {
      const rows = await tx`delete from public.proposal_states where id = ${input.state_id} and component_id = ${input.component_id}`;
      if (rows.count === 0) throw new Refusal(failure(403, 'error.forbidden'));
      return { id: input.state_id };
    },
    { proposals_component_id_state_id_fkey: inUse, proposal_answers_component_id_state_id_fkey: inUse },
  );
}
