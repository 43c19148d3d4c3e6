import { asUser, type Claims, type Tx } from '../../lib/db/index.ts';
import type { ComponentView } from '../../lib/components/manifest.ts';
import type { TranslatedText } from '../../lib/i18n/translated.ts';
import { isUuid } from '../../lib/ids.ts';
import { getComponentInForce } from '../components/queries.server.ts';
import { componentTextFilter } from '../search/queries.server.ts';
import { likePattern } from '../search/search.ts';
import { requestOrganization } from '../organization/queries.server.ts';
import { getSpaceBySlug } from '../spaces/queries.server.ts';
import { kindOfSegment, spaceHref, type SpaceDetail } from '../spaces/spaces.ts';
import { debateStatus, LIST_PAGE_SIZE, type DebateSort, type DebateStatus, type OriginFilter, type StateFilter } from './debates.ts';
import { readDebatesPhaseSettings, readDebatesSettings, type DebatesPhaseSettings, type DebatesSettings } from './manifest.ts';

/*
 * Reads of debates as the viewer (RLS decides: hidden debates and their threads reach the space's
 * moderators only; private spaces their members). The list comes a page at a time by keyset (the
 * order's key, then the id), so page 50 costs what page 1 does.
 */

export interface DebatesContext {
  space: SpaceDetail;
  spaceHref: string;
  component: ComponentView;
  settings: DebatesSettings;
  phaseSettings: DebatesPhaseSettings;
  /** The component's page: the list. */
  listHref: string;
  defaultLocale: string;
  timeZone: string;
}

/** The space and the debates component of a route, as the viewer sees them (null: a 404). */
export async function debatesContext(locals: App.Locals, params: Record<string, string | undefined>): Promise<DebatesContext | null> {
  const kind = kindOfSegment(params['segment']);
  if (!kind) return null;
  const space = await getSpaceBySlug(locals.claims, kind, params['slug'] ?? '');
  if (!space) return null;
  const found = await getComponentInForce(locals.claims, space.id, params['componentId'] ?? '');
  if (!found || found.component.feature !== 'debates') return null;
  const org = await requestOrganization(locals);
  const href = spaceHref(locals.locale, space.kind, space.slug);
  return {
    space,
    spaceHref: href,
    component: found.component,
    settings: readDebatesSettings(found.settings),
    phaseSettings: readDebatesPhaseSettings(found.activePhaseSettings),
    listHref: `${href}/f/${found.component.id}`,
    defaultLocale: org.defaultLocale,
    timeZone: org.timeZone,
  };
}

export interface Person {
  id: string;
  name: string;
  nickname: string;
  /** The picture shown next to the name: uploaded (`profiles.avatar`) or external (`avatar_url`). */
  avatar?: { bucket?: string; name: string } | null;
  avatarUrl?: string | null;
}

/** A debate as a card of the list shows it. */
export interface DebateCard {
  id: string;
  title: string;
  official: boolean;
  author: Person | null;
  taxonomy: { id: string; name: TranslatedText } | null;
  status: DebateStatus;
  startsAt: Date | null;
  endsAt: Date | null;
  createdAt: Date;
  lastArgumentAt: string | null;
  for: number;
  against: number;
  neutral: number;
  comments: number;
  likes: number;
}

export interface ListFilters {
  state: StateFilter;
  origin: OriginFilter | null;
  taxonomyId: string | null;
  text: string | null;
  mine: boolean;
  sort: DebateSort;
}

export const DEFAULT_FILTERS: ListFilters = { state: 'open', origin: null, taxonomyId: null, text: null, mine: false, sort: 'recent_activity' };

export interface ListCursor {
  /** The order's key of the last card shown: a count, or a timestamp in Postgres' text form. */
  k: string;
  id: string;
}

export function encodeListCursor(c: ListCursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

const PG_TIMESTAMP = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,6})?[+-]\d\d(:\d\d)?$/;

export function decodeListCursor(s: string | null | undefined, sort: DebateSort): ListCursor | null {
  if (!s || s.length > 300) return null;
  try {
    const v = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as Partial<ListCursor>;
    if (typeof v.k !== 'string' || typeof v.id !== 'string' || !isUuid(v.id)) return null;
    const counted = sort === 'most_commented' || sort === 'most_liked';
    if (counted ? !/^\d{1,10}$/.test(v.k) : !PG_TIMESTAMP.test(v.k)) return null;
    return { k: v.k, id: v.id };
  } catch {
    return null;
  }
}

