import type { Claims } from '../../../lib/db/index.ts';
import { jsonb } from '../../../lib/db/index.ts';
import type { Result } from '../../../lib/forms/index.ts';
import type { AnswerProposalInput } from './inputs.ts';
import { adminWrite, gateAnswering } from './write.server.ts';

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
    const { componentId } = await gateAnswering(tx, input.proposal_id);
    const [row] = await tx<{ published_at: Date | null }[]>`
      insert into public.proposal_answers (proposal_id, state_id, answer, cost, cost_report, execution_period)
      values (${input.proposal_id}, ${input.state_id}, ${jsonb(tx, input.answer)}, ${input.cost}, ${jsonb(tx, input.cost_report)},
              ${jsonb(tx, input.execution_period)})
      on conflict (proposal_id) do update set state_id = excluded.state_id, answer = excluded.answer, cost = excluded.cost,
        cost_report = excluded.cost_report, execution_period = excluded.execution_period
      returning published_at`;
    return { proposalId: input.proposal_id, componentId, published: !!row?.published_at };
  });
}
