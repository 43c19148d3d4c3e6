import { translated } from '../../lib/i18n/translated.ts';
import type { Locale } from '../../lib/i18n/locales.ts';
import { isAnswerable, type Questionnaire } from './forms.ts';
import type { ExportedResponse } from './queries.server.ts';

/*
 * A questionnaire's submissions as a table: one row per submission, one column per question
 * (headed by its number and text), each answer written out in the export's language: texts as
 * typed, choices by their label (and the details given), rankings spelled out ("1. Parc ; 2.
 * Piste…"), matrices row by row, scales as numbers. The same rows make the CSV and the JSON.
 */

export interface ExportLabels {
  id: string;
  createdAt: string;
  respondent: string;
  locale: string;
  anonymous: string;
  visitor: string;
  signedIn: string;
  /** `{rank}. {option}` */
  rank: string;
}

export interface ExportTable {
  columns: string[];
  rows: Record<string, string | number | null>[];
}

/** An instant as `YYYY-MM-DD HH:mm` in a time zone (sortable, read by spreadsheets; the header names the zone). */
function localDateTime(value: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(value);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '00';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

export function exportTable(q: Questionnaire, responses: readonly ExportedResponse[], labels: ExportLabels, locale: Locale, defaultLocale: string, timeZone: string): ExportTable {
  const tr = (x: Parameters<typeof translated>[0]) => translated(x, locale, defaultLocale);
  const questions = q.questions.filter((x) => isAnswerable(x.kind));
  const header = (x: (typeof questions)[number]) => `${x.position}. ${tr(x.body)}`;
  const columns = [labels.id, labels.createdAt, labels.respondent, labels.locale, ...questions.map(header)];
  const optionLabel = new Map(questions.flatMap((x) => x.options.map((o) => [o.id, tr(o.body)] as const)));
  const rowLabel = new Map(questions.flatMap((x) => x.rows.map((r) => [r.id, tr(r.body)] as const)));
  const rows = responses.map((r) => {
    const row: Record<string, string | number | null> = {
      [labels.id]: r.id,
      [labels.createdAt]: localDateTime(r.createdAt, timeZone),
      [labels.respondent]: r.visitor ? labels.visitor : r.anonymous ? labels.anonymous : labels.signedIn,
      [labels.locale]: r.locale,
    };
    for (const x of questions) {
      const a = r.answers[x.id];
      let value: string | number | null = null;
      if (a) {
        const choice = (c: (typeof a.choices)[number]) => `${optionLabel.get(c.option) ?? c.option}${c.free_text ? ` (${c.free_text})` : ''}`;
        switch (x.kind) {
          case 'short_answer':
          case 'long_answer':
            value = a.body;
            break;
          case 'scale':
            value = a.value;
            break;
          case 'sorting':
            value = [...a.choices]
              .sort((p, q2) => (p.rank ?? 0) - (q2.rank ?? 0))
              .map((c) => labels.rank.replace('{rank}', String(c.rank ?? '')).replace('{option}', optionLabel.get(c.option) ?? c.option))
              .join(' ; ');
            break;
          case 'matrix_single':
          case 'matrix_multiple':
            value = x.rows
              .map((row) => ({ row, picked: a.choices.filter((c) => c.row === row.id) }))
              .filter((m) => m.picked.length > 0)
              .map((m) => `${rowLabel.get(m.row.id) ?? m.row.id} : ${m.picked.map(choice).join(', ')}`)
              .join(' ; ');
            break;
          default:
            value = a.choices.map(choice).join(' ; ');
        }
      }
      row[header(x)] = value;
    }
    return row;
  });
  return { columns, rows };
}
