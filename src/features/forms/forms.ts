import type { TranslatedText } from '../../lib/i18n/translated.ts';

/*
 * The forms library's types and pure rules (no server imports: the participant form's script uses
 * them too). The rules are the database's (…040000_forms.sql: form_normalize, form_question_shown,
 * form_check_answer, form_validate) written again for friendly messages: the page shows every
 * problem next to its question at once, where the database stops at the first. tests/forms checks
 * that both agree.
 */

export const QUESTION_KINDS = [
  'short_answer',
  'long_answer',
  'single_option',
  'multiple_option',
  'sorting',
  'matrix_single',
  'matrix_multiple',
  'scale',
  'separator',
  'title_and_description',
] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];

export const OPTION_KINDS: readonly QuestionKind[] = ['single_option', 'multiple_option', 'sorting', 'matrix_single', 'matrix_multiple'];
export const MATRIX_KINDS: readonly QuestionKind[] = ['matrix_single', 'matrix_multiple'];
export const TEXT_KINDS: readonly QuestionKind[] = ['short_answer', 'long_answer'];
/** Layout blocks: no answer, no condition on them. A separator is also a page break. */
export const LAYOUT_KINDS: readonly QuestionKind[] = ['separator', 'title_and_description'];
export const CONDITION_KINDS = ['answered', 'not_answered', 'equal', 'not_equal', 'match'] as const;
export type ConditionKind = (typeof CONDITION_KINDS)[number];

export const isAnswerable = (k: QuestionKind) => !LAYOUT_KINDS.includes(k);
export const hasOptions = (k: QuestionKind) => OPTION_KINDS.includes(k);
export const isMatrix = (k: QuestionKind) => MATRIX_KINDS.includes(k);

/** The database's default limits for text answers and free texts. */
export const SHORT_MAX = 1000;
export const LONG_MAX = 10000;
export const FREE_TEXT_MAX = 1000;

export interface FormOption {
  id: string;
  position: number;
  body: TranslatedText;
  freeText: boolean;
}

export interface FormRow {
  id: string;
  position: number;
  body: TranslatedText;
}

export interface FormCondition {
  id: string;
  questionId: string;
  conditionQuestionId: string;
  kind: ConditionKind;
  optionId: string | null;
  pattern: string | null;
  mandatory: boolean;
}

export interface FormQuestion {
  id: string;
  position: number;
  kind: QuestionKind;
  body: TranslatedText;
  description: TranslatedText;
  mandatory: boolean;
  maxChoices: number | null;
  maxCharacters: number | null;
  scaleMax: number | null;
  scaleMinLabel: TranslatedText;
  scaleMaxLabel: TranslatedText;
  resultsPublished: boolean;
  options: FormOption[];
  rows: FormRow[];
  conditions: FormCondition[];
}

export interface Questionnaire {
  id: string;
  ownerType: string;
  ownerId: string;
  title: TranslatedText;
  description: TranslatedText;
  resultsPublishedAt: Date | null;
  resultsLive: boolean;
  questions: FormQuestion[];
}

/** What the owner's rules say about the caller and this questionnaire now (form_access). */
export interface FormAccess {
  view: boolean;
  manage: boolean;
  open: boolean;
  answer: boolean;
  /** Open, but the owner requires a verification the caller does not hold (offer it, do not say "closed"). */
  unverified: boolean;
  visitors: boolean;
  anonymous: boolean;
  terms: boolean;
  answered: boolean;
}

/** One answer, as the database takes it (form_submit). */
export type Answer =
  | { text: string }
  | { choices: { option: string; free_text?: string }[] }
  | { ranking: string[] }
  | { rows: Record<string, string[]> }
  | { value: number };
export type Answers = Record<string, Answer>;

/** A problem with one answer: the database's rule (its constraint name) and the message params. */
export type AnswerRule =
  | 'form_answer_required'
  | 'form_answer_hidden'
  | 'form_answer_shape'
  | 'form_answer_option'
  | 'form_answer_duplicate'
  | 'form_answer_too_long'
  | 'form_answer_too_many'
  | 'form_answer_ranking'
  | 'form_answer_range'
  | 'form_answer_free_text'
  | 'form_answer_unknown';
export interface AnswerProblem {
  rule: AnswerRule;
  params?: Record<string, number>;
}

