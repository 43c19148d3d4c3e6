import type { OpenDataContext, OpenDataFormat } from '../../lib/components/manifest.ts';
import { csvResponse, toCsv } from '../../lib/csv.ts';
import { asUser } from '../../lib/db/index.ts';
import { translated } from '../../lib/i18n/translated.ts';
import type { TranslatedText } from '../../lib/i18n/translated.ts';
import { percent, questionResult, type FormResults } from '../forms/forms.ts';
import { loadQuestionnaire } from '../forms/queries.server.ts';
import { SURVEY_OWNER } from './surveys.ts';

const COLUMNS = ['survey_id', 'survey', 'question_position', 'question', 'row', 'option', 'rank', 'count', 'answered', 'percent'];

/**
 * Open data: the published results of every survey, read as an anonymous visitor (form_results
 * answers only what the public may see: published questions, once published, live or closed),
 * one line per question, option, matrix row or rank, with the count and its share.
 */
export async function openDataResponse(format: OpenDataFormat, ctx: OpenDataContext): Promise<Response> {
  const rows = await asUser(null, async (tx) => {
    const surveys = await tx<{ id: string; component_id: string; name: TranslatedText; results: FormResults | null }[]>`
      select q.id, c.id as component_id, c.name, public.form_results(q.id) as results
      from public.form_questionnaires q join public.components c on c.id = q.owner_id
      where q.owner_type = ${SURVEY_OWNER} order by c.created_at, c.id`;
    const out: Record<string, string | number>[] = [];
    for (const s of surveys) {
      if (!s.results || s.results.published.length === 0) continue;
      const q = await loadQuestionnaire(tx, { id: s.id });
      if (!q) continue;
      const tr = (x: TranslatedText) => translated(x, ctx.locale, ctx.defaultLocale);
      for (const question of q.questions.filter((x) => s.results!.published.includes(x.id))) {
        const r = questionResult(question, s.results.counts);
        const base = { survey_id: s.component_id, survey: tr(s.name), question_position: question.position, question: tr(question.body), answered: r.answered };
        const line = (row: string, option: string, rank: string, count: number) => out.push({ ...base, row, option, rank, count, percent: percent(count, r.answered) });
        if (r.matrix) for (const m of r.matrix) m.cells.forEach((c, i) => line(tr(m.row.body), tr(question.options[i]!.body), '', c.count));
        else if (r.ranking) for (const o of r.ranking) o.byRank.forEach((c, i) => line('', tr(o.option.body), String(i + 1), c.count));
        else if (r.rows.length > 0) for (const row of r.rows) line('', typeof row.label === 'string' ? row.label : tr(row.label), '', row.count);
        else line('', '', '', r.answered);
      }
    }
    return out;
  });
  if (format === 'json') {
    return new Response(JSON.stringify(rows, null, 2), {
      headers: { 'content-type': 'application/json; charset=utf-8', 'content-disposition': 'attachment; filename="survey_results.json"', 'cache-control': 'public, max-age=300', 'x-content-type-options': 'nosniff' },
    });
  }
  const res = csvResponse(toCsv(COLUMNS, rows), 'survey_results.csv');
  res.headers.set('cache-control', 'public, max-age=300');
  return res;
}
