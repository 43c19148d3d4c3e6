import { DEBATE_SORTS, ORIGIN_FILTERS, STATE_FILTERS, TEXT_FILTER_MAX, type DebateSort, type OriginFilter, type StateFilter } from './debates.ts';

/*
 * The list's filters and order, read from the URL (a GET form that works without JavaScript).
 * Lenient: a bad value is dropped (named in `invalid`, the page says so) and the default used.
 * Pure: no server imports.
 */

export interface ListParams {
  state: StateFilter;
  origin: OriginFilter | null;
  taxonomyId: string | null;
  text: string | null;
  mine: boolean;
  sort: DebateSort;
  after: string | null;
  invalid: string[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function parseListParams(q: URLSearchParams): ListParams {
  const invalid: string[] = [];
  const get = (name: string) => {
    const v = q.get(name);
    return v === null || v.trim() === '' ? null : v.trim();
  };
  const pick = <T extends string>(name: string, values: readonly T[]): T | null => {
    const v = get(name);
    if (v === null) return null;
    if ((values as readonly string[]).includes(v)) return v as T;
    invalid.push(name);
    return null;
  };
  const state = pick('state', STATE_FILTERS) ?? 'open';
  const origin = pick('origin', ORIGIN_FILTERS);
  const sort = pick('sort', DEBATE_SORTS) ?? 'recent_activity';
  let taxonomyId = get('taxonomy');
  if (taxonomyId !== null && !UUID.test(taxonomyId)) {
    invalid.push('taxonomy');
    taxonomyId = null;
  }
  let text = get('q');
  if (text !== null && (text.length > TEXT_FILTER_MAX || text.includes('\u0000'))) {
    invalid.push('q');
    text = null;
  }
  const mineRaw = get('mine');
  const mine = mineRaw === 'true' || mineRaw === 'on' || mineRaw === '1';
  return { state, origin, taxonomyId, text, mine, sort, after: get('after'), invalid };
}

/** The query string of a list view (defaults left out), with a cursor when paging. */
export function listQuery(p: Omit<ListParams, 'invalid' | 'after'>, after: string | null = null): string {
  const q = new URLSearchParams();
  if (p.state !== 'open') q.set('state', p.state);
  if (p.origin) q.set('origin', p.origin);
  if (p.taxonomyId) q.set('taxonomy', p.taxonomyId);
  if (p.text) q.set('q', p.text);
  if (p.mine) q.set('mine', 'true');
  if (p.sort !== 'recent_activity') q.set('sort', p.sort);
  if (after) q.set('after', after);
  return q.toString();
}

export function isFiltered(p: Omit<ListParams, 'invalid' | 'after'>): boolean {
  return p.origin !== null || p.taxonomyId !== null || p.text !== null || p.mine;
}
