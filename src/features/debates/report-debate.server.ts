import type { Claims } from '../../lib/db/index.ts';
import type { Result } from '../../lib/forms/index.ts';
import type { ReportDebateInput } from './inputs.ts';
import { gateDebate, participate, type DebateRef } from './participate.server.ts';

/**
 * Reports a debate to the space's moderators, once per person; the third report hides it pending
 * review (the database does it), after which the reporter no longer sees it: `visible` says so.
 */
export async function reportDebate(claims: Claims | null, input: ReportDebateInput): Promise<Result<DebateRef>> {
  return participate(claims, async (tx) => {
    const g = await gateDebate(tx, input.debate_id);
    await tx`insert into public.reports (resource_type, resource_id, reason, details) values ('debate', ${input.debate_id}, ${input.reason}, ${input.details.trim()})`;
    const [still] = await tx`select 1 from public.debates where id = ${input.debate_id}`;
    return { id: g.id, componentId: g.component_id, visible: !!still };
  });
}
