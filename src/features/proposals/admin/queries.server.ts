import { asUser, type Claims, type Tx } from '../../../lib/db/index.ts';
import { isUuid } from '../../../lib/ids.ts';
import type { TranslatedText } from '../../../lib/i18n/translated.ts';
import { ADMIN_PAGE_SIZE, type AdminFilters } from './inputs.ts';
import { likePattern } from '../../search/search.ts';
import { readProposalsSettings, type ProposalsSettings } from '../manifest.ts';

/*
 * Reads of the proposals admin pages, always as the viewer: RLS decides what a space admin and an
 * evaluator see (answers and notes of the proposals assigned to them only); the list narrows to
 * assigned proposals for evaluators so that it matches what they may answer.
 */

export interface ProposalStateRow {
  id: string;
  token: string;
  name: TranslatedText;
  color: string;
  announcement: TranslatedText;
  weight: number;
  /** Proposals and internal answers using it (a state in use cannot be deleted). */
  uses: number;
}

export interface AdminContext {
  componentId: string;
  spaceId: string;
  name: TranslatedText;
  settings: ProposalsSettings;
  /** Space (or organization) admin: everything; otherwise an evaluator of the space. */
  isAdmin: boolean;
  states: ProposalStateRow[];
}

async function statesOf(tx: Tx, componentId: string): Promise<ProposalStateRow[]> {
  return tx<ProposalStateRow[]>`
    select s.id, s.token, s.name, s.color, s.announcement, s.weight,
      ((select count(*) from public.proposals p where p.state_id = s.id)
        + (select count(*) from public.proposal_answers a where a.state_id = s.id))::int as uses
    from public.proposal_states s where s.component_id = ${componentId}
    order by s.weight, s.created_at`;
}

/** The component as its admin pages need it, or null when it is not a proposals component the viewer sees. */
export async function getAdminContext(claims: Claims | null, componentId: string): Promise<AdminContext | null> {
  if (!isUuid(componentId)) return null;
  return asUser(claims, async (tx) => {
    const [c] = await tx<{ id: string; space_id: string; name: TranslatedText; settings: unknown; is_admin: boolean }[]>`
      select c.id, c.space_id, c.name, c.settings, private.has_space_role(c.space_id, 'admin') as is_admin
      from public.components c where c.id = ${componentId} and c.feature = 'proposals'`;
    if (!c) return null;
    return { componentId: c.id, spaceId: c.space_id, name: c.name, settings: readProposalsSettings(c.settings), isAdmin: c.is_admin, states: await statesOf(tx, c.id) };
  });
}

export interface AdminProposalRow {
  id: string;
  number: number;
  title: string;
  supports: number;
  likes: number;
  comments: number;
  official: boolean;
  withdrawn: boolean;
  hidden: boolean;
  reports: number;
  /** The published state (what the public sees). */
  publishedStateId: string | null;
  /** The internal answer's state, when there is an answer. */
  answerStateId: string | null;
  answered: boolean;
  answerPublished: boolean;
  evaluators: string[];
}

interface ListRow {
  id: string;
  number: string;
  title: string;
  supports_count: number;
  likes_count: number;
  comments_count: number;
  official: boolean;
  withdrawn: boolean;
  hidden: boolean;
  reports_count: number;
  state_id: string | null;
  answer_state_id: string | null;
  answered: boolean;
  answer_published: boolean;
  evaluators: string[];
}

/** Which proposals `p` a viewer sees in the admin (and exports): all for admins, their assigned ones for evaluators. */
export function adminScope(tx: Tx, isAdmin: boolean) {
  return isAdmin
    ? tx`true`
    : tx`exists (select 1 from public.proposal_evaluators me where me.proposal_id = p.id and me.user_id = auth.uid())`;
}

