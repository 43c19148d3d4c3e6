import type { Claims } from '../../lib/db/index.ts';
import { Refusal } from '../../lib/forms/db-errors.ts';
import { failure, type Result } from '../../lib/forms/index.ts';
import type { AddConditionInput } from './inputs.ts';
import { managedQuestion, managerWrite } from './write.server.ts';

/*
 * A question's display conditions: add one (on an earlier question of the form: the database
 * checks it, and the option's question, and that the pattern is a valid regular expression),
 * delete one (after confirming).
 */

export async function addCondition(claims: Claims | null, input: AddConditionInput): Promise<Result<{ questionnaireId: string; questionId: string }>> {
  return managerWrite(
    claims,
    async (tx) => {
      const { questionnaireId } = await managedQuestion(tx, input.question_id);
      const needsOption = input.kind === 'equal' || input.kind === 'not_equal';
      if (needsOption && !input.option_id) throw new Refusal(failure(422, 'validation.required', { field: 'option_id' }));
      if (input.kind === 'match' && !input.pattern) throw new Refusal(failure(422, 'validation.required', { field: 'pattern' }));
      await tx`
        insert into public.form_conditions (question_id, condition_question_id, kind, option_id, pattern, mandatory)
        values (${input.question_id}, ${input.condition_question_id}, ${input.kind}, ${needsOption ? (input.option_id ?? null) : null},
                ${input.kind === 'match' ? input.pattern : null}, ${input.mandatory})`;
      return { questionnaireId, questionId: input.question_id };
    },
    'condition_question_id',
  );
}

export async function deleteCondition(claims: Claims | null, input: { id: string }): Promise<Result<{ questionnaireId: string; questionId: string }>> {
  return managerWrite(
    claims,
    async (tx) => {
      const [row] = await tx<{ question_id: string }[]>`select question_id from public.form_conditions where id = ${input.id}`;
      if (!row) throw new Refusal(failure(404, 'error.not_found'));
      const { questionnaireId } = await managedQuestion(tx, row.question_id);
      await tx`delete from public.form_conditions where id = ${input.id}`;
      return { questionnaireId, questionId: row.question_id };
    },
    'condition',
  );
}
