import { asUser, type Claims, type Tx } from '../../lib/db/index.ts';
import type { TranslatedText } from '../../lib/i18n/translated.ts';
import { isUuid } from '../../lib/ids.ts';
import { requestOrganization } from '../organization/queries.server.ts';
import { getComponentInForce } from '../components/queries.server.ts';
import { componentTextFilter } from '../search/queries.server.ts';
import { getSpaceBySlug } from '../spaces/queries.server.ts';
import { kindOfSegment, spaceHref, type SpaceDetail } from '../spaces/spaces.ts';
import type { ComponentView } from '../../lib/components/manifest.ts';
import {
  EMPTY_BALLOT,
  PROJECTS_PAGE_SIZE,
  type BallotState,
  type BudgetRule,
  type ProjectFilters,
  type ProjectSort,
  type SelectionMethod,
  type VotesState,
  type Workflow,
} from './budgets.ts';
import { readBudgetsPhaseSettings, readBudgetsSettings, type BudgetsPhaseSettings, type BudgetsSettings } from './manifest.ts';

/*
 * Reads of the budgets feature, each as the visitor (`asUser`): RLS decides what they see — their
 * own ballots only, vote counts only where the phase shows them (through the database's
 * function), results once confirmed.
 */

export interface BudgetsContext {
  space: SpaceDetail;
  spaceHref: string;
  component: ComponentView;
  settings: BudgetsSettings;
  phaseSettings: BudgetsPhaseSettings;
  defaultLocale: string;
}

/** The space and component of a budgets route (null: not found, or not a budgets component the visitor sees). */
export async function budgetsContext(locals: App.Locals, params: Record<string, string | undefined>): Promise<BudgetsContext | null> {
  const kind = kindOfSegment(params['segment']);
  if (!kind) return null;
  const space = await getSpaceBySlug(locals.claims, kind, params['slug'] ?? '');
  if (!space) return null;
  const found = await getComponentInForce(locals.claims, space.id, params['componentId'] ?? '');
  if (!found || found.component.feature !== 'budgets') return null;
  const org = await requestOrganization(locals);
  return {
    space,
    spaceHref: spaceHref(locals.locale, space.kind, space.slug),
    component: found.component,
    settings: readBudgetsSettings(found.settings),
    phaseSettings: readBudgetsPhaseSettings(found.activePhaseSettings),
    defaultLocale: org.defaultLocale,
  };
}

/** What the visitor may do in the component's vote, and why not. */
export interface Voting {
  votes: VotesState;
  showVotes: boolean;
  workflow: Workflow;
  signedIn: boolean;
  /** Methods the vote requires (any one), empty when none. */
  requiredMethods: string[];
  heldMethods: string[];
  /** The visitor holds a verification the vote requires (true when none is required). */
  verified: boolean;
  districtId: string | null;
  /** The space's admins (they see counts and the admin links). */
  admin: boolean;
}

export async function votingOf(claims: Claims | null, componentId: string): Promise<Voting> {
  return asUser(claims, (tx) => readVoting(tx, claims, componentId));
}

async function readVoting(tx: Tx, claims: Claims | null, componentId: string): Promise<Voting> {
  const [r] = await tx<
    { votes: VotesState; show_votes: boolean; workflow: Workflow; required: string[]; held: string[]; district: string | null; admin: boolean }[]
  >`
    select private.budgets_votes(c.id) as votes, private.budgets_show_votes(c.id) as show_votes, private.budgets_workflow(c.id) as workflow,
           private.component_action_methods(c.id, 'vote') as required, private.my_verification_methods() as held,
           private.my_verified_district() as district, private.budgets_admin(c.id) as admin
    from public.components c where c.id = ${componentId}`;
  const required = r?.required ?? [];
  const held = r?.held ?? [];
  return {
    votes: r?.votes ?? 'disabled',
    showVotes: r?.show_votes ?? false,
    workflow: r?.workflow ?? 'all',
    signedIn: claims !== null,
    requiredMethods: required,
    heldMethods: held,
    verified: required.length === 0 || required.some((m) => held.includes(m)),
    districtId: r?.district ?? null,
    admin: r?.admin ?? false,
  };
}

