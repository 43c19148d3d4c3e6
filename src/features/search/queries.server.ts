import type postgres from 'postgres';
import { asUser, type Claims, type Tx } from '../../lib/db/index.ts';
import type { TranslatedText } from '../../lib/i18n/translated.ts';
import { COUNT_CAP, filterWords, hasLiteralSymbols, MARK_END, MARK_START, PAGE_SIZE, prefixQuery, type SearchParams } from './search.ts';

/**
 * The one search, as the visitor (`asUser`): it answers as RLS does for the resources themselves,
 * so nobody finds what they may not see. Words are matched with the
 * French and the English configurations (accents ignored), ranked titles first; without words,
 * the filters alone list the newest. Counts per type ignore the type filter (they label its tabs).
 */

export interface SearchHit {
  type: string;
  id: string;
  /** Null for a space's own entry (a process, an assembly). */
  componentId: string | null;
  space: { id: string; kind: 'process' | 'assembly'; slug: string; title: TranslatedText };
  componentName: TranslatedText | null;
  /** Plain text with the match markers (see `highlighted`). */
  title: string;
  snippet: string;
  publishedAt: Date | null;
  /** The resource it lives on (a comment's proposal), with that one's plain title when indexed. */
  parent: { type: string; id: string; title: string | null } | null;
}

export interface SearchResult {
  /** Per type; a count above COUNT_CAP means "more than COUNT_CAP". */
  counts: Record<string, number>;
  total: number;
  hits: SearchHit[];
}

/** The text of a translated value (or a plain string) in the visitor's language, in SQL. */
const textIn = (tx: Tx, column: postgres.Fragment, locale: string, fallback: string) => tx`
  case jsonb_typeof(${column}) when 'string' then ${column} #>> '{}'
  else coalesce(nullif(${column} ->> ${locale}, ''), nullif(${column} ->> ${fallback}, ''),
                (select t.v from jsonb_each_text(${column}) t(k, v) where t.v <> '' limit 1), '') end`;

/**
 * The French and the English queries as one; only once when both configurations read the words
 * alike (most words: `bancs` is `banc` in both), since the index would otherwise be read twice
 * for the same lexemes.
 */
const eitherLanguage = (tx: Tx, fr: postgres.Fragment, en: postgres.Fragment) =>
  tx`(select case when x.fr = x.en then x.fr else x.fr || x.en end from (select ${fr} as fr, ${en} as en) x)`;

/** The words as one query of both languages' configurations (null: no words). */
function wordsQuery(tx: Tx, q: string) {
  return q
    ? eitherLanguage(tx, tx`websearch_to_tsquery('private.search_fr', ${q})`, tx`websearch_to_tsquery('private.search_en', ${q})`)
    : tx`null::tsquery`;
}

export function hasCriteria(p: SearchParams): boolean {
  return !!(p.q || p.spaceId || p.taxonomyId || p.from || p.to);
}

/**
 * The index is read through `private.search_results` (security definer: the same predicate as the
 * table's RLS policy, with the caller's visibility computed once for the counts, the page, the
 * parents' titles and where each result lives), in one statement; the headlines are made for the
 * page's rows only.
 */
