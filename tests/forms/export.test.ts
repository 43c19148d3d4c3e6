import { describe, expect, it } from 'vitest';
import { exportTable, type ExportLabels } from '../../src/features/forms/export.ts';
import type { FormQuestion, Questionnaire } from '../../src/features/forms/forms.ts';
import type { ExportedResponse } from '../../src/features/forms/queries.server.ts';

/*
 * The export's table: one row per submission, one column per question headed by its number and
 * text, every answer written out (choices by label with their details, rankings spelled out in
 * rank order, matrices row by row, scales as numbers), layout blocks left out, in the export's
 * language and the organization's time zone.
 */

const labels: ExportLabels = { id: 'id', createdAt: 'date', respondent: 'who', locale: 'lang', anonymous: 'anon', visitor: 'visitor', signedIn: 'named', rank: '{rank}. {option}' };
const question = (id: string, position: number, kind: FormQuestion['kind'], more: Partial<FormQuestion> = {}): FormQuestion => ({
  id, position, kind, body: { fr: `Q${position}`, en: `Q${position} (en)` }, description: {}, mandatory: false, maxChoices: null, maxCharacters: null,
  scaleMax: null, scaleMinLabel: {}, scaleMaxLabel: {}, resultsPublished: false, options: [], rows: [], conditions: [], ...more,
});
const opt = (id: string, fr: string) => ({ id, position: 0, body: { fr }, freeText: false });

const q: Questionnaire = {
  id: 'qq', ownerType: 'survey', ownerId: 'c', title: {}, description: {}, resultsPublishedAt: null, resultsLive: false,
  questions: [
    question('t', 1, 'title_and_description'),
    question('s', 2, 'sorting', { options: [opt('a', 'Parc'), opt('b', 'Piste'), opt('c', 'Bancs')] }),
    question('m', 3, 'matrix_multiple', { options: [opt('x', 'Matin'), opt('y', 'Soir')], rows: [{ id: 'r1', position: 1, body: { fr: 'Parc' } }, { id: 'r2', position: 2, body: { fr: 'Marché' } }] }),
    question('c', 4, 'multiple_option', { options: [opt('o1', 'Bancs'), opt('o2', 'Autre')] }),
    question('v', 5, 'scale', { scaleMax: 5 }),
    question('l', 6, 'long_answer'),
  ],
};
const responses: ExportedResponse[] = [
  {
    id: 'r-1', createdAt: new Date('2026-12-05T10:00:00Z'), anonymous: true, visitor: false, locale: 'fr',
    answers: {
      s: { body: null, value: null, choices: [{ option: 'c', row: null, rank: 2, free_text: null }, { option: 'a', row: null, rank: 3, free_text: null }, { option: 'b', row: null, rank: 1, free_text: null }] },
      m: { body: null, value: null, choices: [{ option: 'y', row: 'r2', rank: null, free_text: null }, { option: 'x', row: 'r1', rank: null, free_text: null }, { option: 'y', row: 'r1', rank: null, free_text: null }] },
      c: { body: null, value: null, choices: [{ option: 'o1', row: null, rank: null, free_text: null }, { option: 'o2', row: null, rank: null, free_text: 'Un kiosque' }] },
      v: { body: null, value: 4, choices: [] },
      l: { body: '=SUM(A1) une idée', value: null, choices: [] },
    },
  },
  { id: 'r-2', createdAt: new Date('2026-12-05T23:30:00Z'), anonymous: false, visitor: false, locale: 'en', answers: {} },
];

describe('the export table', () => {
  it('has one column per question (no layout block) and one row per submission, answers written out', () => {
    const t = exportTable(q, responses, labels, 'fr', 'fr', 'Europe/Paris');
    expect(t.columns).toEqual(['id', 'date', 'who', 'lang', '2. Q2', '3. Q3', '4. Q4', '5. Q5', '6. Q6']);
    expect(t.rows).toHaveLength(2);
    expect(t.rows[0]).toEqual({
      id: 'r-1', date: '2026-12-05 11:00', who: 'anon', lang: 'fr',
      '2. Q2': '1. Piste ; 2. Bancs ; 3. Parc',
      '3. Q3': 'Parc : Matin, Soir ; Marché : Soir',
      '4. Q4': 'Bancs ; Autre (Un kiosque)',
      '5. Q5': 4,
      '6. Q6': '=SUM(A1) une idée',
    });
    expect(t.rows[1]).toMatchObject({ who: 'named', '2. Q2': null, '5. Q5': null });
    expect(t.rows[1]!['date']).toBe('2026-12-06 00:30');
  });

  it('in English, with English headers', () => {
    const t = exportTable(q, responses, labels, 'en', 'fr', 'Europe/Paris');
    expect(t.columns).toContain('2. Q2 (en)');
  });
});
