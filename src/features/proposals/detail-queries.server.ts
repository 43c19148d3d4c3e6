import { asUser, type Claims } from '../../lib/db/index.ts';
import type { TranslatedText } from '../../lib/i18n/translated.ts';
import { isUuid } from '../../lib/ids.ts';
import { getComponentInForce } from '../components/queries.server.ts';
import type { ComponentView } from '../../lib/components/manifest.ts';
import { requestOrganization } from '../organization/queries.server.ts';
import { getSpaceBySlug } from '../spaces/queries.server.ts';
import { kindOfSegment, spaceHref, type SpaceDetail } from '../spaces/spaces.ts';
import { readProposalsPhaseSettings, readProposalsSettings, type ProposalsSettings } from './manifest.ts';
import { componentHref, proposalHref } from './proposals.ts';
import { DEFAULT_STATE_COLOR } from './state-color.ts';

/*
 * Reads of the proposal page and the wizard, as the viewer (RLS decides: drafts for their
 * authors, hidden proposals for moderators, emendations per the phase's visibility).
 */

/** Where a proposal route is: the space, the component (a proposals one) and its settings in force. */
export interface ProposalsContext {
  space: SpaceDetail;
  spaceHref: string;
  component: ComponentView;
  settings: ProposalsSettings;
  phaseSettings: ReturnType<typeof readProposalsPhaseSettings>;
  listHref: string;
  defaultLocale: string;
}

export async function proposalsContext(locals: App.Locals, params: Record<string, string | undefined>): Promise<ProposalsContext | null> {
  const kind = kindOfSegment(params['segment']);
  if (!kind) return null;
  const space = await getSpaceBySlug(locals.claims, kind, params['slug'] ?? '');
  if (!space) return null;
  const found = await getComponentInForce(locals.claims, space.id, params['componentId'] ?? '');
  if (!found || found.component.feature !== 'proposals') return null;
  const org = await requestOrganization(locals);
  const href = spaceHref(locals.locale, space.kind, space.slug);
  return {
    space,
    spaceHref: href,
    component: found.component,
    settings: readProposalsSettings(found.settings),
    phaseSettings: readProposalsPhaseSettings(found.activePhaseSettings),
    listHref: componentHref(href, found.component.id),
    defaultLocale: org.defaultLocale,
  };
}

export interface Person {
  id: string;
  name: string;
  nickname: string;
  /** The uploaded picture (`profiles.avatar`) or an external one (`avatar_url`), shown next to the name. */
  avatar?: { bucket?: string; name: string } | null;
  avatarUrl?: string | null;
}

export interface ProposalDetail {
  id: string;
  number: number;
  componentId: string;
  title: string;
  body: string;
  official: boolean;
  publishedAt: Date | null;
  withdrawnAt: Date | null;
  hiddenAt: Date | null;
  createdAt: Date;
  editedAt: Date | null;
  taxonomy: { id: string; name: TranslatedText } | null;
  address: string | null;
  latitude: number | null;
  longitude: number | null;
  state: { token: string; name: TranslatedText; color: string } | null;
  answer: TranslatedText;
  answeredAt: Date | null;
  cost: string | null;
  costReport: TranslatedText;
  executionPeriod: TranslatedText;
  amendsId: string | null;
  amendmentState: string | null;
  /** Null while the active phase hides support counts. */
  supports: number | null;
  likes: number;
  comments: number;
  follows: number;
  authors: Person[];
  invited: Person[];
  viewer: {
    signedIn: boolean;
    author: boolean;
    invited: boolean;
    supported: boolean;
    liked: boolean;
    following: boolean;
    reported: boolean;
    moderator: boolean;
    /** A space admin, or an evaluator assigned to this proposal: the admin's answer page is theirs. */
    canAnswer: boolean;
    /** Supports cast in this component (the tally the vote limit is checked against). */
    supportsCast: number;
  };
  can: { vote: boolean; like: boolean; amend: boolean; react: boolean; promote: boolean; create: boolean };
  /** Supporting is open but requires a verification the viewer does not hold (say so, not "closed"). */
  voteNeedsVerification: boolean;
  /** Drafts, and published proposals within the edit window before any answer. */
  editable: boolean;
  /** When the edit window closes (limited edit time, published). */
  editableUntil: Date | null;
  versionsCount: number;
}