export interface BudgetSummary {
  id: string;
  componentId: string;
  title: TranslatedText;
  description: TranslatedText;
  rule: BudgetRule;
  method: SelectionMethod;
  taxonomy: { id: string; name: TranslatedText } | null;
  imported: boolean;
  projectsCount: number;
  /** The visitor's ballot (null: none started). */
  ballot: BallotState | null;
  /** Under the district workflow: the budget is not the visitor's district's. */
  otherDistrict: boolean;
  resultsPublished: boolean;
  tallied: boolean;
}

interface BudgetRow {
  id: string;
  component_id: string;
  title: TranslatedText;
  description: TranslatedText;
  total_budget: string;
  vote_rule: BudgetRule['rule'];
  threshold_percent: number;
  minimum_projects: number;
  range_min: number;
  range_max: number;
  selection_method: SelectionMethod;
  taxonomy_id: string | null;
  taxonomy_name: TranslatedText | null;
  imported: boolean;
  projects_count: number;
  ballot_total: string | null;
  ballot_count: number | null;
  checked_out: boolean | null;
  project_ids: string[] | null;
  other_district: boolean;
  published: boolean;
  tallied: boolean;
}

function toSummary(r: BudgetRow): BudgetSummary {
  return {
    id: r.id,
    componentId: r.component_id,
    title: r.title,
    description: r.description,
    rule: {
      total: Number(r.total_budget),
      rule: r.vote_rule,
      thresholdPercent: r.threshold_percent,
      minimumProjects: r.minimum_projects,
      rangeMin: r.range_min,
      rangeMax: r.range_max,
    },
    method: r.selection_method,
    taxonomy: r.taxonomy_id && r.taxonomy_name ? { id: r.taxonomy_id, name: r.taxonomy_name } : null,
    imported: r.imported,
    projectsCount: r.projects_count,
    ballot:
      r.ballot_total === null
        ? null
        : { total: Number(r.ballot_total), count: r.ballot_count ?? 0, checkedOut: r.checked_out ?? false, projectIds: r.project_ids ?? [] },
    otherDistrict: r.other_district,
    resultsPublished: r.published,
    tallied: r.tallied,
  };
}

function budgetsQuery(tx: Tx, componentId: string, budgetId: string | null, signedIn: boolean) {
  // Anonymous visitors have no ballot (and no privilege on the table at all).
  const ballot = signedIn
    ? tx`o.total::text as ballot_total, o.lines_count as ballot_count, o.checked_out_at is not null as checked_out,
         (select array_agg(l.project_id) from public.ballot_lines l where l.ballot_id = o.id) as project_ids`
    : tx`null::text as ballot_total, null::int as ballot_count, null::boolean as checked_out, null::uuid[] as project_ids`;
  const join = signedIn ? tx`left join public.ballots o on o.budget_id = b.id and o.user_id = (select auth.uid())` : tx``;
  return tx<BudgetRow[]>`
    select b.id, b.component_id, b.title, b.description, b.total_budget::text, b.vote_rule, b.threshold_percent, b.minimum_projects,
           b.range_min, b.range_max, b.selection_method, b.taxonomy_id, t.name as taxonomy_name, b.imported is not null as imported,
           (select count(*)::int from public.projects p where p.budget_id = b.id) as projects_count,
           ${ballot},
           (b.taxonomy_id is not null and private.budgets_workflow(b.component_id) = 'district'
             and not coalesce(private.budgets_taxonomy_covers(b.taxonomy_id, private.my_verified_district()), false)) as other_district,
           exists (select 1 from public.budget_tallies x where x.budget_id = b.id and x.confirmed_at is not null) as published,
           exists (select 1 from public.budget_tallies x where x.budget_id = b.id) as tallied
    from public.budgets b
    left join public.taxonomies t on t.id = b.taxonomy_id
    ${join}
    where b.component_id = ${componentId} and (${budgetId}::uuid is null or b.id = ${budgetId}::uuid)
    order by b.weight, b.created_at, b.id`;
}

export async function listBudgets(claims: Claims | null, componentId: string): Promise<BudgetSummary[]> {
  const rows = await asUser(claims, (tx) => budgetsQuery(tx, componentId, null, claims !== null));
  return rows.map(toSummary);
}