export async function listAdminProposals(
  claims: Claims | null,
  ctx: AdminContext,
  filters: AdminFilters,
): Promise<{ rows: AdminProposalRow[]; hasMore: boolean }> {
  const page = filters.page ?? 1;
  return asUser(claims, async (tx) => {
    const conds = [tx`p.component_id = ${ctx.componentId}`, tx`p.published_at is not null`, tx`p.amends_id is null`, adminScope(tx, ctx.isAdmin)];
    const q = filters.q;
    if (q) {
      const n = /^\d{1,15}$/.test(q) ? Number(q) : -1;
      conds.push(tx`(p.title ilike ${likePattern(q)} or p.number = ${n})`);
    }
    const state = filters.state;
    if (state === 'not_answered') conds.push(tx`a.proposal_id is null and p.state_id is null`);
    else if (state === 'not_published') conds.push(tx`a.proposal_id is not null and a.published_at is null`);
    else if (state === 'withdrawn') conds.push(tx`p.withdrawn_at is not null`);
    else if (state === 'hidden') conds.push(tx`p.hidden_at is not null`);
    else if (state) {
      conds.push(tx`coalesce(a.state_id, p.state_id) = (select s.id from public.proposal_states s where s.component_id = ${ctx.componentId} and s.token = ${state})`);
    }
    if (filters.taxonomy) conds.push(tx`p.taxonomy_id = ${filters.taxonomy}`);
    const ev = filters.evaluator;
    if (ev === 'any') conds.push(tx`exists (select 1 from public.proposal_evaluators e where e.proposal_id = p.id)`);
    else if (ev === 'none') conds.push(tx`not exists (select 1 from public.proposal_evaluators e where e.proposal_id = p.id)`);
    else if (ev && isUuid(ev)) conds.push(tx`exists (select 1 from public.proposal_evaluators e where e.proposal_id = p.id and e.user_id = ${ev})`);
    const where = conds.reduce((acc, c) => tx`${acc} and ${c}`);
    const rows = await tx<ListRow[]>`
      select p.id, p.number, p.title, coalesce(sp.supports, 0) as supports_count, p.likes_count, p.comments_count, p.official,
        p.withdrawn_at is not null as withdrawn, p.hidden_at is not null as hidden, p.reports_count, p.state_id,
        a.state_id as answer_state_id, a.proposal_id is not null as answered, coalesce(a.published_at is not null, false) as answer_published,
        coalesce((select array_agg(pr.nickname order by pr.nickname) from public.proposal_evaluators e
                  join public.profiles pr on pr.id = e.user_id where e.proposal_id = p.id), '{}') as evaluators
      from public.proposals p
      left join public.proposal_answers a on a.proposal_id = p.id
      -- The component's support counts in one call (the API roles do not select the column).
      left join private.component_proposal_supports(array[${ctx.componentId}::uuid]) sp on sp.proposal_id = p.id
      where ${where}
      order by p.number desc
      limit ${ADMIN_PAGE_SIZE + 1} offset ${(page - 1) * ADMIN_PAGE_SIZE}`;
    return {
      hasMore: rows.length > ADMIN_PAGE_SIZE,
      rows: rows.slice(0, ADMIN_PAGE_SIZE).map((r) => ({
        id: r.id,
        number: Number(r.number),
        title: r.title,
        supports: r.supports_count,
        likes: r.likes_count,
        comments: r.comments_count,
        official: r.official,
        withdrawn: r.withdrawn,
        hidden: r.hidden,
        reports: r.reports_count,
        publishedStateId: r.state_id,
        answerStateId: r.answer_state_id,
        answered: r.answered,
        answerPublished: r.answer_published,
        evaluators: r.evaluators,
      })),
    };
  });
}

/** The nicknames of the accepted authors of `p`, in the order they joined (text[]). */
export function authorNicknames(tx: Tx) {
  return tx`coalesce((select array_agg(pr.nickname order by a.created_at) from public.proposal_coauthors a join public.profiles pr on pr.id = a.user_id
                      where a.proposal_id = p.id and a.status = 'accepted'), '{}')`;
}

/** The given proposals of the component (the ones ticked for a merge), by number. */
export async function listChosenProposals(
  claims: Claims | null,
  componentId: string,
  ids: readonly string[],
): Promise<{ id: string; number: number; title: string }[]> {
  if (ids.length === 0) return [];
  const rows = await asUser(
    claims,
    (tx) => tx<{ id: string; number: string; title: string }[]>`
      select id, number, title from public.proposals where id = any (${ids as string[]}::uuid[]) and component_id = ${componentId} order by number`,
  );
  return rows.map((r) => ({ id: r.id, number: Number(r.number), title: r.title }));
}

export interface PersonRef {
  id: string;
  nickname: string;
  name: string;
}

/** The space's evaluators (who may be assigned proposals). */
export async function spaceEvaluators(claims: Claims | null, spaceId: string): Promise<PersonRef[]> {
  return asUser(
    claims,
    (tx) => tx<PersonRef[]>`
      select pr.id, pr.nickname, pr.name from public.space_roles r join public.profiles pr on pr.id = r.user_id
      where r.space_id = ${spaceId} and r.role = 'evaluator' order by pr.name, pr.nickname`,
  );
}

/** Taxonomies used by the component's proposals (the list's filter). */
export async function usedTaxonomies(claims: Claims | null, componentId: string): Promise<{ id: string; name: TranslatedText }[]> {
  return asUser(
    claims,
    (tx) => tx<{ id: string; name: TranslatedText }[]>`
      select t.id, t.name from public.taxonomies t
      where t.id in (select p.taxonomy_id from public.proposals p where p.component_id = ${componentId} and p.taxonomy_id is not null)
      order by t.weight, t.created_at`,
  );
}