interface Row {
  id: string;
  number: string;
  component_id: string;
  title: string;
  body: string;
  official: boolean;
  published_at: Date | null;
  withdrawn_at: Date | null;
  hidden_at: Date | null;
  created_at: Date;
  edited_at: Date | null;
  taxonomy_id: string | null;
  taxonomy_name: TranslatedText | null;
  address: string | null;
  latitude: number | null;
  longitude: number | null;
  state_token: string | null;
  state_name: TranslatedText | null;
  state_color: string | null;
  answer: TranslatedText;
  answered_at: Date | null;
  cost: string | null;
  cost_report: TranslatedText;
  execution_period: TranslatedText;
  amends_id: string | null;
  amendment_state: string | null;
  supports: number | null;
  likes_count: number;
  comments_count: number;
  follows_count: number;
  people: { id: string; name: string; nickname: string; status: string; avatar: { bucket?: string; name: string } | null; avatar_url: string | null }[];
  is_author: boolean;
  is_invited: boolean;
  supported: boolean;
  liked: boolean;
  following: boolean;
  reported: boolean;
  moderator: boolean;
  can_answer: boolean;
  supports_cast: number;
  can_vote: boolean;
  can_like: boolean;
  can_amend: boolean;
  can_react: boolean;
  can_promote: boolean;
  can_create: boolean;
  vote_unverified: boolean;
  editable: boolean;
  editable_until: Date | null;
  versions_count: number;
}

