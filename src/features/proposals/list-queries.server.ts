import { asUser, sql, type Claims, type Sql, type Tx } from '../../lib/db/index.ts';
import type { TranslatedText } from '../../lib/i18n/translated.ts';
import { encodeCursor, isProposalSort, LIST_PAGE_SIZE, MAP_POINTS_CAP, type Cursor, type ListFilters } from './list.ts';
import { readProposalsSettings } from './manifest.ts';
import type { ProposalSort } from './proposals.ts';
import { DEFAULT_STATE_COLOR } from './state-color.ts';
import { componentTextFilter } from '../search/queries.server.ts';
import { filterWords, likePattern } from '../search/search.ts';

/*
 * The public list of a proposals component, read as the visitor (row-level security decides what
 * they may see; the list then keeps the published, visible, non-emendation proposals). A page is
 * a constant number of statements whatever its size: the component's facts (settings, whether
 * supports are hidden, whether creation is open, its states) in one, the rows with their state,
 * taxonomy and authors in one (joins and a lateral aggregate), the total in one. Pagination is by
 * keyset on the order's key and the id: no OFFSET.
 */

export interface ListState {
  token: string;
  name: TranslatedText;
  color: string;
}

export interface ProposalAuthor {
  name: string;
  nickname: string;
}

export interface ProposalListItem {
  id: string;
  number: number;
  title: string;
  official: boolean;
  publishedAt: string;
  withdrawn: boolean;
  answeredAt: string | null;
  /** The published answer's text (HTML, sanitised on render). */
  answer: TranslatedText;
  state: ListState | null;
  taxonomy: { id: string; name: TranslatedText } | null;
  authors: ProposalAuthor[];
  /** null while the active phase hides support counts. */
  supports: number | null;
  likes: number;
  comments: number;
  follows: number;
  supportedByMe: boolean;
  lat: number | null;
  lng: number | null;
  address: string | null;
}

export interface ListFacts {
  votesHidden: boolean;
  canCreate: boolean;
  /** Submitting is open but requires a verification the viewer does not hold. */
  createNeedsVerification: boolean;
  threshold: number;
  defaultSort: ProposalSort;
  states: ListState[];
  /**
   * What the viewer may do in the proposals admin: 'admin' (space admin: manage every proposal),
   * 'evaluator' (a space evaluator: the proposals assigned to them), or null.
   */
  manage: 'admin' | 'evaluator' | null;
}

export interface ProposalListPage extends ListFacts {
  items: ProposalListItem[];
  /** The cursor of the next page, or null on the last one. */
  next: string | null;
  total: number;
  /** The order used (the requested one, else the component's default; never most_voted while supports are hidden). */
  sort: ProposalSort;
  seed: string;
}

export interface ListPoint {
  id: string;
  title: string;
  lat: number;
  lng: number;
  state: string | null;
  color: string | null;
}

export interface PointsResult {
  points: ListPoint[];
  /** More matching proposals have a point than the cap. */
  truncated: boolean;
}

const DEFAULT_SEED = 'decidons';

interface FactsRow {
  settings: unknown;
  votes_hidden: boolean;
  can_create: boolean;
  create_unverified: boolean;
  states: ListState[];
  is_admin: boolean;
  is_evaluator: boolean;
}

async function factsTx(tx: Tx, componentId: string): Promise<ListFacts | null> {
  const [row] = await tx<FactsRow[]>`
    select c.settings, private.votes_hidden(c.id) as votes_hidden, private.component_allows(c.id, 'create') as can_create,
      coalesce(private.component_action_state(c.id, 'create') = 'unverified', false) as create_unverified,
      private.has_space_role(c.space_id, 'admin') as is_admin, private.has_space_role(c.space_id, 'evaluator') as is_evaluator,
      coalesce((select jsonb_agg(jsonb_build_object('token', s.token, 'name', s.name, 'color', s.color) order by s.weight, s.created_at)
                from public.proposal_states s where s.component_id = c.id), '[]'::jsonb) as states
    from public.components c where c.id = ${componentId}::uuid and c.feature = 'proposals'`;
  if (!row) return null;
  const settings = readProposalsSettings(row.settings);
  return {
    votesHidden: row.votes_hidden,
    canCreate: row.can_create,
    createNeedsVerification: row.create_unverified,
    threshold: settings.threshold_per_proposal,
    defaultSort: isProposalSort(settings.default_sort) ? settings.default_sort : 'random',
    states: row.states,
    manage: row.is_admin ? 'admin' : row.is_evaluator ? 'evaluator' : null,
  };
}

