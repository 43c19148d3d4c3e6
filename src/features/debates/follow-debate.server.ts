import type { Claims } from '../../lib/db/index.ts';
import type { Result } from '../../lib/forms/index.ts';
import type { DebateIdInput } from './inputs.ts';
import { gateDebate, participate, type DebateRef } from './participate.server.ts';

/** Follows a debate one can see (closed ones too); following twice changes nothing. */
export async function followDebate(claims: Claims | null, input: DebateIdInput): Promise<Result<DebateRef>> {
  return participate(claims, async (tx) => {
    const g = await gateDebate(tx, input.debate_id);
    await tx`insert into public.follows (resource_type, resource_id) values ('debate', ${input.debate_id}) on conflict do nothing`;
    return { id: g.id, componentId: g.component_id };
  });
}

export async function unfollowDebate(claims: Claims | null, input: DebateIdInput): Promise<Result<DebateRef>> {
  return participate(claims, async (tx) => {
    const g = await gateDebate(tx, input.debate_id);
    await tx`delete from public.follows where resource_type = 'debate' and resource_id = ${input.debate_id} and user_id = (select auth.uid())`;
    return { id: g.id, componentId: g.component_id };
  });
}
