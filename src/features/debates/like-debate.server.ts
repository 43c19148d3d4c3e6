import type { Claims } from '../../lib/db/index.ts';
import { Refusal } from '../../lib/forms/db-errors.ts';
import { failure, type Result } from '../../lib/forms/index.ts';
import type { DebateIdInput } from './inputs.ts';
import { gateDebate, participate, type DebateRef } from './participate.server.ts';

/** Likes (Decidim's endorsements) where the active phase allows them, once per person; not on a withdrawn debate. */
export async function likeDebate(claims: Claims | null, input: DebateIdInput): Promise<Result<DebateRef>> {
  return participate(claims, async (tx) => {
    const g = await gateDebate(tx, input.debate_id);
    if (g.withdrawn || g.hidden) throw new Refusal(failure(422, g.withdrawn ? 'debates.error.withdrawn' : 'debates.error.hidden'));
    const [allowed] = await tx<{ ok: boolean }[]>`select coalesce(private.component_allows(${g.component_id}::uuid, 'like'), false) as ok`;
    if (!allowed?.ok) throw new Refusal(failure(403, 'debates.error.likesClosed'));
    await tx`insert into public.likes (resource_type, resource_id) values ('debate', ${input.debate_id})`;
    return { id: g.id, componentId: g.component_id };
  });
}

/** Takes a like back while likes are open. */
export async function unlikeDebate(claims: Claims | null, input: DebateIdInput): Promise<Result<DebateRef>> {
  return participate(claims, async (tx) => {
    const g = await gateDebate(tx, input.debate_id);
    await tx`delete from public.likes where resource_type = 'debate' and resource_id = ${input.debate_id} and user_id = (select auth.uid())`;
    return { id: g.id, componentId: g.component_id };
  });
}