/** The order actually used: never by supports while they are hidden. */
export function effectiveSort(requested: ProposalSort | null, facts: Pick<ListFacts, 'defaultSort' | 'votesHidden'>): ProposalSort {
  const sort = requested ?? facts.defaultSort;
  if (sort === 'most_voted' && facts.votesHidden) return facts.defaultSort === 'most_voted' ? 'random' : facts.defaultSort;
  return sort;
}

/** The list's conditions (in addition to row-level security). */
function whereOf(tx: Tx, componentId: string, f: ListFilters) {
  // Words through the one search index (accents ignored, stemmed, prefixes: the list filters as the
  // user types); symbols the words cannot match (`100%`, `#12`) are also looked for literally.
  const { ids: words, literal } = componentTextFilter(tx, 'proposal', componentId, f.text);
  const pattern = literal ? likePattern(literal) : null;
  return tx`
    p.component_id = ${componentId}::uuid and p.published_at is not null and p.hidden_at is null and p.amends_id is null
    ${f.withdrawn ? tx`and p.withdrawn_at is not null` : tx`and p.withdrawn_at is null`}
    ${words ? tx`and p.id = any (${words})` : tx``}
    ${pattern ? tx`and (p.title ilike ${pattern} or p.body ilike ${pattern})` : tx``}
    ${f.taxonomyId
      ? tx`and p.taxonomy_id in (
          with recursive sub(id) as (
            select ${f.taxonomyId}::uuid
            union
            select t.id from public.taxonomies t join sub on t.parent_id = sub.id
          ) select id from sub)`
      : tx``}
    ${f.state === 'not_answered'
      ? tx`and p.state_id is null`
      : f.state
        ? tx`and p.state_id = (select s.id from public.proposal_states s where s.component_id = ${componentId}::uuid and s.token = ${f.state})`
        : tx``}
    ${f.answer === 'answered' ? tx`and p.answered_at is not null` : f.answer === 'not_answered' ? tx`and p.answered_at is null` : tx``}
    ${f.mine
      ? tx`and exists (select 1 from public.proposal_coauthors a
                       where a.proposal_id = p.id and a.user_id = (select auth.uid()) and a.status = 'accepted')`
      : tx``}
    ${f.supported
      ? tx`and exists (select 1 from public.proposal_supports ps where ps.proposal_id = p.id and ps.user_id = (select auth.uid()))`
      : tx``}
    ${f.box
      ? tx`and public.geo_in_box(p.latitude, p.longitude, ${f.box.s}::float8, ${f.box.w}::float8, ${f.box.n}::float8, ${f.box.e}::float8)`
      : tx``}
    ${f.near
      ? tx`and p.latitude between (select b.south from public.geo_box_around(${f.near.lat}::float8, ${f.near.lng}::float8, ${f.near.radius}::float8) b)
                              and (select b.north from public.geo_box_around(${f.near.lat}::float8, ${f.near.lng}::float8, ${f.near.radius}::float8) b)
           and exists (select 1 from public.geo_box_around(${f.near.lat}::float8, ${f.near.lng}::float8, ${f.near.radius}::float8) b
                       where public.geo_in_box(p.latitude, p.longitude, b.south, b.west, b.north, b.east))
           and public.geo_distance_m(${f.near.lat}::float8, ${f.near.lng}::float8, p.latitude, p.longitude) <= ${f.near.radius}::float8`
      : tx``}`;
}

/**
 * The columns of `public.proposals` a page reads (the API roles may not select the support counts:
 * `p.*` is refused; counts come from `private.proposal_supports`).
 */
function pageColumns(tx: Tx) {
  return tx`p.id, p.number, p.title, p.official, p.published_at, p.withdrawn_at, p.answered_at, p.answer, p.state_id, p.taxonomy_id,
    p.likes_count, p.comments_count, p.follows_count, p.latitude, p.longitude, p.address`;
}

/**
 * The "most supported" order reads the counts of the whole component through
 * `private.component_proposal_supports` (only used while counts are shown: see effectiveSort).
 */
function rankingOf(tx: Tx, componentId: string, sort: ProposalSort) {
  return sort === 'most_voted'
    ? tx`join private.component_proposal_supports(array[${componentId}::uuid]) sp on sp.proposal_id = p.id`
    : tx``;
}

