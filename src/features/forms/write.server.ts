import { asUser, type Claims, type Tx } from '../../lib/db/index.ts';
import { dbFailure, Refusal } from '../../lib/forms/db-errors.ts';
import { failure, fieldFailures, notOk, ok, type Failure, type Result } from '../../lib/forms/index.ts';
import type { Message } from '../../lib/i18n/issues.ts';
import type { FormQuestion } from './forms.ts';

/*
 * How the database's "no" reaches a form of this library: its rules raise errors named after
 * their constraint (form_answer_required…, form_locked…) and, for an answer, the question in the
 * error's column. Each becomes the translated message `forms.error.<constraint>`, next to the
 * question or the field concerned.
 */

interface PgError {
  code?: unknown;
  constraint_name?: unknown;
  column_name?: unknown;
}

const FORM_LEVEL: Record<string, Failure['status']> = {
  form_closed: 403,
  form_sign_in: 401,
  form_forbidden: 403,
  form_responses_once: 409,
  form_rate_limited: 429,
  form_visitor_token: 400,
};

/** The params of an answer's message (its limit), from the question it is about. */
export function problemParams(q: FormQuestion | undefined, rule: string): Record<string, number> | undefined {
  if (!q) return undefined;
  if (rule === 'form_answer_too_long') return { max: q.maxCharacters ?? (q.kind === 'short_answer' ? 1000 : q.kind === 'long_answer' ? 10000 : 1000) };
  if (rule === 'form_answer_too_many') return { max: q.maxChoices ?? 1 };
  if (rule === 'form_answer_range') return { max: q.scaleMax ?? 0 };
  return undefined;
}

/**
 * A database error of the forms rules as a Failure: answers' problems next to their question,
 * the terms next to their box, the rest for the whole form (or the `field` given for structure
 * rules: `form_locked` on a builder form). Undefined for errors that are not the library's.
 */
export function formsFailure(err: unknown, questions: readonly FormQuestion[] = [], field?: string): Failure | undefined {
  if (!err || typeof err !== 'object') return undefined;
  const { constraint_name: constraint, column_name: column } = err as PgError;
  if (typeof constraint !== 'string' || !constraint.startsWith('form')) return undefined;
  const key = `forms.error.${constraint}`;
  if (constraint.startsWith('form_answer_')) {
    const q = questions.find((x) => x.id === column);
    const params = problemParams(q, constraint);
    const message: Message = params ? { key, params } : { key };
    if (typeof column === 'string' && column !== '') return fieldFailures(422, { [column]: message });
    return failure(422, key);
  }
  if (constraint === 'form_terms') return failure(422, key, { field: 'terms' });
  const status = FORM_LEVEL[constraint];
  if (status) return failure(status, key);
  return failure(422, key, field ? { field } : {});
}

/**
 * A builder write as the caller (RLS: the form's managers), with the library's errors and the
 * database's usual ones mapped; `field` is where structure rules (form_locked…) are shown.
 */
export async function managerWrite<T>(claims: Claims | null, write: (tx: Tx) => Promise<T>, field?: string): Promise<Result<T>> {
  if (!claims) return notOk(failure(401, 'error.unauthorized'));
  try {
    return ok(await asUser(claims, write));
  } catch (err) {
    if (err instanceof Refusal) return notOk(err.failure);
    const f = formsFailure(err, [], field) ?? dbFailure(err);
    if (f) return notOk(f);
    throw err;
  }
}

/** Refuses (and rolls back) unless the caller manages this questionnaire. */
export async function requireManager(tx: Tx, questionnaireId: string): Promise<void> {
  const [row] = await tx<{ manage: boolean }[]>`select private.form_rule(${questionnaireId}, 'manage') as manage`;
  if (!row?.manage) throw new Refusal(failure(403, 'error.forbidden'));
}

/** The questionnaire of a question, if the caller manages it (else a refusal). */
export async function managedQuestion(tx: Tx, questionId: string): Promise<{ questionnaireId: string; kind: string }> {
  const [row] = await tx<{ questionnaire_id: string; kind: string }[]>`select questionnaire_id, kind from public.form_questions where id = ${questionId}`;
  if (!row) throw new Refusal(failure(404, 'error.not_found'));
  await requireManager(tx, row.questionnaire_id);
  return { questionnaireId: row.questionnaire_id, kind: row.kind };
}
