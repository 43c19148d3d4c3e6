/**
 * CSV for exports and open data, through `csv-stringify` (RFC 4180 quoting done by a maintained
 * library), with what spreadsheets need on top: a UTF-8 BOM so Excel reads accents, CRLF line
 * ends, and the OWASP "CSV injection" guard — a text cell that starts like a formula (= + - @ tab
 * CR) is prefixed with a quote, so opening the file never runs it. Numbers and booleans are
 * written as they are.
 */
import { stringify } from 'csv-stringify/sync';

const FORMULA_START = /^[=+\-@\t\r]/;

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const text = Array.isArray(value) ? value.map(String).join(', ') : String(value);
  return FORMULA_START.test(text) ? `'${text}` : text;
}

function lines(records: readonly (readonly unknown[])[]): string {
  return stringify(
    records.map((r) => r.map(cellText)),
    // csv-stringify quotes commas, quotes and the record delimiter itself; also any lone line
    // break, and ';', the separator French spreadsheets guess.
    { record_delimiter: '\r\n', quoted_match: /[;\r\n]/ },
  );
}

/** One CSV field: formula-safe, quoted when it has to be. */
export function csvCell(value: unknown): string {
  return lines([[value]]).replace(/\r\n$/, '');
}

/** A whole CSV document: BOM, header row, one line per record, CRLF line ends. */
export function toCsv(columns: readonly string[], rows: readonly Record<string, unknown>[]): string {
  return `\uFEFF${lines([columns, ...rows.map((row) => columns.map((c) => row[c]))])}`;
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
