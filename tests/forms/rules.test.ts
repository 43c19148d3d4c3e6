import { describe, expect, it } from 'vitest';
import { answersFromFields, formPages, percent, questionResult, validateAnswers, type FormQuestion } from '../../src/features/forms/forms.ts';

/*
 * The forms library's pure rules, as the pages use them: separators make pages; a page's posted
 * fields become answers (a ranking from one select per option, a matrix from one group per row);
 * the counts become what a question's table and chart show (sorting in Borda points); hidden
 * questions' answers are dropped for the participant without JavaScript.
 */

const base = (id: string, position: number, kind: FormQuestion['kind'], more: Partial<FormQuestion> = {}): FormQuestion => ({
  id, position, kind, body: { fr: id }, description: {}, mandatory: false, maxChoices: null, maxCharacters: null, scaleMax: null,
  scaleMinLabel: {}, scaleMaxLabel: {}, resultsPublished: false, options: [], rows: [], conditions: [], ...more,
});
const opts = (...ids: string[]) => ids.map((id, i) => ({ id, position: i + 1, body: { fr: id }, freeText: id === 'other' }));

describe('pages', () => {
  it('separators are page breaks; leading, doubled and trailing ones make no empty page', () => {
    const q = [base('s0', 1, 'separator'), base('a', 2, 'short_answer'), base('s1', 3, 'separator'), base('s2', 4, 'separator'), base('b', 5, 'scale', { scaleMax: 3 }), base('s3', 6, 'separator')];
    expect(formPages(q).map((p) => p.map((x) => x.id))).toEqual([['a'], ['b']]);
    expect(formPages([])).toEqual([[]]);
  });
});

describe('posted fields → answers', () => {
  const single = base('single', 1, 'single_option', { options: opts('yes', 'other') });
  const multi = base('multi', 2, 'multiple_option', { options: opts('x', 'y', 'other') });
  const rank = base('rank', 3, 'sorting', { options: opts('p', 'q', 'r') });
  const matrix = base('m', 4, 'matrix_multiple', { options: opts('am', 'pm'), rows: [{ id: 'r1', position: 1, body: {} }, { id: 'r2', position: 2, body: {} }] });
  const scale = base('v', 5, 'scale', { scaleMax: 5 });
  const text = base('t', 6, 'long_answer');
  const get = (pairs: [string, string][]) => (name: string) => pairs.filter(([k]) => k === name).map(([, v]) => v);

  it('reads every kind, free texts only where typed, blank texts as no answer', () => {
    const a = answersFromFields([single, multi, rank, matrix, scale, text], get([
      ['q-single', 'other'], ['q-single-free-other', '  Un kiosque '],
      ['q-multi', 'x'], ['q-multi', 'other'], ['q-multi-free-other', ''],
      ['q-rank-rank-p', '2'], ['q-rank-rank-q', '3'], ['q-rank-rank-r', '1'],
      ['q-m-row-r1', 'am'], ['q-m-row-r1', 'pm'],
      ['q-v', '4'], ['q-t', '   '],
    ]));
    expect(a).toEqual({
      single: { choices: [{ option: 'other', free_text: 'Un kiosque' }] },
      multi: { choices: [{ option: 'x' }, { option: 'other' }] },
      rank: { ranking: ['r', 'p', 'q'] },
      m: { rows: { r1: ['am', 'pm'] } },
      v: { value: 4 },
    });
  });

  it('a rank given twice or left out makes a ranking the rules refuse', () => {
    const twice = answersFromFields([rank], get([['q-rank-rank-p', '1'], ['q-rank-rank-q', '1'], ['q-rank-rank-r', '2']]));
    expect(validateAnswers([rank], twice).problems['rank']?.rule).toBe('form_answer_duplicate');
    const missing = answersFromFields([rank], get([['q-rank-rank-p', '1'], ['q-rank-rank-q', '2']]));
    expect(validateAnswers([rank], missing).problems['rank']?.rule).toBe('form_answer_ranking');
    expect(validateAnswers([base('x', 1, 'scale', { scaleMax: 5 })], answersFromFields([base('x', 1, 'scale', { scaleMax: 5 })], get([['q-x', 'abc']]))).problems['x']?.rule).toBe('form_answer_range');
  });

  it('answers to hidden questions are dropped for the participant (no problem), refused otherwise', () => {
    const gate = base('gate', 1, 'single_option', { options: opts('yes', 'no') });
    const follow = base('follow', 2, 'short_answer', { mandatory: true, conditions: [{ id: 'c', questionId: 'follow', conditionQuestionId: 'gate', kind: 'equal', optionId: 'yes', pattern: null, mandatory: true }] });
    const answers = { gate: { choices: [{ option: 'no' }] }, follow: { text: 'sent anyway' } };
    expect(validateAnswers([gate, follow], answers, { dropHidden: true })).toMatchObject({ problems: {}, given: { gate: answers.gate } });
    expect(validateAnswers([gate, follow], answers).problems['follow']?.rule).toBe('form_answer_hidden');
    expect(validateAnswers([gate, follow], { gate: { choices: [{ option: 'yes' }] } }).problems['follow']?.rule).toBe('form_answer_required');
  });
});

describe('counts → results', () => {
  it('choices, scales, matrices and rankings (Borda points) from the kept counts', () => {
    const rank = base('rank', 1, 'sorting', { options: opts('p', 'q') });
    const r = questionResult(rank, { rank: 10, 'rank:p:1': 7, 'rank:p:2': 3, 'rank:q:1': 3, 'rank:q:2': 7 });
    expect(r.answered).toBe(10);
    expect(r.ranking!.map((o) => o.points)).toEqual([7 * 2 + 3, 3 * 2 + 7]);
    const scale = questionResult(base('v', 2, 'scale', { scaleMax: 3 }), { v: 4, 'v:1': 1, 'v:3': 3 });
    expect(scale.rows.map((x) => x.count)).toEqual([1, 0, 3]);
    const m = questionResult(base('m', 3, 'matrix_single', { options: opts('a', 'b'), rows: [{ id: 'r', position: 1, body: {} }] }), { 'm:r:b': 2 });
    expect(m.matrix![0]!.cells.map((c) => c.count)).toEqual([0, 2]);
    expect(percent(1, 3)).toBe(33.3);
    expect(percent(5, 0)).toBe(0);
  });
});