export async function search(claims: Claims | null, p: SearchParams, locale: string, defaultLocale: string): Promise<SearchResult> {
  if (!hasCriteria(p)) return { counts: {}, total: 0, hits: [] };
  return asUser(claims, async (tx) => {
    const zone = tx`(select coalesce((select o.time_zone from public.organization o limit 1), 'Europe/Paris'))`;
    const from = p.from ? tx`((${p.from}::date)::timestamp at time zone ${zone})` : tx`null::timestamptz`;
    const to = p.to ? tx`((${p.to}::date + 1)::timestamp at time zone ${zone})` : tx`null::timestamptz`;
    const rows = await tx<{
      resource_type: string; n: number | null; resource_id: string | null; component_id: string | null; space_id: string; kind: 'process' | 'assembly';
      slug: string; space_title: TranslatedText; component_name: TranslatedText | null; title: string; snippet: string; published_at: Date | null;
      parent_type: string | null; parent_id: string | null; parent_title: string | null;
    }[]>`
      with q as (select ${wordsQuery(tx, p.q)} as tsq),
      r as (select r.* from q cross join lateral private.search_results(q.tsq, ${p.type}::text,
              ${p.spaceId}::uuid, ${p.taxonomyId}::uuid, ${from}, ${to}, ${PAGE_SIZE}, ${(p.page - 1) * PAGE_SIZE}, ${COUNT_CAP}) with ordinality r)
      select m.resource_type, m.n, m.resource_id, m.component_id, m.space_id, m.space_kind as kind, m.space_slug as slug, m.space_title,
        m.component_name,
        case when m.resource_id is null then '' when q.tsq is null then ${textIn(tx, tx`m.title`, locale, defaultLocale)}
             else ts_headline('private.search_fr', ${textIn(tx, tx`m.title`, locale, defaultLocale)}, q.tsq,
                    ${`StartSel=${MARK_START}, StopSel=${MARK_END}, HighlightAll=true`}) end as title,
        case when m.resource_id is null then '' when q.tsq is null then left(${textIn(tx, tx`m.body`, locale, defaultLocale)}, 240)
             else ts_headline('private.search_fr', ${textIn(tx, tx`m.body`, locale, defaultLocale)}, q.tsq,
                    ${`StartSel=${MARK_START}, StopSel=${MARK_END}, MaxWords=30, MinWords=12, ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "`}) end as snippet,
        m.published_at, m.parent_type, m.parent_id,
        case when m.parent_title is null then null else ${textIn(tx, tx`m.parent_title`, locale, defaultLocale)} end as parent_title
      from q cross join r m
      order by m.ordinality`;
    const countRows = rows.filter((r) => r.resource_id === null);
    const counts = Object.fromEntries(countRows.map((r) => [r.resource_type, r.n ?? 0]));
    const total = p.type ? (counts[p.type] ?? 0) : countRows.reduce((a, r) => a + (r.n ?? 0), 0);
    return {
      counts,
      total,
      hits: rows
        .filter((r) => r.resource_id !== null)
        .map((r) => ({
          type: r.resource_type,
          id: r.resource_id!,
          componentId: r.component_id,
          space: { id: r.space_id, kind: r.kind, slug: r.slug, title: r.space_title },
          componentName: r.component_name,
          title: r.title,
          snippet: r.snippet,
          publishedAt: r.published_at,
          parent: r.parent_type && r.parent_id ? { type: r.parent_type, id: r.parent_id, title: r.parent_title || null } : null,
        })),
    };
  });
}

/** The spaces the visitor may search in (RLS: what they see), for the filter. */
export async function searchableSpaces(claims: Claims | null): Promise<{ id: string; title: TranslatedText }[]> {
  return asUser(claims, (tx) => tx<{ id: string; title: TranslatedText }[]>`
    select s.id, s.title from public.spaces s where s.published_at is not null order by s.kind desc, s.weight, s.created_at limit 500`);
}

/**
 * The ids of a component's resources of `resourceType` whose title or body has every word of
 * `text` (as word prefixes, accents ignored, either language), as one array (null: no words). Use
 * as `and <id column> = any (<fragment>)` — computed once for the statement, then looked up in an
 * index led by the component (proposals: `(component_id, id)`, where one component's ids are
 * neighbours; 2,000 of them in 1 ms, against 2.5 ms through a primary key that spreads them over
 * every component's leaves, and 6 ms for `in (select …)`, probed one by one).
 */
export function textFilterIds(tx: Tx, resourceType: string, componentId: string, text: string): postgres.Fragment | null {
  const words = filterWords(text);
  if (words.length === 0) return null;
  const q = prefixQuery(words);
  return tx`array(select private.search_component_ids(${resourceType}, ${componentId}::uuid,
              ${eitherLanguage(tx, tx`to_tsquery('private.search_fr', ${q})`, tx`to_tsquery('private.search_en', ${q})`)}))`;
}

/**
 * A component's text filter (proposals, debates, a budget's projects): `ids` as textFilterIds, and
 * `literal`, the text the feature must also find in its own columns (ILIKE, likePattern) — when
 * the filter has no words at all, or symbols the words cannot match (`100%`, `#12`).
 */
export function componentTextFilter(
  tx: Tx,
  resourceType: string,
  componentId: string,
  text: string | null,
): { ids: postgres.Fragment | null; literal: string | null } {
  if (!text) return { ids: null, literal: null };
  const ids = textFilterIds(tx, resourceType, componentId, text);
  return { ids, literal: !ids || hasLiteralSymbols(text) ? text : null };
}