const trimmed = (s: string) => s.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A blank answer is no answer (form_normalize). */
export function normalizeAnswer(kind: QuestionKind, a: unknown): Answer | null {
  if (a === undefined || a === null) return null;
  if (!isObject(a)) return a as Answer;
  if (TEXT_KINDS.includes(kind)) {
    if (typeof a['text'] === 'string') return trimmed(a['text']) === '' ? null : { ...a, text: trimmed(a['text']) } as Answer;
    return a['text'] === undefined ? null : (a as Answer);
  }
  if (kind === 'single_option' || kind === 'multiple_option') return Array.isArray(a['choices']) && a['choices'].length === 0 ? null : a['choices'] === undefined ? null : (a as Answer);
  if (kind === 'sorting') return a['ranking'] === undefined || (Array.isArray(a['ranking']) && a['ranking'].length === 0) ? null : (a as Answer);
  if (isMatrix(kind)) {
    if (!isObject(a['rows'])) return a['rows'] === undefined ? null : (a as Answer);
    const rows: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(a['rows'])) if (v !== null && !(Array.isArray(v) && v.length === 0)) rows[k] = v;
    return Object.keys(rows).length === 0 ? null : ({ ...a, rows } as Answer);
  }
  if (kind === 'scale') return a['value'] === undefined || a['value'] === null ? null : (a as Answer);
  return a as Answer;
}

/** Whether an answer has this option among its choices, in any rank or row (form_answer_has). */
export function answerHas(a: Answer | undefined, optionId: string | null): boolean {
  if (!a || !optionId) return false;
  if ('choices' in a && Array.isArray(a.choices)) return a.choices.some((c) => isObject(c) && c.option === optionId);
  if ('ranking' in a && Array.isArray(a.ranking)) return a.ranking.includes(optionId);
  if ('rows' in a && isObject(a.rows)) return Object.values(a.rows).some((v) => Array.isArray(v) && v.includes(optionId));
  return false;
}

/** The text a `match` condition reads (form_answer_text). */
export function answerText(a: Answer | undefined): string | null {
  if (!a) return null;
  if ('text' in a) return a.text;
  if ('choices' in a && Array.isArray(a.choices)) {
    const texts = a.choices.filter((c) => isObject(c) && typeof c.free_text === 'string').map((c) => c.free_text as string);
    return texts.length > 0 ? texts.join('\n') : null;
  }
  return null;
}

/** A case-insensitive regular expression as Postgres reads `~*`, or null when JavaScript cannot read it. */
function patternMatches(pattern: string, text: string): boolean {
  try {
    return new RegExp(pattern, 'iu').test(text);
  } catch {
    return false;
  }
}

/** Whether a condition holds given the answers of the shown questions so far. */
export function conditionHolds(c: FormCondition, given: Readonly<Answers>): boolean {
  const a = given[c.conditionQuestionId];
  switch (c.kind) {
    case 'answered':
      return a !== undefined;
    case 'not_answered':
      return a === undefined;
    case 'equal':
      return answerHas(a, c.optionId);
    case 'not_equal':
      return a !== undefined && !answerHas(a, c.optionId);
    case 'match': {
      const text = answerText(a);
      return text !== null && c.pattern !== null && patternMatches(c.pattern, text);
    }
  }
}

/**
 * Decidim's combination (form_question_shown): every mandatory condition holds, and at least one
 * of the others when there are others.
 */
export function questionShown(q: Pick<FormQuestion, 'conditions'>, given: Readonly<Answers>): boolean {
  const mandatory = q.conditions.filter((c) => c.mandatory);
  const optional = q.conditions.filter((c) => !c.mandatory);
  return mandatory.every((c) => conditionHolds(c, given)) && (optional.length === 0 || optional.some((c) => conditionHolds(c, given)));
}

