import { z } from 'zod';
import { PROPOSAL_SORTS, type ProposalSort } from './proposals.ts';

/*
 * The list of a proposals component: its filters and order read from the URL (a GET form that
 * works without JavaScript, the same parameters for the live island's fetches), and the keyset
 * cursor of "next page". Pure: no server imports, the island imports it too.
 *
 * Reading is lenient on pages (a bad value is dropped and the default used, the page says so) and
 * strict on the API (400 with the names of the bad parameters).
 */

export const LIST_PAGE_SIZE = 50;
/** The map shows every matching proposal with a point, up to this many (it says so beyond). */
export const MAP_POINTS_CAP = 5000;
export const TEXT_FILTER_MAX = 200;
export const NEAR_RADIUS_MAX = 1_000_000;

export const ANSWER_FILTERS = ['answered', 'not_answered'] as const;
export type AnswerFilter = (typeof ANSWER_FILTERS)[number];

export interface GeoBox {
  s: number;
  w: number;
  n: number;
  e: number;
}
export interface GeoNear {
  lat: number;
  lng: number;
  /** metres */
  radius: number;
}

export interface ListFilters {
  text: string | null;
  taxonomyId: string | null;
  /** A state token, or `not_answered`. */
  state: string | null;
  answer: AnswerFilter | null;
  mine: boolean;
  supported: boolean;
  /** Decidim's "see withdrawn proposals": only the withdrawn ones. */
  withdrawn: boolean;
  box: GeoBox | null;
  near: GeoNear | null;
  /** null: the component's default order. */
  sort: ProposalSort | null;
  /** The random order's seed (stable across pages). */
  seed: string | null;
}

export const EMPTY_FILTERS: ListFilters = {
  text: null,
  taxonomyId: null,
  state: null,
  answer: null,
  mine: false,
  supported: false,
  withdrawn: false,
  box: null,
  near: null,
  sort: null,
  seed: null,
};

export type ListView = 'list' | 'map';

export interface ParsedList {
  filters: ListFilters;
  cursor: Cursor | null;
  view: ListView;
  /** Names of the parameters that were present but not valid (dropped). */
  invalid: string[];
}

const uuid = z.uuid();
const token = z.string().regex(/^[a-z][a-z0-9_]{1,39}$/);
const seedSchema = z.string().regex(/^[a-z0-9]{6,32}$/);
const finite = (min: number, max: number) => z.coerce.number().refine(Number.isFinite).pipe(z.number().min(min).max(max));
const latSchema = finite(-90, 90);
const lngSchema = finite(-180, 180);
const radiusSchema = finite(1, NEAR_RADIUS_MAX);
// NUL cannot reach Postgres text (it would be a 500): such a filter is invalid.
const textSchema = z.string().max(TEXT_FILTER_MAX).refine((s) => !s.includes('\u0000'));
const flag = (v: string | null) => v === 'true' || v === 'on' || v === '1';
const FLAG_VALUES = new Set(['', 'true', 'on', '1', 'false', '0']);

export function isProposalSort(v: unknown): v is ProposalSort {
  return typeof v === 'string' && (PROPOSAL_SORTS as readonly string[]).includes(v);
}

/** Reads the list's parameters; anything invalid is dropped and named in `invalid`. */
export function parseListParams(params: URLSearchParams): ParsedList {
  const invalid: string[] = [];
  const get = (name: string): string | null => {
    const v = params.get(name);
    return v === null || v.trim() === '' ? null : v.trim();
  };
  const read = <T>(name: string, schema: z.ZodType<T>): T | null => {
    const v = get(name);
    if (v === null) return null;
    const r = schema.safeParse(v);
    if (!r.success) {
      invalid.push(name);
      return null;
    }
    return r.data;
  };
  const filters: ListFilters = { ...EMPTY_FILTERS };
  filters.text = read('q', textSchema);
  filters.taxonomyId = read('taxonomy', uuid);
  const state = read('state', token);
  filters.state = state;
  const answer = get('answer');
  if (answer !== null) {
    if ((ANSWER_FILTERS as readonly string[]).includes(answer)) filters.answer = answer as AnswerFilter;
    else invalid.push('answer');
  }
  for (const name of ['mine', 'supported', 'withdrawn'] as const) {
    const v = params.get(name);
    if (v !== null && !FLAG_VALUES.has(v)) invalid.push(name);
    filters[name] = flag(v);
  }
  const sort = get('sort');
  if (sort !== null) {
    if (isProposalSort(sort)) filters.sort = sort;
    else invalid.push('sort');
  }
  filters.seed = read('seed', seedSchema);

  // The box: all four or none.
  const boxNames = ['s', 'w', 'n', 'e'] as const;
  if (boxNames.some((k) => get(k) !== null)) {
    const s = read('s', latSchema);
    const n = read('n', latSchema);
    const w = read('w', lngSchema);
    const e = read('e', lngSchema);
    if (s === null || n === null || w === null || e === null || s > n) {
      for (const k of boxNames) if (!invalid.includes(k)) invalid.push(k);
    } else filters.box = { s, w, n, e };
  }
  const nearNames = ['lat', 'lng', 'radius'] as const;
  if (nearNames.some((k) => get(k) !== null)) {
    const lat = read('lat', latSchema);
    const lng = read('lng', lngSchema);
    const radius = read('radius', radiusSchema);
    if (lat === null || lng === null || radius === null) {
      for (const k of nearNames) if (!invalid.includes(k)) invalid.push(k);
    } else filters.near = { lat, lng, radius };
  }

  let cursor: Cursor | null = null;
  const after = get('after');
  if (after !== null) {
    cursor = decodeCursor(after);
    if (!cursor) invalid.push('after');
  }
  const viewParam = get('view');
  if (viewParam !== null && viewParam !== 'map' && viewParam !== 'list') invalid.push('view');
  return { filters, cursor, view: viewParam === 'map' ? 'map' : 'list', invalid };
}

