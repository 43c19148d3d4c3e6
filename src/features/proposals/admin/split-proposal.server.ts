import type { Claims } from '../../../lib/db/index.ts';
import { jsonb } from '../../../lib/db/index.ts';
import type { Result } from '../../../lib/forms/index.ts';
import type { SplitProposalInput } from './inputs.ts';
import { adminWrite } from './write.server.ts';

/** Splits a proposal into several with the same authors; the original is withdrawn (public.split_proposal). */
export async function splitProposal(claims: Claims | null, input: SplitProposalInput): Promise<Result<{ ids: string[] }>> {
  return adminWrite(claims, async (tx) => {
    const [row] = await tx<{ ids: string[] }[]>`select public.split_proposal(${input.proposal_id}, ${jsonb(tx, input.parts)}) as ids`;
    return { ids: row?.ids ?? [] };
  });
}
