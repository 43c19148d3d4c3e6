import type { Claims } from '../../lib/db/index.ts';
import type { Result } from '../../lib/forms/index.ts';
import { managedQuestion, managerWrite } from './write.server.ts';

/** Copies a question with its options, rows and conditions, right after it. */
export async function duplicateQuestion(claims: Claims | null, input: { question_id: string }): Promise<Result<{ questionnaireId: string; questionId: string }>> {
  return managerWrite(
    claims,
    async (tx) => {
      const { questionnaireId } = await managedQuestion(tx, input.question_id);
      const [row] = await tx<{ id: string }[]>`select public.form_duplicate_question(${input.question_id}) as id`;
      return { questionnaireId, questionId: row!.id };
    },
    'question',
  );
}