/**
 * The order's key (as text for the cursor), its ORDER BY over the proposals, its "after this row"
 * condition, and its ORDER BY over the chosen page (`rank`: the count the page was ordered by,
 * carried by the page's rows since the supports of "most supported" come from a join).
 */
function orderOf(tx: Tx, sort: ProposalSort, seed: string, after: Cursor | null) {
  const id = after?.id ?? null;
  const k = after?.key ?? null;
  const counted = (col: 'sp.supports' | 'p.likes_count' | 'p.comments_count' | 'p.follows_count') => {
    const c = tx(col);
    return {
      key: tx`${c}::text`,
      order: tx`${c} desc, p.id`,
      after: after ? tx`and (${c} < ${k}::int or (${c} = ${k}::int and p.id > ${id}::uuid))` : tx``,
      rank: tx`${c}`,
      pageOrder: tx`p.rank desc, p.id`,
    };
  };
  switch (sort) {
    case 'random':
      return {
        key: tx`md5(${seed} || p.id::text)`,
        order: tx`md5(${seed} || p.id::text), p.id`,
        after: after
          ? tx`and (md5(${seed} || p.id::text) > ${k} or (md5(${seed} || p.id::text) = ${k} and p.id > ${id}::uuid))`
          : tx``,
        rank: tx`null::int`,
        pageOrder: tx`md5(${seed} || p.id::text), p.id`,
      };
    case 'recent':
      return {
        key: tx`p.published_at::text`,
        order: tx`p.published_at desc, p.id`,
        after: after
          ? tx`and (p.published_at < ${k}::timestamptz or (p.published_at = ${k}::timestamptz and p.id > ${id}::uuid))`
          : tx``,
        rank: tx`null::int`,
        pageOrder: tx`p.published_at desc, p.id`,
      };
    case 'most_voted':
      return counted('sp.supports');
    case 'most_liked':
      return counted('p.likes_count');
    case 'most_commented':
      return counted('p.comments_count');
    case 'most_followed':
      return counted('p.follows_count');
  }
}

interface ItemRow {
  id: string;
  number: string | number;
  title: string;
  official: boolean;
  published_at: Date;
  withdrawn_at: Date | null;
  answered_at: Date | null;
  answer: TranslatedText | null;
  state_token: string | null;
  state_name: TranslatedText | null;
  state_color: string | null;
  taxonomy_id: string | null;
  taxonomy_name: TranslatedText | null;
  authors: ProposalAuthor[] | null;
  supports: number | null;
  likes_count: number;
  comments_count: number;
  follows_count: number;
  supported: boolean;
  latitude: number | null;
  longitude: number | null;
  address: string | null;
  k: string;
}

function columnsOf(tx: Tx, votesHidden: boolean) {
  return tx`
    p.id, p.number, p.title, p.official, p.published_at, p.withdrawn_at, p.answered_at, p.answer,
    s.token as state_token, s.name as state_name, s.color as state_color,
    t.id as taxonomy_id, t.name as taxonomy_name, au.authors,
    ${votesHidden ? tx`null::int` : tx`ps.supports`} as supports, p.likes_count, p.comments_count, p.follows_count,
    exists (select 1 from public.proposal_supports ps where ps.proposal_id = p.id and ps.user_id = (select auth.uid())) as supported,
    p.latitude, p.longitude, p.address`;
}

/** State, taxonomy, authors and support counts of the rows of `page` (authors and counts of the whole page in one call each). */
function joinsOf(tx: Tx) {
  return tx`
    left join public.proposal_states s on s.id = p.state_id
    left join public.taxonomies t on t.id = p.taxonomy_id
    left join private.proposal_list_authors(array(select page.id from page)) au on au.proposal_id = p.id
    left join private.proposal_supports(array(select page.id from page)) ps on ps.proposal_id = p.id`;
}

function toItem(r: ItemRow): ProposalListItem {
  return {
    id: r.id,
    number: Number(r.number),
    title: r.title,
    official: r.official,
    publishedAt: r.published_at.toISOString(),
    withdrawn: r.withdrawn_at !== null,
    answeredAt: r.answered_at ? r.answered_at.toISOString() : null,
    answer: r.answer ?? {},
    state: r.state_token ? { token: r.state_token, name: r.state_name ?? {}, color: r.state_color ?? DEFAULT_STATE_COLOR } : null,
    taxonomy: r.taxonomy_id ? { id: r.taxonomy_id, name: r.taxonomy_name ?? {} } : null,
    authors: r.authors ?? [],
    supports: r.supports,
    likes: r.likes_count,
    comments: r.comments_count,
    follows: r.follows_count,
    supportedByMe: r.supported,
    lat: r.latitude,
    lng: r.longitude,
    address: r.address,
  };
}

