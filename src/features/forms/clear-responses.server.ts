import type { Claims } from '../../lib/db/index.ts';
import type { Result } from '../../lib/forms/index.ts';
import { managerWrite, requireManager } from './write.server.ts';

/** Clears every answer of a form (its managers, after confirming), which unlocks its questions. */
export async function clearResponses(claims: Claims | null, input: { questionnaire_id: string }): Promise<Result<{ questionnaireId: string; cleared: number }>> {
  return managerWrite(claims, async (tx) => {
    await requireManager(tx, input.questionnaire_id);
    const [row] = await tx<{ n: number }[]>`select public.form_clear_responses(${input.questionnaire_id}) as n`;
    return { questionnaireId: input.questionnaire_id, cleared: row?.n ?? 0 };
  });
}
