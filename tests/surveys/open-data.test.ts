import { describe, expect, it } from 'vitest';
import { Browser } from '../web/helpers.ts';

/*
 * Open data: the published results of the surveys (the seed's "Votre quartier et vous" publishes
 * its choice questions), one line per question and option (or row, or rank) with the count and
 * its share, read as a visitor; never a free text, nor an unpublished question.
 */

describe('survey results as open data', () => {
  it('is listed on the open data page and downloads as CSV and JSON', async () => {
    const b = new Browser();
    const page = await b.get('/fr/open-data');
    expect(page.text).toContain('Résultats publiés des questionnaires');
    expect(page.html).toContain('/open-data/survey_results.csv');
    const csv = await b.request('/open-data/survey_results.csv');
    expect(csv.status).toBe(200);
    const lines = (await csv.text()).replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('survey_id,survey,question_position,question,row,option,rank,count,answered,percent');
    const seeded = lines.filter((l) => l.startsWith('00000000-0000-4000-8004-000000000030,'));
    expect(seeded.some((l) => l.includes('Dans quel quartier habitez-vous ?') && l.includes('Les Tanneurs'))).toBe(true);
    // Rankings by rank, matrices by row.
    expect(seeded.some((l) => /Classez ces scénarios[^,]*,,Une place entièrement piétonne,1,/.test(l))).toBe(true);
    expect(seeded.some((l) => /Comment jugez-vous[^,]*,La propreté,Très bien,,/.test(l))).toBe(true);
    // Nothing of the text questions (not published).
    expect(seeded.some((l) => l.includes('Une idée pour votre quartier'))).toBe(false);
    const json = (await (await b.request('/open-data/survey_results.json')).json()) as { survey_id: string; question: string; count: number }[];
    const rows = json.filter((r) => r.survey_id === '00000000-0000-4000-8004-000000000030');
    expect(rows.length).toBe(seeded.length);
    const districts = rows.filter((r) => r.question === 'Dans quel quartier habitez-vous ?');
    expect(districts.reduce((n, r) => n + r.count, 0)).toBe(300);
  });
});