/** Other proposals components the viewer administers (sources of an import). */
export async function importSources(
  claims: Claims | null,
  componentId: string,
): Promise<{ id: string; name: TranslatedText; spaceTitle: TranslatedText; states: { token: string; name: TranslatedText }[] }[]> {
  return asUser(
    claims,
    (tx) => tx<{ id: string; name: TranslatedText; spaceTitle: TranslatedText; states: { token: string; name: TranslatedText }[] }[]>`
      select c.id, c.name, s.title as "spaceTitle",
        coalesce((select jsonb_agg(jsonb_build_object('token', st.token, 'name', st.name) order by st.weight)
                  from public.proposal_states st where st.component_id = c.id), '[]') as states
      from public.components c join public.spaces s on s.id = c.space_id
      where c.feature = 'proposals' and c.id <> ${componentId} and private.has_space_role(c.space_id, 'admin')
      order by s.created_at, c.weight`,
  );
}

export interface AdminNote {
  id: string;
  parentId: string | null;
  author: string | null;
  body: string;
  createdAt: Date;
}

export interface AdminProposalDetail {
  id: string;
  number: number;
  title: string;
  body: string;
  official: boolean;
  address: string | null;
  taxonomy: TranslatedText | null;
  authors: string[];
  supports: number;
  likes: number;
  comments: number;
  follows: number;
  reports: number;
  publishedAt: Date | null;
  withdrawn: boolean;
  hidden: boolean;
  publishedStateId: string | null;
  answer: {
    stateId: string | null;
    answer: TranslatedText;
    cost: string | null;
    costReport: TranslatedText;
    executionPeriod: TranslatedText;
    answeredAt: Date;
    publishedAt: Date | null;
  } | null;
  evaluators: PersonRef[];
  assignedToMe: boolean;
  notes: AdminNote[];
}

/** One proposal of the component as an admin (or its assigned evaluator) sees it. */
export async function getAdminProposal(claims: Claims | null, ctx: AdminContext, proposalId: string): Promise<AdminProposalDetail | null> {
  if (!isUuid(proposalId)) return null;
  return asUser(claims, async (tx) => {
    const [p] = await tx<
      {
        id: string;
        number: string;
        title: string;
        body: string;
        official: boolean;
        address: string | null;
        taxonomy: TranslatedText | null;
        authors: string[];
        supports_count: number;
        likes_count: number;
        comments_count: number;
        follows_count: number;
        reports_count: number;
        published_at: Date | null;
        withdrawn: boolean;
        hidden: boolean;
        state_id: string | null;
      }[]
    >`
      select p.id, p.number, p.title, p.body, p.official, p.address,
        (select t.name from public.taxonomies t where t.id = p.taxonomy_id) as taxonomy,
        ${authorNicknames(tx)} as authors,
        coalesce((select x.supports from private.proposal_supports(array[p.id]) x), 0) as supports_count,
        p.likes_count, p.comments_count, p.follows_count, p.reports_count, p.published_at,
        p.withdrawn_at is not null as withdrawn, p.hidden_at is not null as hidden, p.state_id
      from public.proposals p
      where p.id = ${proposalId} and p.component_id = ${ctx.componentId} and p.published_at is not null and ${adminScope(tx, ctx.isAdmin)}`;
    if (!p) return null;
    const [a] = await tx<
      {
        state_id: string | null;
        answer: TranslatedText;
        cost: string | null;
        cost_report: TranslatedText;
        execution_period: TranslatedText;
        answered_at: Date;
        published_at: Date | null;
      }[]
    >`select state_id, answer, cost::text as cost, cost_report, execution_period, answered_at, published_at
      from public.proposal_answers where proposal_id = ${proposalId}`;
    const evaluators = await tx<PersonRef[]>`
      select pr.id, pr.nickname, pr.name from public.proposal_evaluators e join public.profiles pr on pr.id = e.user_id
      where e.proposal_id = ${proposalId} order by pr.name`;
    const notes = await tx<{ id: string; parent_id: string | null; author: string | null; body: string; created_at: Date }[]>`
      select n.id, n.parent_id, pr.nickname as author, n.body, n.created_at
      from public.proposal_notes n left join public.profiles pr on pr.id = n.author_id
      where n.proposal_id = ${proposalId} order by n.created_at, n.id`;
    const me = typeof claims?.sub === 'string' ? claims.sub : '';
    return {
      id: p.id,
      number: Number(p.number),
      title: p.title,
      body: p.body,
      official: p.official,
      address: p.address,
      taxonomy: p.taxonomy,
      authors: p.authors,
      supports: p.supports_count,
      likes: p.likes_count,
      comments: p.comments_count,
      follows: p.follows_count,
      reports: p.reports_count,
      publishedAt: p.published_at,
      withdrawn: p.withdrawn,
      hidden: p.hidden,
      publishedStateId: p.state_id,
      answer: a
        ? {
            stateId: a.state_id,
            answer: a.answer,
            cost: a.cost,
            costReport: a.cost_report,
            executionPeriod: a.execution_period,
            answeredAt: a.answered_at,
            publishedAt: a.published_at,
          }
        : null,
      evaluators,
      assignedToMe: evaluators.some((e) => e.id === me),
      notes: notes.map((n) => ({ id: n.id, parentId: n.parent_id, author: n.author, body: n.body, createdAt: n.created_at })),
    };
  });
}
