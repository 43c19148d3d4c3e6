import type { Claims } from '../../../lib/db/index.ts';
import type { Result } from '../../../lib/forms/index.ts';
import type { MergeProposalsInput } from './inputs.ts';
import { adminWrite } from './write.server.ts';

/**
 * Merges the ticked proposals into a new one with all their authors; the originals are withdrawn
 * (public.merge_proposals: space admins, one component).
 */
export async function mergeProposals(claims: Claims | null, input: MergeProposalsInput): Promise<Result<{ id: string }>> {
  return adminWrite(claims, async (tx) => {
    const [row] = await tx<{ id: string }[]>`
      select public.merge_proposals(array(
        select p.id from public.proposals p where p.id = any (${input.ids}::uuid[]) and p.component_id = ${input.component_id}
      ), ${input.title}, ${input.body}) as id`;
    return { id: row!.id };
  });
}
