import type { Claims } from '../../lib/db/index.ts';
import { jsonb } from '../../lib/db/index.ts';
import { Refusal } from '../../lib/forms/db-errors.ts';
import { failure, type Result } from '../../lib/forms/index.ts';
import type { AnswerProposalInput } from './admin-inputs.ts';
import { adminWrite } from './admin-write.server.ts';

/**
 * A space admin or the proposal's evaluator writes (or rewrites) the internal answer. The
 * database publishes it at once or keeps it for a bulk publication (publish_answers_immediately),
 * refuses costs where they are off and states of another component.
 */
export async function answerProposal(
  claims: Claims | null,
  input: AnswerProposalInput,
): Promise<Result<{ proposalId: string; componentId: string; published: boolean }>> {
  return adminWrite(claims, async (tx) => {
    const [p] = await tx<{ component_id: string; allowed: boolean }[]>`
      select component_id, private.can_answer_proposal(id) as allowed from public.proposals where id = ${input.proposal_id}`;
    if (!p) throw new Refusal(failure(404, 'error.not_found'));
    if (!p.allowed) throw new Refusal(failure(403, 'error.forbidden'));
    const [row] = await tx<{ published_at: Date | null }[]>`
      insert into public.proposal_answers (proposal_id, state_id, answer, cost, cost_report, execution_period)
      values (${input.proposal_id}, ${input.state_id}, ${jsonb(tx, input.answer)}, ${input.cost}, ${jsonb(tx, input.cost_report)},
              ${jsonb(tx, input.execution_period)})
      on conflict (proposal_id) do update set state_id = excluded.state_id, answer = excluded.answer, cost = excluded.cost,
        cost_report = excluded.cost_report, execution_period = excluded.execution_period
      returning published_at`;
    return { proposalId: input.proposal_id, componentId: p.component_id, published: !!row?.published_at };
  });
}
