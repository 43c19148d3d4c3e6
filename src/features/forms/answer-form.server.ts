import { asUser, type Claims, type Tx } from '../../lib/db/index.ts';
import { Refusal } from '../../lib/forms/db-errors.ts';
import { failure, fieldFailures, notOk, ok, type Failure, type Result } from '../../lib/forms/index.ts';
import type { Message } from '../../lib/i18n/issues.ts';
import { answersFromFields, formPages, validateAnswers, type Answers, type FieldValues, type FormAccess, type Questionnaire } from './forms.ts';
import { loadQuestionnaire, readAccess } from './queries.server.ts';
import { formsFailure, problemParams } from './write.server.ts';

/*
 * A page of the participant form, posted (with or without JavaScript): its answers join the
 * draft, then "next" checks the page (the conditions applied to what was answered so far),
 * "back" and "save" keep the draft as it is, "submit" checks every page and hands the answers
 * to form_submit, which checks them all again and keeps them once.
 */

export type AnswerIntent = 'next' | 'back' | 'save' | 'submit';

export interface AnswerFormInput {
  questionnaireId: string;
  /** The page posted, 1-based. */
  page: number;
  intent: AnswerIntent;
  fields: FieldValues;
  /** The browser's token (visitors), from its cookie. */
  visitorToken: string | null;
  termsAccepted: boolean;
  locale: string;
  /** The browser's address, for the visitors' rate limit (as PostgREST's request.headers gives it). */
  clientAddress: string | null;
}

export type AnswerOutcome = { kind: 'page'; page: number } | { kind: 'done'; responseId: string };

/** A failure of a page: its field errors (question id → message) and the page to show them on. */
export interface AnswerFailure extends Failure {
  page?: number;
}

async function setClientAddress(tx: Tx, address: string | null) {
  await tx`select set_config('request.headers', ${JSON.stringify({ 'x-forwarded-for': address ?? '' })}, true)`;
}

async function saveDraft(tx: Tx, q: Questionnaire, answers: Answers, page: number, token: string | null) {
  await tx`select public.form_save_draft(${q.id}, ${tx.json(answers as never)}, ${page}, ${token})`;
}

function accessFailure(access: FormAccess): Failure | null {
  if (access.answered) return failure(409, 'forms.error.form_responses_once');
  if (!access.open) return failure(403, 'forms.error.form_closed');
  if (!access.answer) return failure(access.visitors ? 403 : 401, access.visitors ? 'forms.error.form_forbidden' : 'forms.error.form_sign_in');
  return null;
}

export async function answerForm(claims: Claims | null, input: AnswerFormInput): Promise<Result<AnswerOutcome>> {
  let questions: Questionnaire['questions'] = [];
  try {
    const outcome = await asUser(claims, async (tx) => {
      const q = await loadQuestionnaire(tx, { id: input.questionnaireId });
      if (!q) throw new Refusal(failure(404, 'error.not_found'));
      questions = q.questions;
      const access = await readAccess(tx, q.id, input.visitorToken);
      const refused = accessFailure(access);
      if (refused) throw new Refusal(refused);
      if (!claims && !input.visitorToken) throw new Refusal(failure(400, 'forms.error.form_visitor_token'));
      const pages = formPages(q.questions);
      const page = Math.min(Math.max(1, input.page), pages.length);
      const here = pages[page - 1] ?? [];
      const [draftRow] = await tx<{ draft: { answers: Answers } | null }[]>`select public.form_draft(${q.id}, ${input.visitorToken}) as draft`;
      const ids = new Set(here.map((x) => x.id));
      // The draft, this page's answers replaced by what was posted.
      const answers: Answers = Object.fromEntries(Object.entries(draftRow?.draft?.answers ?? {}).filter(([id]) => !ids.has(id)));
      Object.assign(answers, answersFromFields(here, input.fields));

      if (input.intent === 'back' || input.intent === 'save') {
        const to = input.intent === 'back' ? Math.max(1, page - 1) : page;
        await saveDraft(tx, q, answers, to, input.visitorToken);
        return { kind: 'page', page: to } as const;
      }
      const last = input.intent === 'submit' || page === pages.length;
      // Answers to questions the conditions hide are dropped: without JavaScript, nobody could know.
      const check = validateAnswers(q.questions, answers, { dropHidden: true, ...(last ? {} : { only: ids }) });
      const problems = Object.entries(check.problems);
      const termsMissing = last && access.terms && !input.termsAccepted;
      if (problems.length > 0 || termsMissing) {
        // Keep what was typed (a reload shows it again), then refuse.
        await saveDraft(tx, q, answers, page, input.visitorToken);
        return { kind: 'problems', check, page, pages, termsMissing } as const;
      }
      if (!last) {
        await saveDraft(tx, q, check.given, page + 1, input.visitorToken);
        return { kind: 'page', page: page + 1 } as const;
      }
      await setClientAddress(tx, input.clientAddress);
      const [row] = await tx<{ id: string }[]>`
        select public.form_submit(${q.id}, ${tx.json(check.given as never)}, ${input.visitorToken}, ${input.termsAccepted}, ${input.locale}) as id`;
      return { kind: 'done', responseId: row!.id } as const;
    });
    if (outcome.kind !== 'problems') return ok(outcome);
    const { check, pages } = outcome;
    const fields: Record<string, Message> = {};
    for (const [id, p] of Object.entries(check.problems)) {
      const params = p.params ?? problemParams(questions.find((x) => x.id === id), p.rule);
      fields[id] = params ? { key: `forms.error.${p.rule}`, params } : { key: `forms.error.${p.rule}` };
    }
    if (outcome.termsMissing) fields['terms'] = { key: 'forms.error.form_terms' };
    // The first page with a problem is the one to show.
    const firstPage = pages.findIndex((p) => p.some((x) => x.id in check.problems)) + 1;
    const f: AnswerFailure = { ...fieldFailures(422, fields), page: firstPage > 0 ? firstPage : outcome.page };
    return notOk(f);
  } catch (err) {
    if (err instanceof Refusal) return notOk(err.failure);
    const f = formsFailure(err, questions);
    if (f) return notOk(f);
    throw err;
  }
}
