import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateAnswers, type FormQuestion } from '../../src/features/forms/forms.ts';
import { loadQuestionnaire } from '../../src/features/forms/queries.server.ts';
import { asUser } from '../../src/lib/db/index.ts';
import { stack } from '../web/helpers.ts';
import { addCondition, addQuestions, createSurvey, createUser, outcome, type BuiltQuestion, type Json, type SurveyFixture } from './fixtures.ts';

/*
 * Every question type's rules, as the database keeps them (form_submit → form_validate), whatever
 * the caller sends: shapes, options that belong to the question, choice limits, rankings,
 * matrices, scales, lengths, mandatory answers, and the display conditions (a hidden question's
 * answer is refused, a shown mandatory one is required). Then the same cases through the app's
 * rules (forms.ts): both say the same. Every attempt is rolled back.
 */

const sql = postgres(stack().databaseUrl, { max: 4, onnotice: () => {} });
afterAll(() => sql.end());

let f: SurveyFixture;
let person: string;
let short: BuiltQuestion, long: BuiltQuestion, single: BuiltQuestion, multiple: BuiltQuestion, sorting: BuiltQuestion;
let matrixSingle: BuiltQuestion, matrixMultiple: BuiltQuestion, scale: BuiltQuestion, title: BuiltQuestion, separator: BuiltQuestion;
let questions: FormQuestion[];
/** Every case tried below, to compare with the app's rules at the end. */
const tried: { answers: Json; db: string }[] = [];

async function expectOutcome(answers: Json, expected: string) {
  const got = await outcome(sql, person, f.questionnaireId, answers, { withQuestion: true });
  tried.push({ answers, db: got });
  expect(got, JSON.stringify(answers)).toBe(expected);
}

beforeAll(async () => {
  f = await createSurvey(sql);
  person = await createUser(sql, 'answering');
  [short, long, single, multiple, sorting, matrixSingle, matrixMultiple, title, separator, scale] = await addQuestions(sql, f.questionnaireId, [
    { kind: 'short_answer', max_characters: 10 },
    { kind: 'long_answer' },
    { kind: 'single_option', mandatory: true, options: ['Oui', 'Non', { text: 'Autre', free: true }] },
    { kind: 'multiple_option', max_choices: 2, options: ['Parc', 'Piste', 'Bancs', { text: 'Autre', free: true }] },
    { kind: 'sorting', options: ['A', 'B', 'C'] },
    { kind: 'matrix_single', mandatory: true, options: ['Bien', 'Mal'], rows: ['Propreté', 'Sécurité'] },
    { kind: 'matrix_multiple', max_choices: 1, options: ['Matin', 'Soir'], rows: ['Semaine', 'Week-end'] },
    { kind: 'title_and_description' },
    { kind: 'separator' },
    { kind: 'scale', scale_max: 5 },
  ]) as [BuiltQuestion, BuiltQuestion, BuiltQuestion, BuiltQuestion, BuiltQuestion, BuiltQuestion, BuiltQuestion, BuiltQuestion, BuiltQuestion, BuiltQuestion];
}, 60_000);

/** The mandatory questions answered, plus `more`. */
function valid(more: Json = {}): Json {
  return {
    [single.id]: { choices: [{ option: single.options[0] }] },
    [matrixSingle.id]: { rows: { [matrixSingle.rows[0]!]: [matrixSingle.options[0]], [matrixSingle.rows[1]!]: [matrixSingle.options[1]] } },
    ...more,
  };
}

