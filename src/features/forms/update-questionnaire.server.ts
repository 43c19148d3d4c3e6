import type { z } from 'zod';
import type { Claims } from '../../lib/db/index.ts';
import type { Result } from '../../lib/forms/index.ts';
import type { questionnaireDetailsInput } from './inputs.ts';
import { managerWrite, requireManager } from './write.server.ts';

/** The form's title and presentation (its managers; allowed even once answered). */
export async function updateQuestionnaire(claims: Claims | null, input: z.infer<typeof questionnaireDetailsInput>): Promise<Result<{ questionnaireId: string }>> {
  return managerWrite(claims, async (tx) => {
    await requireManager(tx, input.questionnaire_id);
    await tx`update public.form_questionnaires set title = ${tx.json(input.title)}, description = ${tx.json(input.description)} where id = ${input.questionnaire_id}`;
    return { questionnaireId: input.questionnaire_id };
  });
}