export interface DebateList {
  items: DebateCard[];
  next: string | null;
  total: number;
  canCreate: boolean;
  isAdmin: boolean;
}

interface CardRow {
  id: string;
  title: string;
  official: boolean;
  author_id: string | null;
  author_name: string | null;
  author_nickname: string | null;
  author_avatar: { bucket?: string; name: string } | null;
  author_avatar_url: string | null;
  taxonomy_id: string | null;
  taxonomy_name: TranslatedText | null;
  starts_at: Date | null;
  ends_at: Date | null;
  closed_at: Date | null;
  withdrawn_at: Date | null;
  created_at: Date;
  last_argument_at: string | null;
  arguments_for: number;
  arguments_against: number;
  arguments_neutral: number;
  comments_count: number;
  likes_count: number;
  sort_key: string;
}

function sortColumn(tx: Tx, sort: DebateSort) {
  switch (sort) {
    case 'most_commented':
      return { key: tx`d.comments_count`, text: tx`d.comments_count::text`, cast: tx`::integer` };
    case 'most_liked':
      return { key: tx`d.likes_count`, text: tx`d.likes_count::text`, cast: tx`::integer` };
    case 'recent':
      return { key: tx`d.created_at`, text: tx`d.created_at::text`, cast: tx`::timestamptz` };
    default:
      return { key: tx`d.last_activity_at`, text: tx`d.last_activity_at::text`, cast: tx`::timestamptz` };
  }
}

function whereOf(tx: Tx, componentId: string, f: ListFilters) {
  // Words through the one search index, as the proposals' filter (accents ignored, stemmed, as
  // prefixes); symbols the words cannot match (`100%`) are also looked for literally.
  const { ids: words, literal } = componentTextFilter(tx, 'debate', componentId, f.text);
  const pattern = literal ? likePattern(literal) : null;
  return tx`
    d.component_id = ${componentId}::uuid and d.hidden_at is null
    ${f.state === 'open'
      ? tx`and d.closed_at is null and d.withdrawn_at is null and (d.ends_at is null or d.ends_at > now())`
      : f.state === 'closed'
        ? tx`and d.withdrawn_at is null and (d.closed_at is not null or d.ends_at <= now())`
        : tx``}
    ${f.origin === 'official' ? tx`and d.official` : f.origin === 'participants' ? tx`and not d.official` : tx``}
    ${words ? tx`and d.id = any (${words})` : tx``}
    ${pattern ? tx`and (d.title ilike ${pattern} or d.description ilike ${pattern})` : tx``}
    ${f.taxonomyId
      ? tx`and d.taxonomy_id in (
          with recursive sub(id) as (
            select ${f.taxonomyId}::uuid
            union
            select t.id from public.taxonomies t join sub on t.parent_id = sub.id
          ) select id from sub)`
      : tx``}
    ${f.mine ? tx`and d.author_id = (select auth.uid())` : tx``}`;
}

function toCard(r: CardRow): DebateCard {
  return {
    id: r.id,
    title: r.title,
    official: r.official,
    author:
      r.author_id && r.author_name && r.author_nickname
        ? { id: r.author_id, name: r.author_name, nickname: r.author_nickname, avatar: r.author_avatar, avatarUrl: r.author_avatar_url }
        : null,
    taxonomy: r.taxonomy_id ? { id: r.taxonomy_id, name: r.taxonomy_name ?? {} } : null,
    status: debateStatus({ closedAt: r.closed_at, withdrawnAt: r.withdrawn_at, startsAt: r.starts_at, endsAt: r.ends_at }),
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    createdAt: r.created_at,
    lastArgumentAt: r.last_argument_at,
    for: r.arguments_for,
    against: r.arguments_against,
    neutral: r.arguments_neutral,
    comments: r.comments_count,
    likes: r.likes_count,
  };
}