/** Problems with one answer (form_check_answer), first one only, as the database says it. */
export function checkAnswer(q: FormQuestion, a: Answer): AnswerProblem | null {
  if (!isObject(a)) return { rule: 'form_answer_shape' };
  const keys = Object.keys(a);
  const options = new Set(q.options.map((o) => o.id));
  const free = new Set(q.options.filter((o) => o.freeText).map((o) => o.id));
  if (TEXT_KINDS.includes(q.kind)) {
    if (!('text' in a) || typeof a.text !== 'string' || keys.length !== 1) return { rule: 'form_answer_shape' };
    const max = q.maxCharacters ?? (q.kind === 'short_answer' ? SHORT_MAX : LONG_MAX);
    return [...a.text].length > max ? { rule: 'form_answer_too_long', params: { max } } : null;
  }
  if (q.kind === 'scale') {
    const v = 'value' in a ? a.value : undefined;
    const max = q.scaleMax ?? 0;
    return typeof v !== 'number' || keys.length !== 1 || !Number.isInteger(v) || v < 1 || v > max ? { rule: 'form_answer_range', params: { max } } : null;
  }
  if (q.kind === 'single_option' || q.kind === 'multiple_option') {
    if (!('choices' in a) || !Array.isArray(a.choices) || keys.length !== 1) return { rule: 'form_answer_shape' };
    const chosen = new Set<string>();
    for (const c of a.choices as unknown[]) {
      if (!isObject(c) || typeof c['option'] !== 'string' || Object.keys(c).some((k) => k !== 'option' && k !== 'free_text')) return { rule: 'form_answer_shape' };
      if (c['free_text'] !== undefined && c['free_text'] !== null && typeof c['free_text'] !== 'string') return { rule: 'form_answer_shape' };
      if (!options.has(c['option'])) return { rule: 'form_answer_option' };
      if (chosen.has(c['option'])) return { rule: 'form_answer_duplicate' };
      chosen.add(c['option']);
      if (typeof c['free_text'] === 'string') {
        if (!free.has(c['option'])) return { rule: 'form_answer_free_text' };
        if ([...c['free_text']].length > FREE_TEXT_MAX) return { rule: 'form_answer_too_long', params: { max: FREE_TEXT_MAX } };
      }
    }
    if (q.kind === 'single_option' && chosen.size !== 1) return { rule: 'form_answer_too_many', params: { max: 1 } };
    if (q.kind === 'multiple_option' && q.maxChoices !== null && chosen.size > q.maxChoices) return { rule: 'form_answer_too_many', params: { max: q.maxChoices } };
    return null;
  }
  if (q.kind === 'sorting') {
    if (!('ranking' in a) || !Array.isArray(a.ranking) || keys.length !== 1 || a.ranking.some((x) => typeof x !== 'string')) return { rule: 'form_answer_shape' };
    if (a.ranking.some((x) => !options.has(x))) return { rule: 'form_answer_option' };
    if (new Set(a.ranking).size !== a.ranking.length) return { rule: 'form_answer_duplicate' };
    return a.ranking.length !== options.size ? { rule: 'form_answer_ranking' } : null;
  }
  if (isMatrix(q.kind)) {
    if (!('rows' in a) || !isObject(a.rows) || keys.length !== 1) return { rule: 'form_answer_shape' };
    const rows = new Set(q.rows.map((r) => r.id));
    for (const [row, value] of Object.entries(a.rows)) {
      if (!rows.has(row)) return { rule: 'form_answer_option' };
      if (!Array.isArray(value) || value.some((x) => typeof x !== 'string')) return { rule: 'form_answer_shape' };
      if (value.some((x) => !options.has(x))) return { rule: 'form_answer_option' };
      if (new Set(value).size !== value.length) return { rule: 'form_answer_duplicate' };
      if (q.kind === 'matrix_single' && value.length !== 1) return { rule: 'form_answer_too_many', params: { max: 1 } };
      if (q.kind === 'matrix_multiple' && q.maxChoices !== null && value.length > q.maxChoices) return { rule: 'form_answer_too_many', params: { max: q.maxChoices } };
    }
    if (q.mandatory && q.rows.some((r) => !(r.id in a.rows))) return { rule: 'form_answer_required' };
    return null;
  }
  return { rule: 'form_answer_unknown' };
}

export interface Validation {
  /** The answers of the shown questions, normalized (what form_submit stores). */
  given: Answers;
  /** Problems by question id. */
  problems: Record<string, AnswerProblem>;
  /** The questions shown, given the answers. */
  shown: Set<string>;
}

/**
 * Validates answers against the questions (form_validate), collecting every problem. `only`
 * limits the problems reported to some questions (one page), the others being still read for
 * the conditions. Answers to questions that are not shown are dropped when `dropHidden` (the
 * participant without JavaScript could not know) and are a problem otherwise (as in the database).
 */