/** One proposal of a component as the viewer may see it, with what they may do; null: 404. */
export async function getProposal(claims: Claims | null, componentId: string, proposalId: string): Promise<ProposalDetail | null> {
  if (!isUuid(proposalId) || !isUuid(componentId)) return null;
  const [r] = await asUser(
    claims,
    (tx) => tx<Row[]>`
      select p.id, p.number::text as number, p.component_id, p.title, p.body, p.official, p.published_at, p.withdrawn_at, p.hidden_at,
        p.created_at, p.edited_at, p.taxonomy_id, t.name as taxonomy_name, p.address, p.latitude, p.longitude,
        s.token as state_token, s.name as state_name, s.color as state_color, p.answer, p.answered_at, p.cost::text as cost,
        p.cost_report, p.execution_period, p.amends_id, p.amendment_state,
        case when private.votes_hidden(p.component_id) then null
          else (select x.supports from private.proposal_supports(array[p.id]) x) end as supports,
        p.likes_count, p.comments_count, p.follows_count,
        coalesce((select jsonb_agg(jsonb_build_object('id', pr.id, 'name', pr.name, 'nickname', pr.nickname, 'status', a.status, 'avatar', pr.avatar, 'avatar_url', pr.avatar_url)
                                   order by a.status, a.created_at)
                  from public.proposal_coauthors a join public.profiles pr on pr.id = a.user_id
                  where a.proposal_id = p.id), '[]') as people,
        coalesce(private.is_proposal_author(p.id), false) as is_author,
        exists (select 1 from public.proposal_coauthors a where a.proposal_id = p.id and a.user_id = (select auth.uid()) and a.status = 'invited') as is_invited,
        exists (select 1 from public.proposal_supports x where x.proposal_id = p.id and x.user_id = (select auth.uid())) as supported,
        exists (select 1 from public.likes x where x.resource_type = 'proposal' and x.resource_id = p.id and x.user_id = (select auth.uid())) as liked,
        exists (select 1 from public.follows f where f.resource_type = 'proposal' and f.resource_id = p.id and f.user_id = (select auth.uid())) as following,
        exists (select 1 from public.reports x where x.resource_type = 'proposal' and x.resource_id = p.id and x.user_id = (select auth.uid())) as reported,
        coalesce(private.has_space_role(p.space_id, 'moderator'), false) as moderator,
        coalesce(private.can_answer_proposal(p.id), false) as can_answer,
        coalesce((select supports from public.proposal_support_tallies x where x.component_id = p.component_id and x.user_id = (select auth.uid())), 0) as supports_cast,
        coalesce(private.component_allows(p.component_id, 'vote'), false) as can_vote,
        coalesce(private.component_allows(p.component_id, 'like'), false) as can_like,
        coalesce(private.component_allows(p.component_id, 'amend'), false) as can_amend,
        coalesce(private.component_allows(p.component_id, 'react_to_amendment'), false) as can_react,
        coalesce(private.component_allows(p.component_id, 'promote_amendment'), false) as can_promote,
        coalesce(private.component_allows(p.component_id, 'create'), false) as can_create,
        coalesce(private.component_action_state(p.component_id, 'vote') = 'unverified', false) as vote_unverified,
        (p.withdrawn_at is null and (p.published_at is null or (p.state_id is null and p.answered_at is null
          and (coalesce(c.settings ->> 'proposal_edit_time', 'limited') = 'infinite' or p.official
               or now() <= p.published_at + make_interval(mins => private.int_setting(c.settings, 'edit_time_minutes', 5)))))) as editable,
        case when p.published_at is not null and coalesce(c.settings ->> 'proposal_edit_time', 'limited') = 'limited' and not p.official
          then p.published_at + make_interval(mins => private.int_setting(c.settings, 'edit_time_minutes', 5)) end as editable_until,
        (select count(*)::int from public.versions v where v.resource_type = 'proposal' and v.resource_id = p.id) as versions_count
      from public.proposals p
      join public.components c on c.id = p.component_id
      left join public.taxonomies t on t.id = p.taxonomy_id
      left join public.proposal_states s on s.id = p.state_id
      where p.id = ${proposalId} and p.component_id = ${componentId}`,
  );
  if (!r) return null;
  const person = (x: { id: string; name: string; nickname: string; avatar?: { bucket?: string; name: string } | null; avatar_url?: string | null }): Person => ({
    id: x.id, name: x.name, nickname: x.nickname, avatar: x.avatar ?? null, avatarUrl: x.avatar_url ?? null,
  });
  return {
    id: r.id,
    number: Number(r.number),
    componentId: r.component_id,
    title: r.title,
    body: r.body,
    official: r.official,
    publishedAt: r.published_at,
    withdrawnAt: r.withdrawn_at,
    hiddenAt: r.hidden_at,
    createdAt: r.created_at,
    editedAt: r.edited_at,
    taxonomy: r.taxonomy_id && r.taxonomy_name ? { id: r.taxonomy_id, name: r.taxonomy_name } : null,
    address: r.address,
    latitude: r.latitude,
    longitude: r.longitude,
    state: r.state_token ? { token: r.state_token, name: r.state_name ?? {}, color: r.state_color ?? DEFAULT_STATE_COLOR } : null,
    answer: r.answer,
    answeredAt: r.answered_at,
    cost: r.cost,
    costReport: r.cost_report,
    executionPeriod: r.execution_period,
    amendsId: r.amends_id,
    // A withdrawn emendation waiting for an answer no longer waits.
    amendmentState: r.withdrawn_at && r.amendment_state === 'evaluating' ? 'withdrawn' : r.amendment_state,
    supports: r.supports,
    likes: r.likes_count,
    comments: r.comments_count,
    follows: r.follows_count,
    authors: r.people.filter((x) => x.status === 'accepted').map(person),
    invited: r.people.filter((x) => x.status === 'invited').map(person),
    viewer: {
      signedIn: !!claims?.sub,
      author: r.is_author,
      invited: r.is_invited,
      supported: r.supported,
      liked: r.liked,
      following: r.following,
      reported: r.reported,
      moderator: r.moderator,
      canAnswer: r.can_answer,
      supportsCast: r.supports_cast,
    },
    can: { vote: r.can_vote, like: r.can_like, amend: r.can_amend, react: r.can_react, promote: r.can_promote, create: r.can_create },
    voteNeedsVerification: r.vote_unverified,
    editable: r.is_author && r.editable,
    editableUntil: r.editable_until,
    versionsCount: r.versions_count,
  };
}

export interface AmendmentSummary {
  id: string;
  number: number;
  title: string;
  state: string;
  authors: Person[];
  mine: boolean;
}

/** The emendations of a proposal the viewer may see (RLS: all, or only their own per the phase). */
export async function listAmendments(claims: Claims | null, proposalId: string): Promise<AmendmentSummary[]> {
  const rows = await asUser(
    claims,
    (tx) => tx<{ id: string; number: string; title: string; amendment_state: string; authors: Person[]; mine: boolean }[]>`
      select p.id, p.number::text as number, p.title,
        case when p.withdrawn_at is not null and p.amendment_state = 'evaluating' then 'withdrawn' else p.amendment_state end as amendment_state,
        coalesce((select jsonb_agg(jsonb_build_object('id', pr.id, 'name', pr.name, 'nickname', pr.nickname) order by a.created_at)
                  from public.proposal_coauthors a join public.profiles pr on pr.id = a.user_id
                  where a.proposal_id = p.id and a.status = 'accepted'), '[]') as authors,
        coalesce(private.is_proposal_author(p.id), false) as mine
      from public.proposals p
      where p.amends_id = ${proposalId} and p.published_at is not null
      order by p.created_at
      limit 200`,
  );
  return rows.map((r) => ({ id: r.id, number: Number(r.number), title: r.title, state: r.amendment_state, authors: r.authors, mine: r.mine }));
}