/** The URL parameters of a set of filters (the inverse of parseListParams), without empty ones. */
export function listParams(filters: ListFilters, extra: { view?: ListView; after?: string | null } = {}): URLSearchParams {
  const q = new URLSearchParams();
  if (filters.text) q.set('q', filters.text);
  if (filters.taxonomyId) q.set('taxonomy', filters.taxonomyId);
  if (filters.state) q.set('state', filters.state);
  if (filters.answer) q.set('answer', filters.answer);
  if (filters.mine) q.set('mine', 'true');
  if (filters.supported) q.set('supported', 'true');
  if (filters.withdrawn) q.set('withdrawn', 'true');
  if (filters.box) for (const k of ['s', 'w', 'n', 'e'] as const) q.set(k, String(filters.box[k]));
  if (filters.near) for (const k of ['lat', 'lng', 'radius'] as const) q.set(k, String(filters.near[k]));
  if (filters.sort) q.set('sort', filters.sort);
  if (filters.seed) q.set('seed', filters.seed);
  if (extra.view === 'map') q.set('view', 'map');
  if (extra.after) q.set('after', extra.after);
  return q;
}

/** Whether any filter narrows the list (the sort and seed do not). */
export function isFiltered(f: ListFilters): boolean {
  return !!(f.text || f.taxonomyId || f.state || f.answer || f.mine || f.supported || f.withdrawn || f.box || f.near);
}

// ---------------------------------------------------------------------------------------------
// Keyset cursor: the last row's sort key and id, for the order it was computed in.
// ---------------------------------------------------------------------------------------------

export interface Cursor {
  sort: ProposalSort;
  /** The sort key as text (a count, a timestamp as Postgres prints it, an md5). */
  key: string;
  id: string;
}

const cursorSchema = z.object({
  s: z.enum(PROPOSAL_SORTS),
  k: z.string().max(100),
  i: z.uuid(),
});

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): string | null {
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(text)) return null;
  try {
    const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
  } catch {
    return null;
  }
}

/** Key shapes per order, so a forged cursor never reaches SQL as a bad cast. */
function keyIsValid(sort: ProposalSort, key: string): boolean {
  switch (sort) {
    case 'random':
      return /^[0-9a-f]{32}$/.test(key);
    case 'recent':
      return isTimestamp(key);
    default:
      return /^\d{1,10}$/.test(key) && Number(key) <= 2_147_483_647;
  }
}

/** A timestamp Postgres reads (its shape is not enough: '2026-02-30' or '+99' would be a 500). */
function isTimestamp(key: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?(?:[+-](\d{2})(?::?(\d{2}))?|Z)?$/.exec(key);
  if (!m) return false;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  return y >= 1 && date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d
    && h <= 23 && mi <= 59 && s <= 59 && (m[8] === undefined || (Number(m[8]) <= 15 && Number(m[9] ?? 0) <= 59));
}

export function encodeCursor(c: Cursor): string {
  return toBase64Url(JSON.stringify({ s: c.sort, k: c.key, i: c.id }));
}

export function decodeCursor(text: string): Cursor | null {
  const json = fromBase64Url(text);
  if (json === null) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return null;
  }
  const r = cursorSchema.safeParse(raw);
  if (!r.success || !keyIsValid(r.data.s, r.data.k)) return null;
  return { sort: r.data.s, key: r.data.k, id: r.data.i };
}