export function validateAnswers(
  questions: readonly FormQuestion[],
  answers: Readonly<Record<string, unknown>>,
  opts: { only?: ReadonlySet<string>; dropHidden?: boolean } = {},
): Validation {
  const given: Answers = {};
  const problems: Record<string, AnswerProblem> = {};
  const shown = new Set<string>();
  const report = (id: string, p: AnswerProblem) => {
    if (!opts.only || opts.only.has(id)) problems[id] = p;
  };
  // Answers to no question of the form (or to a layout block) are refused first, as in the database.
  const known = new Set(questions.filter((q) => isAnswerable(q.kind)).map((q) => q.id));
  for (const id of Object.keys(answers)) if (!known.has(id)) report(id, { rule: 'form_answer_unknown' });
  for (const q of [...questions].sort((x, y) => x.position - y.position)) {
    if (!isAnswerable(q.kind)) continue;
    const a = normalizeAnswer(q.kind, answers[q.id]);
    if (!questionShown(q, given)) {
      if (a !== null && !opts.dropHidden) report(q.id, { rule: 'form_answer_hidden' });
      continue;
    }
    shown.add(q.id);
    if (a === null) {
      if (q.mandatory) report(q.id, { rule: 'form_answer_required' });
      continue;
    }
    const problem = checkAnswer(q, a);
    if (problem) {
      report(q.id, problem);
      continue;
    }
    given[q.id] = a;
  }
  return { given, problems, shown };
}

/** The questions page by page: a separator ends a page (and shows nowhere). */
export function formPages(questions: readonly FormQuestion[]): FormQuestion[][] {
  const pages: FormQuestion[][] = [[]];
  for (const q of [...questions].sort((x, y) => x.position - y.position)) {
    if (q.kind === 'separator') {
      if (pages.at(-1)!.length > 0) pages.push([]);
      continue;
    }
    pages.at(-1)!.push(q);
  }
  if (pages.length > 1 && pages.at(-1)!.length === 0) pages.pop();
  return pages;
}

// ---------------------------------------------------------------------------------------------
// Form fields (posted without JavaScript) ⇄ answers
// ---------------------------------------------------------------------------------------------

/** The name of a question's field(s) in the participant form. */
export const fieldName = (questionId: string) => `q-${questionId}`;
export const freeTextName = (questionId: string, optionId: string) => `q-${questionId}-free-${optionId}`;
export const rankName = (questionId: string, optionId: string) => `q-${questionId}-rank-${optionId}`;
export const rowName = (questionId: string, rowId: string) => `q-${questionId}-row-${rowId}`;

/** What a posted form field gives: every value of a name. */
export type FieldValues = (name: string) => string[];

export function fieldValues(form: FormData | URLSearchParams): FieldValues {
  return (name) => form.getAll(name).filter((v): v is string => typeof v === 'string');
}

/**
 * The answers a page of the participant form posted, for these questions (absent when left
 * blank). Sorting without JavaScript is one select of ranks per option: the ranking is the
 * options in rank order, and ranks given twice or left out make a problem `checkAnswer` reports.
 */
export function answersFromFields(questions: readonly FormQuestion[], get: FieldValues): Answers {
  const out: Answers = {};
  for (const q of questions) {
    const name = fieldName(q.id);
    const first = (n: string) => get(n)[0] ?? '';
    switch (q.kind) {
      case 'short_answer':
      case 'long_answer': {
        const text = first(name).slice(0, 20_000);
        if (trimmed(text) !== '') out[q.id] = { text };
        break;
      }
      case 'single_option':
      case 'multiple_option': {
        const picked = q.kind === 'single_option' ? get(name).slice(0, 1) : get(name);
        if (picked.length === 0) break;
        out[q.id] = {
          choices: picked.slice(0, 200).map((option) => {
            const free = first(freeTextName(q.id, option)).slice(0, 5000);
            return trimmed(free) !== '' ? { option, free_text: trimmed(free) } : { option };
          }),
        };
        break;
      }
      case 'sorting': {
        const ranks = q.options.map((o) => ({ option: o.id, rank: Number.parseInt(first(rankName(q.id, o.id)), 10) })).filter((r) => Number.isInteger(r.rank));
        if (ranks.length === 0) break;
        // Ranks out of order or repeated: the same ranking twice is not a ranking of every option.
        const byRank = new Map<number, string>();
        for (const r of ranks) if (!byRank.has(r.rank)) byRank.set(r.rank, r.option);
        const ranking = [...byRank.entries()].sort((a, b) => a[0] - b[0]).map(([, o]) => o);
        out[q.id] = { ranking: byRank.size === ranks.length ? ranking : [...ranking, ...ranking.slice(0, 1)] };
        break;
      }
      case 'matrix_single':
      case 'matrix_multiple': {
        const rows: Record<string, string[]> = {};
        for (const r of q.rows) {
          const picked = get(rowName(q.id, r.id));
          if (picked.length > 0) rows[r.id] = q.kind === 'matrix_single' ? picked.slice(0, 1) : picked.slice(0, 200);
        }
        if (Object.keys(rows).length > 0) out[q.id] = { rows };
        break;
      }
      case 'scale': {
        const v = first(name);
        if (v !== '') out[q.id] = { value: /^\d{1,2}$/.test(v) ? Number(v) : -1 };
        break;
      }
      default:
        break;
    }
  }
  return out;
}