/** The title and body of the proposal an emendation amends (for its diff), if visible. */
export async function getAmended(claims: Claims | null, proposalId: string): Promise<{ id: string; number: number; title: string; body: string } | null> {
  const [r] = await asUser(
    claims,
    (tx) => tx<{ id: string; number: string; title: string; body: string }[]>`
      select id, number::text as number, title, body from public.proposals where id = ${proposalId}`,
  );
  return r ? { id: r.id, number: Number(r.number), title: r.title, body: r.body } : null;
}

export interface Version {
  version: number;
  title: string;
  body: string;
  editor: Person | null;
  createdAt: Date;
}

export async function listVersions(claims: Claims | null, proposalId: string): Promise<Version[]> {
  const rows = await asUser(
    claims,
    (tx) => tx<{ version: number; title: string; body: string; editor: Person | null; created_at: Date }[]>`
      select v.version, v.data ->> 'title' as title, v.data ->> 'body' as body, v.created_at,
        case when pr.id is null then null else jsonb_build_object('id', pr.id, 'name', pr.name, 'nickname', pr.nickname) end as editor
      from public.versions v left join public.profiles pr on pr.id = v.editor_id
      where v.resource_type = 'proposal' and v.resource_id = ${proposalId}
      order by v.version
      limit 500`,
  );
  return rows.map((r) => ({ version: r.version, title: r.title, body: r.body, editor: r.editor, createdAt: r.created_at }));
}

/** Who liked a proposal (public, like Decidim's endorsers list), most recent first. */
export async function listLikers(claims: Claims | null, proposalId: string, limit = 200): Promise<Person[]> {
  return asUser(
    claims,
    (tx) => tx<Person[]>`
      select pr.id, pr.name, pr.nickname from public.likes l join public.profiles pr on pr.id = l.user_id
      where l.resource_type = 'proposal' and l.resource_id = ${proposalId}
      order by l.created_at desc
      limit ${limit}`,
  );
}

/** The taxonomies a proposal of this space may be filed under (the space's, and their children). */
export async function listSpaceTaxonomies(claims: Claims | null, spaceId: string): Promise<{ id: string; name: TranslatedText; depth: number }[]> {
  return asUser(
    claims,
    (tx) => tx<{ id: string; name: TranslatedText; depth: number }[]>`
      select t.id, t.name, case when t.id in (select taxonomy_id from public.space_taxonomies where space_id = ${spaceId}) then 0 else 1 end as depth
      from public.taxonomies t
      where exists (select 1 from public.space_taxonomies s where s.space_id = ${spaceId} and s.taxonomy_id in (t.id, t.parent_id))
      order by coalesce(t.parent_id, t.id), t.parent_id nulls first, t.weight, t.created_at
      limit 500`,
  );
}

/** How many published proposals the viewer authors in the component (for "N of your M"). */
export async function countMyProposals(claims: Claims | null, componentId: string): Promise<number> {
  if (!claims?.sub) return 0;
  const [r] = await asUser(
    claims,
    (tx) => tx<{ n: number }[]>`
      select count(*)::int as n from public.proposals p
      where p.component_id = ${componentId} and p.published_at is not null and p.withdrawn_at is null and p.amends_id is null
        and p.id = any (private.my_proposal_ids())`,
  );
  return r?.n ?? 0;
}

export function pageHref(ctx: ProposalsContext, proposalId: string): string {
  return proposalHref(ctx.spaceHref, ctx.component.id, proposalId);
}

/** May the viewer create proposals in this component now (signed in, creation open)? */
export async function canCreateProposal(claims: Claims | null, componentId: string): Promise<boolean> {
  if (!claims?.sub) return false;
  const [r] = await asUser(
    claims,
    (tx) => tx<{ allowed: boolean }[]>`select coalesce(private.component_allows(${componentId}::uuid, 'create'), false) as allowed`,
  );
  return r?.allowed ?? false;
}