const CARD_COLUMNS = (tx: Tx) => tx`
  d.id, d.title, d.official, d.author_id, p.name as author_name, p.nickname as author_nickname, p.avatar as author_avatar, p.avatar_url as author_avatar_url, d.taxonomy_id, t.name as taxonomy_name,
  d.starts_at, d.ends_at, d.closed_at, d.withdrawn_at, d.created_at, d.last_argument_at::text as last_argument_at,
  d.arguments_for, d.arguments_against, d.arguments_neutral, d.comments_count, d.likes_count`;

/** A page of the list, in the chosen order, after the cursor; with the total and what the viewer may do. */
export async function listDebates(claims: Claims | null, componentId: string, f: ListFilters, after: ListCursor | null, limit = LIST_PAGE_SIZE): Promise<DebateList> {
  return asUser(claims, async (tx) => {
    const s = sortColumn(tx, f.sort);
    const where = whereOf(tx, componentId, f);
    const rows = await tx<CardRow[]>`
      select ${CARD_COLUMNS(tx)}, ${s.text} as sort_key
      from public.debates d
      left join public.profiles p on p.id = d.author_id
      left join public.taxonomies t on t.id = d.taxonomy_id
      where ${where} ${after ? tx`and (${s.key}, d.id) < (${after.k}${s.cast}, ${after.id}::uuid)` : tx``}
      order by ${s.key} desc, d.id desc
      limit ${limit + 1}`;
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    const [facts] = await tx<{ total: number; can_create: boolean; is_admin: boolean }[]>`
      select (select count(*)::int from public.debates d where ${where}) as total,
        (select auth.uid()) is not null and coalesce(private.component_allows(${componentId}::uuid, 'create'), false) as can_create,
        coalesce(private.has_space_role((select space_id from public.components where id = ${componentId}::uuid), 'admin'), false) as is_admin`;
    return {
      items: page.map(toCard),
      next: rows.length > limit && last ? encodeListCursor({ k: last.sort_key, id: last.id }) : null,
      total: facts?.total ?? 0,
      canCreate: facts?.can_create ?? false,
      isAdmin: facts?.is_admin ?? false,
    };
  });
}

/** One card (the live list asks for a debate that just appeared or changed). */
export async function getDebateCard(claims: Claims | null, id: string): Promise<(DebateCard & { componentId: string }) | null> {
  if (!isUuid(id)) return null;
  const [row] = await asUser(
    claims,
    (tx) => tx<(CardRow & { component_id: string })[]>`
      select ${CARD_COLUMNS(tx)}, '' as sort_key, d.component_id
      from public.debates d
      left join public.profiles p on p.id = d.author_id
      left join public.taxonomies t on t.id = d.taxonomy_id
      where d.id = ${id} and d.hidden_at is null`,
  );
  return row ? { ...toCard(row), componentId: row.component_id } : null;
}

export interface DebateDetail extends DebateCard {
  componentId: string;
  spaceId: string;
  /** Sanitised HTML (the participants' Markdown subset, rendered when written). */
  description: string;
  instructions: TranslatedText;
  informationUpdates: TranslatedText;
  conclusions: string;
  closedAt: Date | null;
  closedBy: Person | null;
  withdrawnAt: Date | null;
  hiddenAt: Date | null;
  editedAt: Date | null;
  updatedAt: string;
  follows: number;
  positions: { for: number; against: number; neutral: number };
  versionsCount: number;
  viewer: {
    signedIn: boolean;
    author: boolean;
    liked: boolean;
    following: boolean;
    reported: boolean;
    /** 1, -1, 0, or null without a position. */
    position: number | null;
    moderator: boolean;
    admin: boolean;
  };
  can: {
    /** Argue now: signed in, the phase allows comments, the debate is open. */
    argue: boolean;
    like: boolean;
    edit: boolean;
    close: boolean;
    reopen: boolean;
    withdraw: boolean;
  };
  /** When the author's edit window closes (participant debates). */
  editableUntil: Date | null;
}

interface DetailRow extends CardRow {
  component_id: string;
  space_id: string;
  description: string;
  instructions: TranslatedText;
  information_updates: TranslatedText;
  conclusions: string;
  closed_by: string | null;
  closed_by_name: string | null;
  closed_by_nickname: string | null;
  hidden_at: Date | null;
  edited_at: Date | null;
  updated_at: string;
  follows_count: number;
  positions_for: number;
  positions_against: number;
  positions_neutral: number;
  versions: number;
  liked: boolean;
  following: boolean;
  reported: boolean;
  position: number | null;
  moderator: boolean;
  admin: boolean;
  allows_comment: boolean;
  allows_like: boolean;
  edit_minutes: number;
}