export async function getBudget(claims: Claims | null, componentId: string, budgetId: string): Promise<BudgetSummary | null> {
  if (!isUuid(budgetId)) return null;
  const [row] = await asUser(claims, (tx) => budgetsQuery(tx, componentId, budgetId, claims !== null));
  return row ? toSummary(row) : null;
}

/** The visitor's ballot in a budget (an empty one when none is started). */
export async function getBallot(claims: Claims | null, budgetId: string): Promise<BallotState> {
  if (!claims || !isUuid(budgetId)) return EMPTY_BALLOT;
  const [row] = await asUser(
    claims,
    (tx) => tx<{ total: string; lines_count: number; checked_out: boolean; project_ids: string[] | null }[]>`
      select o.total::text, o.lines_count, o.checked_out_at is not null as checked_out,
             (select array_agg(l.project_id order by l.created_at) from public.ballot_lines l where l.ballot_id = o.id) as project_ids
      from public.ballots o where o.budget_id = ${budgetId} and o.user_id = (select auth.uid())`,
  );
  return row ? { total: Number(row.total), count: row.lines_count, checkedOut: row.checked_out, projectIds: row.project_ids ?? [] } : EMPTY_BALLOT;
}

export interface ProjectItem {
  id: string;
  budgetId: string;
  title: TranslatedText;
  description: TranslatedText;
  cost: number;
  taxonomy: { id: string; name: TranslatedText } | null;
  address: string | null;
  latitude: number | null;
  longitude: number | null;
  selected: boolean;
  /** Null where the phase hides them. */
  votes: number | null;
}

interface ProjectRow {
  id: string;
  budget_id: string;
  title: TranslatedText;
  description: TranslatedText;
  cost: string;
  taxonomy_id: string | null;
  taxonomy_name: TranslatedText | null;
  address: string | null;
  latitude: number | null;
  longitude: number | null;
  selected: boolean;
  votes: number | null;
  total: number;
}

const toProject = (r: ProjectRow): ProjectItem => ({
  id: r.id,
  budgetId: r.budget_id,
  title: r.title,
  description: r.description,
  cost: Number(r.cost),
  taxonomy: r.taxonomy_id && r.taxonomy_name ? { id: r.taxonomy_id, name: r.taxonomy_name } : null,
  address: r.address,
  latitude: r.latitude,
  longitude: r.longitude,
  selected: r.selected,
  votes: r.votes,
});

export interface ProjectsPage {
  items: ProjectItem[];
  total: number;
  page: number;
  pages: number;
  sort: ProjectSort;
  votesShown: boolean;
  /** Every matching project with a point (the map view), when asked. */
  points: ProjectItem[] | null;
}

/**
 * A page of a budget's projects, filtered and ordered. The random order is the visitor's seed's
 * (stable across pages and visits); "most voted" only where the phase shows votes.
 */
