import type { Claims } from '../../lib/db/index.ts';
import { Refusal } from '../../lib/forms/db-errors.ts';
import { failure, type Result } from '../../lib/forms/index.ts';
import type { SavePartInput } from './inputs.ts';
import { managedQuestion, managerWrite } from './write.server.ts';

/** Adds an option (or a matrix row) at the end of its question, or edits one. */
export async function savePart(claims: Claims | null, input: SavePartInput): Promise<Result<{ questionnaireId: string; questionId: string }>> {
  return managerWrite(
    claims,
    async (tx) => {
      const { questionnaireId } = await managedQuestion(tx, input.question_id);
      if (input.part === 'option') {
        if (input.id) {
          const done = await tx`update public.form_options set body = ${tx.json(input.body)}, free_text = ${input.free_text} where id = ${input.id} and question_id = ${input.question_id}`;
          if (done.count === 0) throw new Refusal(failure(404, 'error.not_found'));
        } else {
          await tx`
            insert into public.form_options (question_id, position, body, free_text)
            select ${input.question_id}, coalesce(max(position), 0) + 1, ${tx.json(input.body)}, ${input.free_text}
            from public.form_options where question_id = ${input.question_id}`;
        }
      } else if (input.id) {
        const done = await tx`update public.form_matrix_rows set body = ${tx.json(input.body)} where id = ${input.id} and question_id = ${input.question_id}`;
        if (done.count === 0) throw new Refusal(failure(404, 'error.not_found'));
      } else {
        await tx`
          insert into public.form_matrix_rows (question_id, position, body)
          select ${input.question_id}, coalesce(max(position), 0) + 1, ${tx.json(input.body)}
          from public.form_matrix_rows where question_id = ${input.question_id}`;
      }
      return { questionnaireId, questionId: input.question_id };
    },
    'body',
  );
}
