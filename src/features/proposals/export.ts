import { htmlToText } from '../../lib/html/sanitize.ts';

/*
 * Exports of proposals (admin CSV/JSON, open data): pure formatting, no server imports. CSV is
 * RFC 4180 (CRLF, quoted fields, doubled quotes), UTF-8 with a byte order mark so that Excel reads
 * accents, and safe to open in a spreadsheet: a text cell that starts like a formula is prefixed
 * with a quote (OWASP "CSV injection").
 */

export interface ExportedProposal {
  id: string;
  number: number;
  title: string;
  body: string;
  state: string | null;
  state_name: string | null;
  answer: string | null;
  /** Null while the component's active phase hides supports. */
  supports: number | null;
  likes: number;
  comments: number;
  follows: number;
  taxonomy: string | null;
  address: string | null;
  latitude: number | null;
  longitude: number | null;
  authors: string[];
  official: boolean;
  withdrawn: boolean;
  published_at: string | null;
  url: string;
  /** Admin exports only: the internal answer's state and whether it is published. */
  internal_state?: string | null;
  answer_published?: boolean;
}

export const EXPORT_COLUMNS = [
  'id',
  'number',
  'title',
  'body',
  'state',
  'state_name',
  'answer',
  'supports',
  'likes',
  'comments',
  'follows',
  'taxonomy',
  'address',
  'latitude',
  'longitude',
  'authors',
  'official',
  'withdrawn',
  'published_at',
  'url',
] as const;
export const ADMIN_EXPORT_COLUMNS = [...EXPORT_COLUMNS, 'internal_state', 'answer_published'] as const;

/** Plain text of a stored HTML body or answer. */
export function plainText(html: string | null | undefined): string {
  return htmlToText(html ?? '');
}

const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV field: formula-safe, quoted when it has to be. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text: string;
  if (typeof value === 'number' || typeof value === 'boolean') text = String(value);
  else if (Array.isArray(value)) text = value.map(String).join(', ');
  else text = String(value);
  if (typeof value === 'string' || Array.isArray(value)) {
    if (FORMULA_START.test(text)) text = `'${text}`;
  }
  return /[",\r\n;]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A whole CSV document: BOM, header row, one line per record, CRLF line ends. */
export function toCsv(columns: readonly string[], rows: readonly Record<string, unknown>[]): string {
  const lines = [columns.map(csvCell).join(',')];
  for (const row of rows) lines.push(columns.map((c) => csvCell(row[c])).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export function csvResponse(body: string, filename: string): Response {
  return new Response(body, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${filename}"`,
      'cache-control': 'private, no-store',
      'x-content-type-options': 'nosniff',
    },
  });
}

export function jsonResponse(body: unknown, filename: string, publicCache = false): Response {
  return new Response(JSON.stringify(body, null, 2), {
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'content-disposition': `attachment; filename="${filename}"`,
      'cache-control': publicCache ? 'public, max-age=300' : 'private, no-store',
      'x-content-type-options': 'nosniff',
    },
  });
}