describe('every question type, in the database', () => {
  it('takes a complete, valid submission', async () => {
    await expectOutcome(
      valid({
        [short.id]: { text: '  court  ' },
        [long.id]: { text: 'x'.repeat(10_000) },
        [multiple.id]: { choices: [{ option: multiple.options[0] }, { option: multiple.options[3], free_text: 'Un kiosque' }] },
        [sorting.id]: { ranking: [sorting.options[2], sorting.options[0], sorting.options[1]] },
        [matrixMultiple.id]: { rows: { [matrixMultiple.rows[0]!]: [matrixMultiple.options[1]] } },
        [scale.id]: { value: 5 },
      }),
      'ok',
    );
  });

  it('short and long answers: text only, within their length (10 here; 10,000 by default)', async () => {
    await expectOutcome(valid({ [short.id]: { text: 'onze lettres' } }), `form_answer_too_long@${short.id}`);
    await expectOutcome(valid({ [short.id]: { text: 3 } }), `form_answer_shape@${short.id}`);
    await expectOutcome(valid({ [short.id]: { text: 'ok', extra: 1 } }), `form_answer_shape@${short.id}`);
    await expectOutcome(valid({ [short.id]: 'bare string' }), `form_answer_shape@${short.id}`);
    await expectOutcome(valid({ [long.id]: { text: 'y'.repeat(10_001) } }), `form_answer_too_long@${long.id}`);
    // Blank is no answer: fine for an optional question.
    await expectOutcome(valid({ [short.id]: { text: '   ' } }), 'ok');
  });

  it('single option: exactly one option of the question; free text only where offered', async () => {
    await expectOutcome(valid({ [single.id]: { choices: [{ option: single.options[0] }, { option: single.options[1] }] } }), `form_answer_too_many@${single.id}`);
    await expectOutcome(valid({ [single.id]: { choices: [{ option: multiple.options[0] }] } }), `form_answer_option@${single.id}`);
    await expectOutcome(valid({ [single.id]: { choices: [{ option: single.options[0], free_text: 'non' }] } }), `form_answer_free_text@${single.id}`);
    await expectOutcome(valid({ [single.id]: { choices: [{ option: single.options[2], free_text: 'z'.repeat(1001) }] } }), `form_answer_too_long@${single.id}`);
    await expectOutcome(valid({ [single.id]: { choices: [{ option: single.options[2], free_text: 'Une autre idée' }] } }), 'ok');
    await expectOutcome(valid({ [single.id]: { choices: [{ option: 'not-a-uuid' }] } }), `form_answer_option@${single.id}`);
    await expectOutcome(valid({ [single.id]: { choices: [{ option: single.options[0], colour: 'red' }] } }), `form_answer_shape@${single.id}`);
  });

  it('multiple option: at most max_choices, each once', async () => {
    const m = multiple.options;
    await expectOutcome(valid({ [multiple.id]: { choices: [{ option: m[0] }, { option: m[1] }, { option: m[2] }] } }), `form_answer_too_many@${multiple.id}`);
    await expectOutcome(valid({ [multiple.id]: { choices: [{ option: m[0] }, { option: m[0] }] } }), `form_answer_duplicate@${multiple.id}`);
    await expectOutcome(valid({ [multiple.id]: { choices: [] } }), 'ok');
  });

  it('sorting: every option ranked exactly once', async () => {
    const o = sorting.options;
    await expectOutcome(valid({ [sorting.id]: { ranking: [o[0], o[1]] } }), `form_answer_ranking@${sorting.id}`);
    await expectOutcome(valid({ [sorting.id]: { ranking: [o[0], o[1], o[1]] } }), `form_answer_duplicate@${sorting.id}`);
    await expectOutcome(valid({ [sorting.id]: { ranking: [o[0], o[1], single.options[0]] } }), `form_answer_option@${sorting.id}`);
    await expectOutcome(valid({ [sorting.id]: { ranking: [o[0], o[1], 7] } }), `form_answer_shape@${sorting.id}`);
  });

  it('matrices: rows and options of the question, one per row (single), at most max_choices (multiple), every row when mandatory', async () => {
    const ms = matrixSingle;
    await expectOutcome(valid({ [ms.id]: { rows: { [ms.rows[0]!]: [ms.options[0], ms.options[1]], [ms.rows[1]!]: [ms.options[0]] } } }), `form_answer_too_many@${ms.id}`);
    await expectOutcome(valid({ [ms.id]: { rows: { [ms.rows[0]!]: [ms.options[0]] } } }), `form_answer_required@${ms.id}`);
    await expectOutcome(valid({ [ms.id]: { rows: { [matrixMultiple.rows[0]!]: [ms.options[0]], [ms.rows[1]!]: [ms.options[0]] } } }), `form_answer_option@${ms.id}`);
    await expectOutcome(valid({ [ms.id]: { rows: { [ms.rows[0]!]: [single.options[0]], [ms.rows[1]!]: [ms.options[0]] } } }), `form_answer_option@${ms.id}`);
    const mm = matrixMultiple;
    await expectOutcome(valid({ [mm.id]: { rows: { [mm.rows[0]!]: [mm.options[0], mm.options[1]] } } }), `form_answer_too_many@${mm.id}`);
    await expectOutcome(valid({ [mm.id]: { rows: { [mm.rows[0]!]: 'Matin' } } }), `form_answer_shape@${mm.id}`);
  });

  it('graded scale: a whole number from 1 to its maximum', async () => {
    for (const v of [0, 6, 2.5, '3', -1]) await expectOutcome(valid({ [scale.id]: { value: v } }), `form_answer_range@${scale.id}`);
    await expectOutcome(valid({ [scale.id]: { value: 1 } }), 'ok');
  });

  it('layout blocks and unknown questions take no answer; mandatory questions must be answered', async () => {
    await expectOutcome(valid({ [title.id]: { text: 'x' } }), `form_answer_unknown@${title.id}`);
    await expectOutcome(valid({ [separator.id]: { text: 'x' } }), `form_answer_unknown@${separator.id}`);
    await expectOutcome(valid({ '00000000-0000-4000-8000-00000000dead': { text: 'x' } }), 'form_answer_unknown@00000000-0000-4000-8000-00000000dead');
    await expectOutcome({ [matrixSingle.id]: valid()[matrixSingle.id] }, `form_answer_required@${single.id}`);
    await expectOutcome(valid({ [single.id]: { choices: [] } }), `form_answer_required@${single.id}`);
    expect(await outcome(sql, person, f.questionnaireId, [] as unknown as Json)).toBe('form_answer_shape');
  });
});

