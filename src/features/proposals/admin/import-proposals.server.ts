import type { Claims } from '../../../lib/db/index.ts';
import type { Result } from '../../../lib/forms/index.ts';
import type { ImportProposalsInput } from './inputs.ts';
import { adminWrite } from './write.server.ts';

/**
 * Copies the published proposals of another proposals component (optionally only those in some
 * states) into this one; proposals already imported are not copied twice (public.import_proposals).
 */
export async function importProposals(claims: Claims | null, input: ImportProposalsInput): Promise<Result<{ count: number }>> {
  return adminWrite(claims, async (tx) => {
    const [row] = await tx<{ n: number }[]>`
      select public.import_proposals(${input.source_id}, ${input.component_id}, ${input.states}::text[]) as n`;
    return { count: row?.n ?? 0 };
  });
}
