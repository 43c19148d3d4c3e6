import { isUuid } from '../../lib/ids.ts';

/**
 * The one search: its parameters (from the query string of a GET form, so every result page has
 * an address), their limits, and the highlighted snippets' markup. Pure: no database here.
 */

export const PAGE_SIZE = 20;
/** Counts stop past this (shown "1 000+"): a common word need not read every entry to be counted. */
export const COUNT_CAP = 1000;
export const QUERY_MAX = 200;
/** What `ts_headline` puts around matches; turned into <mark> after the text is escaped. */
export const MARK_START = '\u27E6';
export const MARK_END = '\u27E7';

export interface SearchParams {
  q: string;
  type: string | null;
  spaceId: string | null;
  taxonomyId: string | null;
  /** YYYY-MM-DD, inclusive, in the organization's time zone. */
  from: string | null;
  to: string | null;
  page: number;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const validDate = (v: string | null) => (v && DATE.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) ? v : null);

/** Reads the query string; whatever is malformed is dropped rather than refused (a search page never errs). */
export function parseSearchParams(url: URL, types: readonly string[]): SearchParams {
  const get = (k: string) => url.searchParams.get(k)?.trim() ?? '';
  const q = get('q').replace(/[\p{Cc}\uFFFD]/gu, ' ').slice(0, QUERY_MAX).trim();
  const type = get('type');
  const page = Number.parseInt(get('page'), 10);
  return {
    q,
    type: types.includes(type) ? type : null,
    spaceId: isUuid(get('space')) ? get('space') : null,
    taxonomyId: isUuid(get('taxonomy')) ? get('taxonomy') : null,
    from: validDate(get('from')),
    to: validDate(get('to')),
    page: Number.isFinite(page) && page > 1 && page <= 500 ? page : 1,
  };
}

/** The search page's address for these parameters (empty ones left out). */
export function searchHref(locale: string, p: Partial<SearchParams>): string {
  const qs = new URLSearchParams();
  if (p.q) qs.set('q', p.q);
  if (p.type) qs.set('type', p.type);
  if (p.spaceId) qs.set('space', p.spaceId);
  if (p.taxonomyId) qs.set('taxonomy', p.taxonomyId);
  if (p.from) qs.set('from', p.from);
  if (p.to) qs.set('to', p.to);
  if (p.page && p.page > 1) qs.set('page', String(p.page));
  const s = qs.toString();
  return `/${locale}/search${s ? `?${s}` : ''}`;
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A headline from the database as HTML: everything escaped, then the match markers as <mark>. */
export function highlighted(headline: string): string {
  return escape(headline).replaceAll(MARK_START, '<mark>').replaceAll(MARK_END, '</mark>');
}

/** Words of a text filter (letters and digits, at most 8), for prefix matching. */
export function filterWords(text: string): string[] {
  return (text.normalize('NFC').match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 8).map((w) => w.slice(0, 60));
}

/**
 * Characters a text filter means literally (`100%`, `#12`, `a_b`) but that words cannot match:
 * when a filter has some, the text itself must also be found (ILIKE) in what the words found.
 */
export function hasLiteralSymbols(text: string): boolean {
  return /[^\p{L}\p{N}\s'’.,;:!?«»"()\-–—]/u.test(text);
}

/** `%text%` for ILIKE with the pattern characters escaped (backslash is ILIKE's escape). */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** `to_tsquery` text for the words, each as a prefix: "piste cycl" → `piste:* & cycl:*`. */
export function prefixQuery(words: readonly string[]): string {
  return words.map((w) => `${w}:*`).join(' & ');
}