type PageRow = ItemRow & { total: number | null };

async function countTx(tx: Tx, componentId: string, filters: ListFilters): Promise<number> {
  const [count] = await tx<{ n: number }[]>`select count(*)::int as n from public.proposals p where ${whereOf(tx, componentId, filters)}`;
  return count?.n ?? 0;
}

/**
 * A page under a filter with words, and its total, in one statement: the words' matches (2,000
 * of 10,000 proposals for a common word) are asked of the index once and read once — all of them
 * are read for the total anyway, so they are ordered there too (a window), and the page is the
 * first of them after the cursor. Asked apart, the ids made a round trip to the app and back
 * (planned as a 2,000-element constant, twice: 7 ms of the page's 18).
 */
function textPageTx(
  tx: Tx,
  componentId: string,
  facts: ListFacts,
  filters: ListFilters,
  sort: ProposalSort,
  o: ReturnType<typeof orderOf>,
  size: number,
) {
  return tx<PageRow[]>`
    with matched as materialized (
      select ${pageColumns(tx)}, ${o.key} as k, ${o.rank} as rank, (true ${o.after}) as after_cursor,
             row_number() over (order by ${o.order}) as position
      from public.proposals p ${rankingOf(tx, componentId, sort)}
      where ${whereOf(tx, componentId, filters)}
    ), page as materialized (
      select * from matched m where m.after_cursor order by m.position limit ${size + 1}
    )
    select ${columnsOf(tx, facts.votesHidden)}, p.k, (select count(*)::int from matched) as total
    from page p ${joinsOf(tx)}
    order by p.position`;
}

async function pageTx(
  tx: Tx,
  componentId: string,
  facts: ListFacts,
  filters: ListFilters,
  cursor: Cursor | null,
  pageSize: number,
): Promise<ProposalListPage> {
  const sort = effectiveSort(filters.sort, facts);
  const seed = filters.seed ?? DEFAULT_SEED;
  const after = cursor && cursor.sort === sort ? cursor : null;
  const size = Math.min(Math.max(Math.trunc(pageSize) || LIST_PAGE_SIZE, 1), 200);
  const o = orderOf(tx, sort, seed, after);
  // The page's rows are chosen first (the order's index, or one sort of the matching rows for
  // random), then joined to their state, taxonomy and authors: the joins run for the page only.
  const rows = filters.text && filterWords(filters.text).length > 0
    ? await textPageTx(tx, componentId, facts, filters, sort, o, size)
    : await tx<PageRow[]>`
    with page as materialized (
      select ${pageColumns(tx)}, ${o.key} as k, ${o.rank} as rank from public.proposals p ${rankingOf(tx, componentId, sort)}
      where ${whereOf(tx, componentId, filters)} ${o.after}
      order by ${o.order}
      limit ${size + 1}
    )
    select ${columnsOf(tx, facts.votesHidden)}, p.k, null::int as total
    from page p ${joinsOf(tx)}
    order by ${o.pageOrder}`;
  // The total: carried by the rows of a filter with words; counted apart otherwise (one index
  // read, where the page reads 51 rows of the order's index).
  const total = rows[0]?.total ?? (await countTx(tx, componentId, filters));
  const more = rows.length > size;
  const page = more ? rows.slice(0, size) : rows;
  const last = page[page.length - 1];
  return {
    ...facts,
    items: page.map(toItem),
    next: more && last ? encodeCursor({ sort, key: last.k, id: last.id }) : null,
    total,
    sort,
    seed,
  };
}

async function pointsTx(tx: Tx, componentId: string, filters: ListFilters, cap: number): Promise<PointsResult> {
  const rows = await tx<{ id: string; title: string; latitude: number; longitude: number; token: string | null; color: string | null }[]>`
    select p.id, p.title, p.latitude, p.longitude, s.token, s.color
    from public.proposals p left join public.proposal_states s on s.id = p.state_id
    where ${whereOf(tx, componentId, filters)} and p.latitude is not null and p.longitude is not null
    order by p.published_at desc, p.id
    limit ${cap + 1}`;
  return {
    points: rows.slice(0, cap).map((r) => ({ id: r.id, title: r.title, lat: r.latitude, lng: r.longitude, state: r.token, color: r.color })),
    truncated: rows.length > cap,
  };
}