export async function listProjects(
  claims: Claims | null,
  componentId: string,
  budgetId: string,
  filters: ProjectFilters,
  opts: { defaultSort: ProjectSort; seed: string; points?: boolean },
): Promise<ProjectsPage> {
  return asUser(claims, async (tx) => {
    const [shown] = await tx<{ shown: boolean }[]>`
      select private.budgets_show_votes(${componentId}::uuid) or private.budgets_admin(${componentId}::uuid) as shown`;
    const votesShown = shown?.shown ?? false;
    let sort = filters.sort ?? opts.defaultSort;
    if (sort === 'most_voted' && !votesShown) sort = 'random';
    // Words through the one search index (as the proposals' filter); symbols the words cannot
    // match (`100%`) are also looked for literally, in both languages' title and description.
    const { ids: words, literal } = componentTextFilter(tx, 'project', componentId, filters.text);
    const text = literal?.toLowerCase() ?? null;
    const where = tx`
      p.budget_id = ${budgetId}
      and (${filters.taxonomyId}::uuid is null or (p.taxonomy_id is not null and private.budgets_taxonomy_covers(${filters.taxonomyId}::uuid, p.taxonomy_id)))
      and (${filters.minCost}::bigint is null or p.cost >= ${filters.minCost}::bigint)
      and (${filters.maxCost}::bigint is null or p.cost <= ${filters.maxCost}::bigint)
      and (not ${filters.selected} or p.selected_at is not null)
      and ${filters.mine && claims ? tx`p.id in (select l.project_id from public.ballot_lines l join public.ballots o on o.id = l.ballot_id
                                          where o.budget_id = ${budgetId} and o.user_id = (select auth.uid()))` : tx`true`}
      ${words ? tx`and p.id = any (${words})` : tx``}
      and (${text}::text is null or position(${text}::text in lower(
            coalesce(p.title ->> 'fr', '') || ' ' || coalesce(p.title ->> 'en', '') || ' ' ||
            regexp_replace(coalesce(p.description ->> 'fr', '') || ' ' || coalesce(p.description ->> 'en', ''), '<[^>]*>', ' ', 'g'))) > 0)`;
    const order =
      sort === 'cost_asc'
        ? tx`p.cost asc, p.id`
        : sort === 'cost_desc'
          ? tx`p.cost desc, p.id`
          : sort === 'most_voted'
            ? tx`coalesce(v.votes, 0) desc, p.cost asc, p.id`
            : tx`md5(${opts.seed} || p.id::text), p.id`;
    const rows = await tx<ProjectRow[]>`
      select p.id, p.budget_id, p.title, p.description, p.cost::text, p.taxonomy_id, t.name as taxonomy_name, p.address, p.latitude, p.longitude,
             p.selected_at is not null as selected, v.votes, count(*) over ()::int as total
      from public.projects p
      left join public.taxonomies t on t.id = p.taxonomy_id
      left join (select * from private.budgets_project_votes(${componentId}::uuid)) v on ${votesShown} and v.project_id = p.id
      where ${where}
      order by ${order}
      limit ${PROJECTS_PAGE_SIZE} offset ${(filters.page - 1) * PROJECTS_PAGE_SIZE}`;
    let total = rows[0]?.total ?? 0;
    if (rows.length === 0 && filters.page > 1) {
      const [c] = await tx<{ n: number }[]>`select count(*)::int as n from public.projects p where ${where}`;
      total = c?.n ?? 0;
    }
    let points: ProjectItem[] | null = null;
    if (opts.points) {
      const all = await tx<ProjectRow[]>`
        select p.id, p.budget_id, p.title, p.description, p.cost::text, p.taxonomy_id, null::jsonb as taxonomy_name, p.address, p.latitude, p.longitude,
               p.selected_at is not null as selected, null::int as votes, 0 as total
        from public.projects p where ${where} and p.latitude is not null
        order by p.id limit 5000`;
      points = all.map(toProject);
    }
    return {
      items: rows.map(toProject),
      total,
      page: filters.page,
      pages: Math.max(1, Math.ceil(total / PROJECTS_PAGE_SIZE)),
      sort,
      votesShown,
      points,
    };
  });
}

export interface ProjectLink {
  resourceType: string;
  title: string;
  path: string | null;
}

export interface ProjectDetail extends ProjectItem {
  links: ProjectLink[];
}

export async function getProject(claims: Claims | null, componentId: string, budgetId: string, projectId: string): Promise<ProjectDetail | null> {
  if (!isUuid(projectId) || !isUuid(budgetId)) return null;
  return asUser(claims, async (tx) => {
    const [row] = await tx<ProjectRow[]>`
      select p.id, p.budget_id, p.title, p.description, p.cost::text, p.taxonomy_id, t.name as taxonomy_name, p.address, p.latitude, p.longitude,
             p.selected_at is not null as selected,
             (select v.votes from private.budgets_project_votes(${componentId}::uuid) v where v.project_id = p.id) as votes, 1 as total
      from public.projects p left join public.taxonomies t on t.id = p.taxonomy_id
      where p.id = ${projectId} and p.budget_id = ${budgetId} and p.component_id = ${componentId}`;
    if (!row) return null;
    const links = await tx<{ resource_type: string; title: string; path: string | null }[]>`
      select resource_type, title, path from public.project_links where project_id = ${projectId} order by created_at, title`;
    return { ...toProject(row), links: links.map((l) => ({ resourceType: l.resource_type, title: l.title, path: l.path })) };
  });
}

export interface ResultRow {
  projectId: string;
  title: TranslatedText;
  cost: number;
  votes: number;
  score: number;
  rank: number;
  proposed: boolean;
  selected: boolean;
  paidBy: 'shares' | 'completion' | 'greedy' | null;
  payers: number | null;
  averagePayment: number | null;
}

