import type { Claims } from '../../lib/db/index.ts';
import { Refusal } from '../../lib/forms/db-errors.ts';
import { failure, type Result } from '../../lib/forms/index.ts';
import type { QuestionKind } from './forms.ts';
import type { UpdateQuestionInput } from './inputs.ts';
import { managedQuestion, managerWrite } from './write.server.ts';

/**
 * Saves a question: what each kind takes is kept, the rest cleared (a max of choices only for
 * multiple choices, characters for texts, the scale for a scale), so the database's checks hold.
 */
export async function updateQuestion(claims: Claims | null, input: UpdateQuestionInput): Promise<Result<{ questionnaireId: string; questionId: string }>> {
  return managerWrite(
    claims,
    async (tx) => {
      const { questionnaireId } = await managedQuestion(tx, input.question_id);
      const kind: QuestionKind = input.kind;
      if (kind !== 'separator' && Object.keys(input.body).length === 0) throw new Refusal(failure(422, 'validation.required', { field: 'body' }));
      const layout = kind === 'separator' || kind === 'title_and_description';
      const maxChoices = kind === 'multiple_option' || kind === 'matrix_multiple' ? input.max_choices : null;
      const maxCharacters = kind === 'short_answer' || kind === 'long_answer' ? input.max_characters : null;
      const scale = kind === 'scale';
      if (scale && input.scale_max === null) throw new Refusal(failure(422, 'validation.required', { field: 'scale_max' }));
      await tx`
        update public.form_questions set
          kind = ${kind}, body = ${tx.json(input.body)}, description = ${tx.json(input.description)},
          mandatory = ${layout ? false : input.mandatory}, max_choices = ${maxChoices}, max_characters = ${maxCharacters},
          scale_max = ${scale ? input.scale_max : null},
          scale_min_label = ${tx.json(scale ? input.scale_min_label : {})}, scale_max_label = ${tx.json(scale ? input.scale_max_label : {})}
        where id = ${input.question_id}`;
      return { questionnaireId, questionId: input.question_id };
    },
    'kind',
  );
}