/** A debate's page, as the viewer sees it (null: not theirs to see). */
export async function getDebate(claims: Claims | null, componentId: string, id: string): Promise<DebateDetail | null> {
  if (!isUuid(id)) return null;
  const [r] = await asUser(
    claims,
    (tx) => tx<DetailRow[]>`
      select ${CARD_COLUMNS(tx)}, '' as sort_key, d.component_id, d.space_id, d.description, d.instructions, d.information_updates,
        d.conclusions, d.closed_by, cb.name as closed_by_name, cb.nickname as closed_by_nickname, d.hidden_at, d.edited_at,
        d.updated_at::text as updated_at, d.follows_count, d.positions_for, d.positions_against, d.positions_neutral,
        (select count(*)::int from public.versions v where v.resource_type = 'debate' and v.resource_id = d.id) as versions,
        exists (select 1 from public.likes l where l.resource_type = 'debate' and l.resource_id = d.id and l.user_id = (select auth.uid())) as liked,
        exists (select 1 from public.follows fo where fo.resource_type = 'debate' and fo.resource_id = d.id and fo.user_id = (select auth.uid())) as following,
        exists (select 1 from public.reports re where re.resource_type = 'debate' and re.resource_id = d.id and re.user_id = (select auth.uid())) as reported,
        (select dp.alignment from public.debate_positions dp where dp.debate_id = d.id and dp.user_id = (select auth.uid())) as position,
        coalesce(private.has_space_role(d.space_id, 'moderator'), false) as moderator,
        coalesce(private.has_space_role(d.space_id, 'admin'), false) as admin,
        coalesce(private.component_allows(d.component_id, 'comment'), false) as allows_comment,
        coalesce(private.component_allows(d.component_id, 'like'), false) as allows_like,
        private.debates_int_setting(c.settings, 'edit_time_minutes', 60) as edit_minutes
      from public.debates d
      join public.components c on c.id = d.component_id
      left join public.profiles p on p.id = d.author_id
      left join public.profiles cb on cb.id = d.closed_by
      left join public.taxonomies t on t.id = d.taxonomy_id
      where d.id = ${id} and d.component_id = ${componentId}`,
  );
  if (!r) return null;
  const me = claims?.sub ?? null;
  const card = toCard(r);
  const author = !r.official && me !== null && r.author_id === me;
  const editableUntil = r.official ? null : new Date(r.created_at.getTime() + r.edit_minutes * 60_000);
  const live = !r.hidden_at && !r.withdrawn_at;
  return {
    ...card,
    componentId: r.component_id,
    spaceId: r.space_id,
    description: r.description,
    instructions: r.instructions,
    informationUpdates: r.information_updates,
    conclusions: r.conclusions,
    closedAt: r.closed_at,
    closedBy: r.closed_by && r.closed_by_name && r.closed_by_nickname ? { id: r.closed_by, name: r.closed_by_name, nickname: r.closed_by_nickname } : null,
    withdrawnAt: r.withdrawn_at,
    hiddenAt: r.hidden_at,
    editedAt: r.edited_at,
    updatedAt: r.updated_at,
    follows: r.follows_count,
    positions: { for: r.positions_for, against: r.positions_against, neutral: r.positions_neutral },
    versionsCount: r.versions,
    viewer: { signedIn: me !== null, author, liked: r.liked, following: r.following, reported: r.reported, position: r.position, moderator: r.moderator, admin: r.admin },
    can: {
      argue: me !== null && r.allows_comment && card.status === 'open' && !r.hidden_at,
      like: me !== null && r.allows_like && live,
      edit: live && !r.closed_at && ((author && editableUntil !== null && editableUntil.getTime() > Date.now()) || (r.official && r.admin)),
      close: live && (author || r.admin),
      reopen: !!r.closed_at && r.admin,
      withdraw: author && !r.withdrawn_at && !r.closed_at,
    },
    editableUntil,
  };
}