export interface Results {
  method: SelectionMethod;
  voters: number;
  spent: number;
  details: Record<string, number>;
  computedAt: Date;
  confirmedAt: Date | null;
  rows: ResultRow[];
}

/** A budget's tally: once confirmed for whoever sees the component, before that for its admins only (RLS). */
export async function getResults(claims: Claims | null, budgetId: string): Promise<Results | null> {
  if (!isUuid(budgetId)) return null;
  return asUser(claims, async (tx) => {
    const [t] = await tx<{ method: SelectionMethod; voters: number; spent: string; details: Record<string, number>; computed_at: Date; confirmed_at: Date | null }[]>`
      select method, voters, spent::text, details, computed_at, confirmed_at from public.budget_tallies where budget_id = ${budgetId}`;
    if (!t) return null;
    const rows = await tx<
      { project_id: string; title: TranslatedText; cost: string; votes: number; score: string; rank: number; proposed: boolean; selected: boolean; paid_by: ResultRow['paidBy']; payers: number | null; average_payment: string | null }[]
    >`
      select r.project_id, p.title, p.cost::text, r.votes, r.score::text, r.rank, r.proposed, p.selected_at is not null as selected, r.paid_by,
             r.payers, r.average_payment::text
      from public.budget_results r join public.projects p on p.id = r.project_id
      where r.budget_id = ${budgetId} order by r.rank`;
    return {
      method: t.method,
      voters: t.voters,
      spent: Number(t.spent),
      details: t.details,
      computedAt: t.computed_at,
      confirmedAt: t.confirmed_at,
      rows: rows.map((r) => ({
        projectId: r.project_id,
        title: r.title,
        cost: Number(r.cost),
        votes: r.votes,
        score: Number(r.score),
        rank: r.rank,
        proposed: r.proposed,
        selected: r.selected,
        paidBy: r.paid_by,
        payers: r.payers,
        averagePayment: r.average_payment === null ? null : Number(r.average_payment),
      })),
    };
  });
}

/** The visitor's unfinished ballots in a space (projects chosen, not checked out): the space's notice. */
export async function unfinishedBallots(claims: Claims, spaceId: string) {
  return asUser(
    claims,
    (tx) => tx<{ budget_id: string; component_id: string; title: TranslatedText; lines_count: number; total: string }[]>`
      select o.budget_id, o.component_id, b.title, o.lines_count, o.total::text
      from public.ballots o
      join public.budgets b on b.id = o.budget_id
      join public.components c on c.id = o.component_id
      where o.user_id = (select auth.uid()) and o.checked_out_at is null and o.lines_count > 0 and c.space_id = ${spaceId}
        and private.budgets_votes(o.component_id) = 'enabled'
      order by o.updated_at desc limit 10`,
  );
}

export interface BallotLine {
  id: string;
  title: TranslatedText;
  cost: number;
}

/** The visitor's ballot in a budget with its projects (titles, costs), in the order they were added. */
export async function getBallotWithLines(claims: Claims | null, budgetId: string): Promise<{ ballot: BallotState; lines: BallotLine[] }> {
  if (!claims || !isUuid(budgetId)) return { ballot: EMPTY_BALLOT, lines: [] };
  return asUser(claims, async (tx) => {
    const [o] = await tx<{ id: string; total: string; lines_count: number; checked_out: boolean }[]>`
      select id, total::text, lines_count, checked_out_at is not null as checked_out
      from public.ballots where budget_id = ${budgetId} and user_id = (select auth.uid())`;
    if (!o) return { ballot: EMPTY_BALLOT, lines: [] };
    const rows = await tx<{ id: string; title: TranslatedText; cost: string }[]>`
      select p.id, p.title, p.cost::text from public.ballot_lines l join public.projects p on p.id = l.project_id
      where l.ballot_id = ${o.id} order by l.created_at, p.id`;
    return {
      ballot: { total: Number(o.total), count: o.lines_count, checkedOut: o.checked_out, projectIds: rows.map((r) => r.id) },
      lines: rows.map((r) => ({ id: r.id, title: r.title, cost: Number(r.cost) })),
    };
  });
}
