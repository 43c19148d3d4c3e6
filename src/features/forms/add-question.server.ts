import type { z } from 'zod';
import type { Claims } from '../../lib/db/index.ts';
import type { Result } from '../../lib/forms/index.ts';
import type { addQuestionInput } from './inputs.ts';
import { managerWrite, requireManager } from './write.server.ts';

/**
 * Adds a question at the end of the form (the database refuses once the form has answers). A
 * graded scale starts at 1–5; the editor then sets the rest.
 */
export async function addQuestion(claims: Claims | null, input: z.infer<typeof addQuestionInput>): Promise<Result<{ questionnaireId: string; questionId: string }>> {
  return managerWrite(
    claims,
    async (tx) => {
      await requireManager(tx, input.questionnaire_id);
      // Body required except for a separator: the database says it too (form_questions_body).
      const body = Object.keys(input.body).length > 0 || input.kind === 'separator' ? input.body : { fr: '…' };
      const [row] = await tx<{ id: string }[]>`
        insert into public.form_questions (questionnaire_id, position, kind, body, scale_max)
        select ${input.questionnaire_id}, coalesce(max(position), 0) + 1, ${input.kind}, ${tx.json(body)}, ${input.kind === 'scale' ? 5 : null}
        from public.form_questions where questionnaire_id = ${input.questionnaire_id}
        returning id`;
      return { questionnaireId: input.questionnaire_id, questionId: row!.id };
    },
    'kind',
  );
}
