import { asUser, type Claims, type Tx } from '../../lib/db/index.ts';
import type { TranslatedText } from '../../lib/i18n/translated.ts';
import type { Answers, FormAccess, FormQuestion, FormResults, Questionnaire } from './forms.ts';

/*
 * Reads of the forms library, each as the caller (RLS and the owner's rules decide): a
 * questionnaire with its questions in one query, what the caller may do, their draft, the
 * results (tallies, through form_results), the free texts and the export rows (managers only).
 */

interface QuestionnaireRow {
  id: string;
  owner_type: string;
  owner_id: string;
  title: TranslatedText;
  description: TranslatedText;
  results_published_at: Date | null;
  results_live: boolean;
  questions: FormQuestion[] | null;
}

/** The questionnaire of an owner with its questions, options, rows and conditions, or null. */
export async function loadQuestionnaire(tx: Tx, where: { id: string } | { ownerType: string; ownerId: string }): Promise<Questionnaire | null> {
  const [row] = await tx<QuestionnaireRow[]>`
    select q.id, q.owner_type, q.owner_id, q.title, q.description, q.results_published_at, q.results_live,
      (select jsonb_agg(jsonb_build_object(
          'id', x.id, 'position', x.position, 'kind', x.kind, 'body', x.body, 'description', x.description,
          'mandatory', x.mandatory, 'maxChoices', x.max_choices, 'maxCharacters', x.max_characters, 'scaleMax', x.scale_max,
          'scaleMinLabel', x.scale_min_label, 'scaleMaxLabel', x.scale_max_label, 'resultsPublished', x.results_published,
          'options', coalesce((select jsonb_agg(jsonb_build_object('id', o.id, 'position', o.position, 'body', o.body, 'freeText', o.free_text) order by o.position)
                               from public.form_options o where o.question_id = x.id), '[]'),
          'rows', coalesce((select jsonb_agg(jsonb_build_object('id', m.id, 'position', m.position, 'body', m.body) order by m.position)
                            from public.form_matrix_rows m where m.question_id = x.id), '[]'),
          'conditions', coalesce((select jsonb_agg(jsonb_build_object('id', c.id, 'questionId', c.question_id, 'conditionQuestionId', c.condition_question_id,
                                   'kind', c.kind, 'optionId', c.option_id, 'pattern', c.pattern, 'mandatory', c.mandatory) order by c.created_at, c.id)
                                  from public.form_conditions c where c.question_id = x.id), '[]')
        ) order by x.position)
       from public.form_questions x where x.questionnaire_id = q.id) as questions
    from public.form_questionnaires q
    where ${'id' in where ? tx`q.id = ${where.id}` : tx`q.owner_type = ${where.ownerType} and q.owner_id = ${where.ownerId}`}`;
  if (!row) return null;
  return {
    id: row.id,
    ownerType: row.owner_type,
    ownerId: row.owner_id,
    title: row.title,
    description: row.description,
    resultsPublishedAt: row.results_published_at,
    resultsLive: row.results_live,
    questions: row.questions ?? [],
  };
}

export async function getQuestionnaire(claims: Claims | null, where: { id: string } | { ownerType: string; ownerId: string }): Promise<Questionnaire | null> {
  return asUser(claims, (tx) => loadQuestionnaire(tx, where));
}

const NO_ACCESS: FormAccess = { view: false, manage: false, open: false, answer: false, unverified: false, visitors: false, anonymous: false, terms: false, answered: false };

export async function readAccess(tx: Tx, questionnaireId: string, visitorToken: string | null): Promise<FormAccess> {
  const [row] = await tx<{ access: Partial<FormAccess> | null }[]>`select public.form_access(${questionnaireId}, ${visitorToken}) as access`;
  return { ...NO_ACCESS, ...(row?.access ?? {}) };
}

/** What the caller may do now, whether they answered, and their draft (answers and page). */
export async function getParticipation(
  claims: Claims | null,
  questionnaireId: string,
  visitorToken: string | null,
): Promise<{ access: FormAccess; draft: { answers: Answers; page: number } | null }> {
  return asUser(claims, async (tx) => {
    const access = await readAccess(tx, questionnaireId, visitorToken);
    if (!access.answer || access.answered) return { access, draft: null };
    const [row] = await tx<{ draft: { answers: Answers; at_page: number } | null }[]>`select public.form_draft(${questionnaireId}, ${visitorToken}) as draft`;
    return { access, draft: row?.draft ? { answers: row.draft.answers, page: row.draft.at_page } : null };
  });
}

/** Results as the caller may read them (all for managers, published questions for the public), or null. */
export async function getResults(claims: Claims | null, questionnaireId: string): Promise<FormResults | null> {
  const [row] = await asUser(claims, (tx) => tx<{ results: FormResults | null }[]>`select public.form_results(${questionnaireId}) as results`);
  return row?.results ?? null;
}

