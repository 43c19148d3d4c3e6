import { asUser, type Claims } from '../../../lib/db/index.ts';
import type { TranslatedText } from '../../../lib/i18n/translated.ts';
import { isUuid } from '../../../lib/ids.ts';
import type { SelectionMethod, VoteRule } from '../budgets.ts';

/* Reads of the budgets admin, as the admin (RLS: the space's admins see counts, never ballots). */

export interface AdminBudget {
  id: string;
  title: TranslatedText;
  description: TranslatedText;
  totalBudget: number;
  taxonomyId: string | null;
  weight: number;
  voteRule: VoteRule;
  thresholdPercent: number;
  minimumProjects: number;
  rangeMin: number;
  rangeMax: number;
  selectionMethod: SelectionMethod;
  imported: boolean;
  projectsCount: number;
  tallyComputedAt: Date | null;
  tallyConfirmedAt: Date | null;
}

interface AdminBudgetRow {
  id: string;
  title: TranslatedText;
  description: TranslatedText;
  total_budget: string;
  taxonomy_id: string | null;
  weight: number;
  vote_rule: VoteRule;
  threshold_percent: number;
  minimum_projects: number;
  range_min: number;
  range_max: number;
  selection_method: SelectionMethod;
  imported: boolean;
  projects_count: number;
  computed_at: Date | null;
  confirmed_at: Date | null;
}

const toBudget = (r: AdminBudgetRow): AdminBudget => ({
  id: r.id,
  title: r.title,
  description: r.description,
  totalBudget: Number(r.total_budget),
  taxonomyId: r.taxonomy_id,
  weight: r.weight,
  voteRule: r.vote_rule,
  thresholdPercent: r.threshold_percent,
  minimumProjects: r.minimum_projects,
  rangeMin: r.range_min,
  rangeMax: r.range_max,
  selectionMethod: r.selection_method,
  imported: r.imported,
  projectsCount: r.projects_count,
  tallyComputedAt: r.computed_at,
  tallyConfirmedAt: r.confirmed_at,
});

export async function listAdminBudgets(claims: Claims | null, componentId: string, budgetId: string | null = null): Promise<AdminBudget[]> {
  const rows = await asUser(
    claims,
    (tx) => tx<AdminBudgetRow[]>`
      select b.id, b.title, b.description, b.total_budget::text, b.taxonomy_id, b.weight, b.vote_rule, b.threshold_percent, b.minimum_projects,
             b.range_min, b.range_max, b.selection_method, b.imported is not null as imported,
             (select count(*)::int from public.projects p where p.budget_id = b.id) as projects_count, t.computed_at, t.confirmed_at
      from public.budgets b left join public.budget_tallies t on t.budget_id = b.id
      where b.component_id = ${componentId} and (${budgetId}::uuid is null or b.id = ${budgetId}::uuid)
      order by b.weight, b.created_at, b.id`,
  );
  return rows.map(toBudget);
}

export async function getAdminBudget(claims: Claims | null, componentId: string, budgetId: string): Promise<AdminBudget | null> {
  if (!isUuid(budgetId)) return null;
  return (await listAdminBudgets(claims, componentId, budgetId))[0] ?? null;
}

export interface AdminProject {
  id: string;
  title: TranslatedText;
  description: TranslatedText;
  cost: number;
  taxonomyId: string | null;
  address: string | null;
  latitude: number | null;
  longitude: number | null;
  weight: number;
  votes: number | null;
  selected: boolean;
}

export async function listAdminProjects(claims: Claims | null, componentId: string, budgetId: string, projectId: string | null = null): Promise<AdminProject[]> {
  const rows = await asUser(
    claims,
    (tx) => tx<
      { id: string; title: TranslatedText; description: TranslatedText; cost: string; taxonomy_id: string | null; address: string | null; latitude: number | null; longitude: number | null; weight: number; votes: number | null; selected: boolean }[]
    >`
      select p.id, p.title, p.description, p.cost::text, p.taxonomy_id, p.address, p.latitude, p.longitude, p.weight, v.votes,
             p.selected_at is not null as selected
      from public.projects p
      left join (select * from private.budgets_project_votes(${componentId}::uuid)) v on v.project_id = p.id
      where p.budget_id = ${budgetId} and (${projectId}::uuid is null or p.id = ${projectId}::uuid)
      order by p.weight, p.created_at, p.id`,
  );
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    description: r.description,
    cost: Number(r.cost),
    taxonomyId: r.taxonomy_id,
    address: r.address,
    latitude: r.latitude,
    longitude: r.longitude,
    weight: r.weight,
    votes: r.votes,
    selected: r.selected,
  }));
}

export async function getAdminProject(claims: Claims | null, componentId: string, budgetId: string, projectId: string): Promise<AdminProject | null> {
  if (!isUuid(projectId)) return null;
  return (await listAdminProjects(claims, componentId, budgetId, projectId))[0] ?? null;
}

export interface VoteStat {
  budgetId: string;
  districtId: string | null;
  districtName: TranslatedText | null;
  inProgress: number;
  checkedOut: number;
}

/** The vote's numbers per budget and district (the database's function: the space's admins). */
export async function voteStats(claims: Claims | null, componentId: string): Promise<VoteStat[]> {
  const rows = await asUser(
    claims,
    (tx) => tx<{ budget_id: string; district_id: string | null; name: TranslatedText | null; in_progress: string; checked_out: string }[]>`
      select s.budget_id, s.district_id, t.name, s.in_progress::text, s.checked_out::text
      from public.budgets_vote_stats(${componentId}) s left join public.taxonomies t on t.id = s.district_id
      order by s.budget_id, t.weight nulls last`,
  );
  return rows.map((r) => ({ budgetId: r.budget_id, districtId: r.district_id, districtName: r.name, inProgress: Number(r.in_progress), checkedOut: Number(r.checked_out) }));
}

export async function tallyRequest(claims: Claims | null, componentId: string): Promise<{ requestedAt: Date; doneAt: Date | null } | null> {
  const [row] = await asUser(
    claims,
    (tx) => tx<{ requested_at: Date; done_at: Date | null }[]>`select requested_at, done_at from public.budget_tally_requests where component_id = ${componentId}`,
  );
  return row ? { requestedAt: row.requested_at, doneAt: row.done_at } : null;
}

/** The proposals components of the space, to import accepted proposals from. */
export async function proposalsComponents(claims: Claims | null, spaceId: string): Promise<{ id: string; name: TranslatedText }[]> {
  return asUser(
    claims,
    (tx) => tx<{ id: string; name: TranslatedText }[]>`
      select id, name from public.components where space_id = ${spaceId} and feature = 'proposals' order by weight, created_at`,
  );
}
