import type { Claims, Tx } from '../../lib/db/index.ts';
import { Refusal } from '../../lib/forms/db-errors.ts';
import { failure, type Result } from '../../lib/forms/index.ts';
import { managedQuestion, managerWrite } from './write.server.ts';

/*
 * The three things done to an existing option or matrix row from the question's page: move it
 * up or down, duplicate it, delete it (after confirming). Each is one statement of the database
 * (form_move_part, form_duplicate_part, delete), which keeps positions and the lock.
 */

async function questionOfPart(tx: Tx, id: string): Promise<{ questionnaireId: string; questionId: string }> {
  const [row] = await tx<{ question_id: string }[]>`
    select question_id from public.form_options where id = ${id}
    union all select question_id from public.form_matrix_rows where id = ${id}`;
  if (!row) throw new Refusal(failure(404, 'error.not_found'));
  const { questionnaireId } = await managedQuestion(tx, row.question_id);
  return { questionnaireId, questionId: row.question_id };
}

export async function movePart(claims: Claims | null, input: { id: string; direction: 'up' | 'down' }): Promise<Result<{ questionnaireId: string; questionId: string }>> {
  return managerWrite(
    claims,
    async (tx) => {
      const ref = await questionOfPart(tx, input.id);
      await tx`select public.form_move_part(${input.id}, ${input.direction === 'up' ? -1 : 1})`;
      return ref;
    },
    'part',
  );
}

export async function duplicatePart(claims: Claims | null, input: { id: string }): Promise<Result<{ questionnaireId: string; questionId: string }>> {
  return managerWrite(
    claims,
    async (tx) => {
      const ref = await questionOfPart(tx, input.id);
      await tx`select public.form_duplicate_part(${input.id})`;
      return ref;
    },
    'part',
  );
}

export async function deletePart(claims: Claims | null, input: { id: string }): Promise<Result<{ questionnaireId: string; questionId: string }>> {
  return managerWrite(
    claims,
    async (tx) => {
      const ref = await questionOfPart(tx, input.id);
      await tx`delete from public.form_options where id = ${input.id}`;
      await tx`delete from public.form_matrix_rows where id = ${input.id}`;
      return ref;
    },
    'part',
  );
}