/** The ranks a sorting answer gives each option (for the selects), 1-based. */
export function ranksOf(a: Answer | undefined): Map<string, number> {
  const m = new Map<string, number>();
  if (a && 'ranking' in a && Array.isArray(a.ranking)) a.ranking.forEach((o, i) => m.set(o, i + 1));
  return m;
}

// ---------------------------------------------------------------------------------------------
// Results: tallies (form_results) → what a question's table and chart show
// ---------------------------------------------------------------------------------------------

export interface FormResults {
  responses: number;
  counts: Record<string, number>;
  /** The questions whose results are public. */
  published: string[];
}

export interface ResultRow {
  /** The tally key this row reads (so live updates find it). */
  key: string;
  label: TranslatedText | string;
  count: number;
}

export interface QuestionResult {
  question: FormQuestion;
  answered: number;
  /** Per option (choices), per value (scale), per option's first rank (sorting). */
  rows: ResultRow[];
  /** Matrix: per row, per option. */
  matrix?: { row: FormRow; cells: ResultRow[] }[];
  /** Sorting: per option, the count at each rank and the points (Borda: n − rank + 1 per ranking). */
  ranking?: { option: FormOption; byRank: ResultRow[]; points: number }[];
}

export function questionResult(q: FormQuestion, counts: Readonly<Record<string, number>>): QuestionResult {
  const n = (key: string) => counts[key] ?? 0;
  const answered = n(q.id);
  if (q.kind === 'scale') {
    const rows = Array.from({ length: q.scaleMax ?? 0 }, (_, i) => ({ key: `${q.id}:${i + 1}`, label: String(i + 1), count: n(`${q.id}:${i + 1}`) }));
    return { question: q, answered, rows };
  }
  if (isMatrix(q.kind)) {
    const matrix = q.rows.map((row) => ({ row, cells: q.options.map((o) => ({ key: `${q.id}:${row.id}:${o.id}`, label: o.body, count: n(`${q.id}:${row.id}:${o.id}`) })) }));
    return { question: q, answered, rows: [], matrix };
  }
  if (q.kind === 'sorting') {
    const size = q.options.length;
    const ranking = q.options.map((option) => {
      const byRank = Array.from({ length: size }, (_, i) => ({ key: `${q.id}:${option.id}:${i + 1}`, label: String(i + 1), count: n(`${q.id}:${option.id}:${i + 1}`) }));
      return { option, byRank, points: byRank.reduce((sum, r, i) => sum + r.count * (size - i), 0) };
    });
    const rows = ranking.map((r) => ({ key: `${q.id}:${r.option.id}:points`, label: r.option.body, count: r.points }));
    return { question: q, answered, rows, ranking };
  }
  if (q.kind === 'single_option' || q.kind === 'multiple_option') {
    return { question: q, answered, rows: q.options.map((o) => ({ key: `${q.id}:${o.id}`, label: o.body, count: n(`${q.id}:${o.id}`) })) };
  }
  return { question: q, answered, rows: [] };
}

/** A share as a whole percentage with one decimal (0 when nothing to share). */
export function percent(part: number, whole: number): number {
  return whole > 0 ? Math.round((part / whole) * 1000) / 10 : 0;
}