describe('display conditions, in the database', () => {
  let g: SurveyFixture;
  let q: BuiltQuestion[];
  beforeAll(async () => {
    g = await createSurvey(sql);
    q = await addQuestions(sql, g.questionnaireId, [
      { kind: 'single_option', options: ['Vélo', 'Voiture', { text: 'Autre', free: true }] }, // 0
      { kind: 'short_answer', mandatory: true }, // 1: shown when 0 = Vélo
      { kind: 'short_answer' }, // 2: shown when 0 ≠ Vélo
      { kind: 'long_answer', mandatory: true }, // 3: shown when 0 answered
      { kind: 'short_answer' }, // 4: shown when 0 not answered
      { kind: 'short_answer' }, // 5: shown when 0's text matches "trott"
      { kind: 'short_answer' }, // 6: mandatory: 0 answered; optional: 1 matches "^oui" or 2 matches "^oui"
    ]);
    await addCondition(sql, q[1]!.id, q[0]!.id, 'equal', { option: q[0]!.options[0] });
    await addCondition(sql, q[2]!.id, q[0]!.id, 'not_equal', { option: q[0]!.options[0] });
    await addCondition(sql, q[3]!.id, q[0]!.id, 'answered');
    await addCondition(sql, q[4]!.id, q[0]!.id, 'not_answered');
    await addCondition(sql, q[5]!.id, q[0]!.id, 'match', { pattern: 'trott' });
    await addCondition(sql, q[6]!.id, q[0]!.id, 'answered');
    await addCondition(sql, q[6]!.id, q[1]!.id, 'match', { pattern: '^oui', mandatory: false });
    await addCondition(sql, q[6]!.id, q[2]!.id, 'match', { pattern: '^oui', mandatory: false });
  });

  const tryIt = async (answers: Json) => {
    const got = await outcome(sql, person, g.questionnaireId, answers, { withQuestion: true });
    tried.push({ answers: { ...answers, __g: true }, db: got });
    return got;
  };
  const pick = (i: number) => ({ choices: [{ option: q[0]!.options[i] }] });
  const text = (t: string) => ({ text: t });

  it('equal / not equal / answered: a shown mandatory question is required, a hidden one refused', async () => {
    expect(await tryIt({ [q[0]!.id]: pick(0), [q[3]!.id]: text('long') })).toBe(`form_answer_required@${q[1]!.id}`);
    expect(await tryIt({ [q[0]!.id]: pick(0), [q[1]!.id]: text('a'), [q[3]!.id]: text('long') })).toBe('ok');
    expect(await tryIt({ [q[0]!.id]: pick(0), [q[1]!.id]: text('a'), [q[2]!.id]: text('b'), [q[3]!.id]: text('long') })).toBe(`form_answer_hidden@${q[2]!.id}`);
    expect(await tryIt({ [q[0]!.id]: pick(1), [q[1]!.id]: text('a'), [q[3]!.id]: text('long') })).toBe(`form_answer_hidden@${q[1]!.id}`);
    expect(await tryIt({ [q[0]!.id]: pick(1), [q[2]!.id]: text('b'), [q[3]!.id]: text('long') })).toBe('ok');
    expect(await tryIt({ [q[0]!.id]: pick(1) })).toBe(`form_answer_required@${q[3]!.id}`);
  });

  it('not answered: shown only while the other question has no answer (blank counts as none)', async () => {
    expect(await tryIt({ [q[4]!.id]: text('rien') })).toBe('ok');
    expect(await tryIt({ [q[0]!.id]: { choices: [] }, [q[4]!.id]: text('rien') })).toBe('ok');
    expect(await tryIt({ [q[0]!.id]: pick(1), [q[3]!.id]: text('l'), [q[4]!.id]: text('rien') })).toBe(`form_answer_hidden@${q[4]!.id}`);
  });

  it('match: the text (here an option’s free text) matches the pattern, case-insensitive', async () => {
    const other = (t: string) => ({ choices: [{ option: q[0]!.options[2], free_text: t }] });
    expect(await tryIt({ [q[0]!.id]: other('La TROTTinette'), [q[3]!.id]: text('l'), [q[5]!.id]: text('oui') })).toBe('ok');
    expect(await tryIt({ [q[0]!.id]: other('Le bus'), [q[3]!.id]: text('l'), [q[5]!.id]: text('oui') })).toBe(`form_answer_hidden@${q[5]!.id}`);
  });

  it('several conditions combine: every mandatory one, and at least one of the others', async () => {
    const base = { [q[0]!.id]: pick(0), [q[3]!.id]: text('l') };
    expect(await tryIt({ ...base, [q[1]!.id]: text('Oui bien sûr'), [q[6]!.id]: text('shown') })).toBe('ok');
    expect(await tryIt({ ...base, [q[1]!.id]: text('non'), [q[6]!.id]: text('hidden') })).toBe(`form_answer_hidden@${q[6]!.id}`);
    // With 0 unanswered, "not equal" does not hold either (it needs an answer): 2 is hidden, its answer refused first.
    expect(await tryIt({ [q[2]!.id]: text('oui'), [q[6]!.id]: text('hidden') })).toBe(`form_answer_hidden@${q[2]!.id}`);
  });

  it('the structure keeps conditions on earlier questions of the same form, with the condition question’s options and a valid pattern', async () => {
    const err = async (p: Promise<unknown>) => ((await p.then(() => null, (e: unknown) => e)) as { constraint_name?: string } | null)?.constraint_name;
    expect(await err(addCondition(sql, q[0]!.id, q[1]!.id, 'answered'))).toBe('form_conditions_source');
    expect(await err(addCondition(sql, q[1]!.id, q[0]!.id, 'equal', { option: single.options[0] }))).toBe('form_conditions_option_question');
    expect(await err(addCondition(sql, q[1]!.id, q[0]!.id, 'match', { pattern: '(' }))).toBe('form_conditions_pattern_valid');
    expect(await err(addCondition(sql, q[1]!.id, short.id, 'answered'))).toBe('form_conditions_source');
    // Moving a question above the one its condition reads is refused too.
    const moved = await asUser({ role: 'authenticated', sub: g.adminId }, (tx) => tx`select public.form_move_question(${q[1]!.id}, -1)`, sql).then(
      () => 'ok',
      (e: { constraint_name?: string }) => e.constraint_name,
    );
    expect(moved).toBe('form_conditions_source');
  });
});

describe('the app’s rules (forms.ts) and the database’s agree', () => {
  it('on every case above: accepted by both, or refused by both for the same rule and question', async () => {
    const load = async (id: string) => (await asUser(null, (tx) => loadQuestionnaire(tx, { id }), sql))!.questions;
    questions = await load(f.questionnaireId);
    const gFirst = tried.find((x) => x.answers['__g']);
    expect(gFirst).toBeDefined();
    const [gq] = await sql<{ questionnaire_id: string }[]>`select questionnaire_id from public.form_questions where id = ${Object.keys(gFirst!.answers).find((k) => k !== '__g')!}`;
    const gQuestions = await load(gq!.questionnaire_id);
    expect(tried.length).toBeGreaterThan(30);
    for (const c of tried) {
      const { __g, ...answers } = c.answers;
      const v = validateAnswers(__g ? gQuestions : questions, answers);
      const first = Object.entries(v.problems)[0];
      const app = first ? `${first[1].rule}@${first[0]}` : 'ok';
      expect(app, JSON.stringify(answers)).toBe(c.db);
    }
  });
});
