import type { Claims } from '../../lib/db/index.ts';
import type { Result } from '../../lib/forms/index.ts';
import { managedQuestion, managerWrite } from './write.server.ts';

/** Moves a question one place up or down (keyboard buttons: no drag needed). */
export async function moveQuestion(claims: Claims | null, input: { id: string; direction: 'up' | 'down' }): Promise<Result<{ questionnaireId: string; questionId: string }>> {
  return managerWrite(
    claims,
    async (tx) => {
      const { questionnaireId } = await managedQuestion(tx, input.id);
      await tx`select public.form_move_question(${input.id}, ${input.direction === 'up' ? -1 : 1})`;
      return { questionnaireId, questionId: input.id };
    },
    'question',
  );
}
