import type { Claims } from '../../lib/db/index.ts';
import type { Result } from '../../lib/forms/index.ts';
import type { ReportProposalInput } from './inputs.ts';
import { gateProposal, participate, type ProposalRef } from './participate.server.ts';

/**
 * Reports a proposal to the space's moderators, once per person (the primary key); the third
 * report hides it pending review (the database does it), after which the reporter no longer
 * sees it: `visible` says so, for the page to send them back to the list.
 */
export async function reportProposal(claims: Claims | null, input: ReportProposalInput): Promise<Result<ProposalRef>> {
  return participate(claims, async (tx) => {
    const g = await gateProposal(tx, input.proposal_id, null);
    await tx`insert into public.reports (resource_type, resource_id, reason, details) values ('proposal', ${input.proposal_id}, ${input.reason}, ${input.details.trim()})`;
    const [still] = await tx`select 1 from public.proposals where id = ${input.proposal_id} and hidden_at is null`;
    return { id: g.id, componentId: g.component_id, visible: !!still };
  });
}
