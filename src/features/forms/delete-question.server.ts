import type { Claims } from '../../lib/db/index.ts';
import type { Result } from '../../lib/forms/index.ts';
import { managedQuestion, managerWrite } from './write.server.ts';

/** Deletes a question (its options, rows, conditions and the conditions on it go with it). */
export async function deleteQuestion(claims: Claims | null, input: { question_id: string }): Promise<Result<{ questionnaireId: string }>> {
  return managerWrite(
    claims,
    async (tx) => {
      const { questionnaireId } = await managedQuestion(tx, input.question_id);
      await tx`delete from public.form_questions where id = ${input.question_id}`;
      return { questionnaireId };
    },
    'question',
  );
}