/**
 * One page of the list as the visitor sees it (null when the component is not a proposals
 * component they may see). The benchmark calls this: the statements it runs do not depend on the
 * page size — the transaction's settings, the facts, the rows (with states, taxonomies and
 * authors), the total: 4, plus BEGIN and COMMIT; 3 when the filter has words (the rows carry the
 * total).
 */
export async function listProposals(
  claims: Claims | null,
  componentId: string,
  filters: ListFilters,
  cursor: Cursor | null = null,
  pageSize: number = LIST_PAGE_SIZE,
  /** Another pool (the benchmark counts statements through its own). */
  db: Sql = sql(),
): Promise<ProposalListPage | null> {
  return asUser(
    claims,
    async (tx) => {
      const facts = await factsTx(tx, componentId);
      return facts ? pageTx(tx, componentId, facts, filters, cursor, pageSize) : null;
    },
    db,
  );
}

/** The list page and, for the map view, every matching point (up to the cap), in one transaction. */
export async function listProposalsWithPoints(
  claims: Claims | null,
  componentId: string,
  filters: ListFilters,
  cursor: Cursor | null,
  opts: { pageSize?: number; points: boolean; cap?: number },
): Promise<{ page: ProposalListPage; points: PointsResult | null } | null> {
  return asUser(claims, async (tx) => {
    const facts = await factsTx(tx, componentId);
    if (!facts) return null;
    const page = await pageTx(tx, componentId, facts, filters, cursor, opts.pageSize ?? LIST_PAGE_SIZE);
    const points = opts.points ? await pointsTx(tx, componentId, filters, opts.cap ?? MAP_POINTS_CAP) : null;
    return { page, points };
  });
}

/** Only the matching points (the map's live refresh). */
export async function listProposalPoints(
  claims: Claims | null,
  componentId: string,
  filters: ListFilters,
  cap: number = MAP_POINTS_CAP,
): Promise<PointsResult | null> {
  return asUser(claims, async (tx) => {
    const [c] = await tx<{ ok: boolean }[]>`select true as ok from public.components c where c.id = ${componentId}::uuid and c.feature = 'proposals'`;
    return c ? pointsTx(tx, componentId, filters, cap) : null;
  });
}

/**
 * One proposal as a card of this list, if it belongs in the list under these filters (null
 * otherwise: not visible, hidden, withdrawn, a draft, an emendation, or filtered out).
 */
export async function getListedProposal(
  claims: Claims | null,
  componentId: string,
  proposalId: string,
  filters: ListFilters,
): Promise<{ item: ProposalListItem; facts: ListFacts } | null> {
  return asUser(claims, async (tx) => {
    const facts = await factsTx(tx, componentId);
    if (!facts) return null;
    const [row] = await tx<ItemRow[]>`
      with page as materialized (
        select ${pageColumns(tx)} from public.proposals p where ${whereOf(tx, componentId, filters)} and p.id = ${proposalId}::uuid
      )
      select ${columnsOf(tx, facts.votesHidden)}, '' as k
      from page p ${joinsOf(tx)}`;
    return row ? { item: toItem(row), facts } : null;
  });
}

export interface ListedCounts {
  id: string;
  supports: number | null;
  likes: number;
  comments: number;
}

/**
 * The counts of the given proposals that still belong in the list under these filters (the live
 * island's catch-up after a reconnection: cards missing from the answer are removed). One query.
 */
export async function listedCounts(
  claims: Claims | null,
  componentId: string,
  ids: readonly string[],
  filters: ListFilters,
): Promise<ListedCounts[]> {
  if (ids.length === 0) return [];
  return asUser(claims, async (tx) => {
    const rows = await tx<{ id: string; supports: number | null; likes: number; comments: number }[]>`
      select p.id, case when private.votes_hidden(p.component_id) then null else ps.supports end as supports,
             p.likes_count as likes, p.comments_count as comments
      from public.proposals p
      left join private.proposal_supports(${ids as string[]}::uuid[]) ps on ps.proposal_id = p.id
      where ${whereOf(tx, componentId, filters)} and p.id = any(${ids as string[]}::uuid[])`;
    return rows.map((r) => ({ id: r.id, supports: r.supports, likes: r.likes, comments: r.comments }));
  });
}