export interface FreeText {
  questionId: string;
  /** The option a free text details ("Autre : …"), or null for a text answer. */
  optionId: string | null;
  text: string;
}

/**
 * The latest free texts per question (text answers and options' details), at most `perQuestion`
 * each, with their totals. RLS: the form's managers only (others get nothing).
 */
export async function getFreeTexts(claims: Claims | null, questionnaireId: string, perQuestion = 20): Promise<{ texts: FreeText[]; totals: Record<string, number> }> {
  return asUser(claims, async (tx) => {
    // The latest first, through the (question, arrival) indexes: a top-N read, whatever the number of answers.
    const texts = await tx<{ question_id: string; option_id: string | null; text: string }[]>`
      select x.id as question_id, t.option_id, t.text
      from public.form_questions x
      cross join lateral (
        (select null::uuid as option_id, a.body as text, a.seq
         from public.form_answers a where a.question_id = x.id and a.body is not null
         order by a.seq desc limit ${perQuestion})
        union all
        (select c.option_id, c.free_text, c.seq
         from public.form_answer_choices c where c.question_id = x.id and c.free_text is not null
         order by c.seq desc limit ${perQuestion})
      ) t
      where x.questionnaire_id = ${questionnaireId} and x.kind in ('short_answer', 'long_answer', 'single_option', 'multiple_option')
      order by x.position, t.seq desc`;
    // A text question's total is its answered count (kept as answers arrive); options' details are counted.
    const totals = await tx<{ question_id: string; n: number }[]>`
      select x.id as question_id,
        case when x.kind in ('short_answer', 'long_answer')
             then coalesce((select t.count from public.form_tallies t where t.questionnaire_id = x.questionnaire_id and t.key = x.id::text), 0)
             else (select count(*)::int from public.form_answer_choices c where c.question_id = x.id and c.free_text is not null) end as n
      from public.form_questions x
      where x.questionnaire_id = ${questionnaireId} and x.kind in ('short_answer', 'long_answer', 'single_option', 'multiple_option')`;
    return {
      texts: texts.map((r) => ({ questionId: r.question_id, optionId: r.option_id, text: r.text })),
      totals: Object.fromEntries(totals.map((r) => [r.question_id, r.n])),
    };
  });
}

export interface ExportedResponse {
  id: string;
  createdAt: Date;
  anonymous: boolean;
  visitor: boolean;
  locale: string | null;
  answers: Record<string, { body: string | null; value: number | null; choices: { option: string; row: string | null; rank: number | null; free_text: string | null }[] }>;
}

/** Every submission with its answers, for the managers' exports (RLS: others read only their own). */
export async function exportResponses(claims: Claims | null, questionnaireId: string): Promise<ExportedResponse[]> {
  return asUser(claims, async (tx) => {
    const rows = await tx<{ id: string; created_at: Date; anonymous: boolean; visitor: boolean; locale: string | null; answers: ExportedResponse['answers'] | null }[]>`
      select r.id, r.created_at, r.anonymous, r.visitor, r.locale,
        (select jsonb_object_agg(a.question_id, jsonb_build_object(
            'body', a.body, 'value', a.value,
            'choices', coalesce((select jsonb_agg(jsonb_build_object('option', c.option_id, 'row', c.row_id, 'rank', c.rank, 'free_text', c.free_text)
                                                  order by c.row_id nulls first, c.rank nulls first, c.option_id)
                                 from public.form_answer_choices c where c.response_id = a.response_id and c.question_id = a.question_id), '[]')))
         from public.form_answers a where a.response_id = r.id) as answers
      from public.form_responses r
      where r.questionnaire_id = ${questionnaireId}
      order by r.created_at, r.id`;
    return rows.map((r) => ({ id: r.id, createdAt: r.created_at, anonymous: r.anonymous, visitor: r.visitor, locale: r.locale, answers: r.answers ?? {} }));
  });
}

/** How many submissions a questionnaire has (its managers; 0 for others). */
export async function countResponses(claims: Claims | null, questionnaireId: string): Promise<number> {
  const [row] = await asUser(claims, (tx) => tx<{ n: number }[]>`select count(*)::int as n from public.form_responses where questionnaire_id = ${questionnaireId}`);
  return row?.n ?? 0;
}

/** Whether the caller manages this questionnaire (the owner's rules). */
export async function isFormManager(claims: Claims | null, questionnaireId: string): Promise<boolean> {
  if (!claims) return false;
  const [row] = await asUser(claims, (tx) => tx<{ manage: boolean }[]>`select private.form_rule(${questionnaireId}, 'manage') as manage`);
  return row?.manage === true;
}