/** Every closing and reopening of a debate, oldest first, with who did it. */
export async function listClosures(claims: Claims | null, debateId: string): Promise<{ closed: boolean; actor: string | null; at: Date }[]> {
  const rows = await asUser(
    claims,
    (tx) => tx<{ closed: boolean; actor: string | null; created_at: Date }[]>`
      select c.closed, p.name as actor, c.created_at from public.debate_closures c left join public.profiles p on p.id = c.actor_id
      where c.debate_id = ${debateId} order by c.id`,
  );
  return rows.map((r) => ({ closed: r.closed, actor: r.actor, at: r.created_at }));
}

/** The debate's counts and state, for the live page's catch-up after a reconnect. */
export async function getDebateState(claims: Claims | null, id: string) {
  if (!isUuid(id)) return null;
  const [r] = await asUser(
    claims,
    (tx) => tx<
      {
        arguments_for: number; arguments_against: number; arguments_neutral: number; positions_for: number; positions_against: number;
        positions_neutral: number; comments_count: number; likes_count: number; follows_count: number; last_argument_at: string | null;
        closed: boolean; updated_at: string;
      }[]
    >`
      select arguments_for, arguments_against, arguments_neutral, positions_for, positions_against, positions_neutral, comments_count,
        likes_count, follows_count, last_argument_at::text as last_argument_at, closed_at is not null as closed, updated_at::text as updated_at
      from public.debates where id = ${id}`,
  );
  if (!r) return null;
  return {
    for: r.arguments_for,
    against: r.arguments_against,
    neutral: r.arguments_neutral,
    positions: { for: r.positions_for, against: r.positions_against, neutral: r.positions_neutral },
    comments: r.comments_count,
    likes: r.likes_count,
    follows: r.follows_count,
    last_argument_at: r.last_argument_at,
    closed: r.closed,
    updated_at: r.updated_at,
  };
}

/** What the visitor may do in a debate's thread (a fetched argument's forms). */
export async function getDebateFacts(claims: Claims | null, debateId: string): Promise<{ canArgue: boolean; moderator: boolean; admin: boolean; maxLength: number } | null> {
  if (!isUuid(debateId)) return null;
  const [r] = await asUser(
    claims,
    (tx) => tx<{ can_argue: boolean; moderator: boolean; admin: boolean; max_length: number }[]>`
      select (select auth.uid()) is not null and private.debate_argument_refusal(d.id) is null
          and coalesce(private.component_allows(d.component_id, 'comment'), false) as can_argue,
        coalesce(private.has_space_role(d.space_id, 'moderator'), false) as moderator,
        coalesce(private.has_space_role(d.space_id, 'admin'), false) as admin,
        private.debates_int_setting(c.settings, 'comments_max_length', 1000) as max_length
      from public.debates d join public.components c on c.id = d.component_id
      where d.id = ${debateId}`,
  );
  return r ? { canArgue: r.can_argue, moderator: r.moderator, admin: r.admin, maxLength: r.max_length } : null;
}

export interface DebateVersion {
  version: number;
  title: string;
  description: string;
  editor: string | null;
  createdAt: Date;
}

/** A debate's versions, oldest first, as the viewer may read them (the core's versions, RLS). */
export async function listVersions(claims: Claims | null, debateId: string): Promise<DebateVersion[]> {
  const rows = await asUser(
    claims,
    (tx) => tx<{ version: number; data: { title?: string; description?: string }; editor: string | null; created_at: Date }[]>`
      select v.version, v.data, p.name as editor, v.created_at from public.versions v left join public.profiles p on p.id = v.editor_id
      where v.resource_type = 'debate' and v.resource_id = ${debateId} order by v.version`,
  );
  return rows.map((r) => ({ version: r.version, title: r.data.title ?? '', description: r.data.description ?? '', editor: r.editor, createdAt: r.created_at }));
}

/** May the viewer open a debate in this component now? */
export async function canCreateDebate(claims: Claims | null, componentId: string): Promise<boolean> {
  if (!claims) return false;
  const [r] = await asUser(claims, (tx) => tx<{ ok: boolean }[]>`select coalesce(private.component_allows(${componentId}::uuid, 'create'), false) as ok`);
  return r?.ok ?? false;
}
