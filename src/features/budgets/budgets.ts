import { z } from 'zod';
import { confirmed } from '../../lib/forms/confirm.ts';
import { integerInput, optionalText, translatedInput, uuidInput } from '../../lib/forms/fields.ts';

/*
 * Types, input schemas and pure rules of the budgets feature: no server imports (islands and the
 * tally worker use this file). The database keeps every rule; these only let the pages explain
 * them before a refusal (the progress bar, the sentence of the rule, the disabled buttons).
 */

export const VOTE_RULES = ['threshold_percent', 'minimum_projects', 'projects_range'] as const;
export type VoteRule = (typeof VOTE_RULES)[number];
export const SELECTION_METHODS = ['greedy', 'equal_shares'] as const;
export type SelectionMethod = (typeof SELECTION_METHODS)[number];
export const WORKFLOWS = ['all', 'one', 'district'] as const;
export type Workflow = (typeof WORKFLOWS)[number];
export type VotesState = 'disabled' | 'enabled' | 'finished';

/** What the rules need of a budget. Amounts are whole euros. */
export interface BudgetRule {
  total: number;
  rule: VoteRule;
  thresholdPercent: number;
  minimumProjects: number;
  rangeMin: number;
  rangeMax: number;
}

/** A ballot as its voter sees it. */
export interface BallotState {
  total: number;
  count: number;
  checkedOut: boolean;
  projectIds: string[];
}

/** What the person may do with a budget's ballot now, and otherwise why not. */
export type BallotAccess = 'vote' | 'signin' | 'verify' | 'closed' | 'district' | 'imported';

export function ballotAccess(
  budget: { imported: boolean; otherDistrict: boolean },
  voting: { votes: VotesState; signedIn: boolean; verified: boolean },
): BallotAccess {
  if (budget.imported) return 'imported';
  if (voting.votes !== 'enabled') return 'closed';
  if (!voting.signedIn) return 'signin';
  if (!voting.verified) return 'verify';
  return budget.otherDistrict ? 'district' : 'vote';
}

export const EMPTY_BALLOT: BallotState = { total: 0, count: 0, checkedOut: false, projectIds: [] };

/** The budgets database's `budgets_rule_met`. */
export function ruleMet(b: BudgetRule, total: number, count: number): boolean {
  if (count <= 0) return false;
  switch (b.rule) {
    case 'threshold_percent':
      return total <= b.total && total * 100 >= b.thresholdPercent * b.total;
    case 'minimum_projects':
      return total <= b.total && count >= b.minimumProjects;
    case 'projects_range':
      return count >= b.rangeMin && count <= b.rangeMax;
  }
}

/** Why a project could not be added to the ballot now, or null when it can. */
export function addRefusal(b: BudgetRule, ballot: BallotState, cost: number): 'envelope' | 'too_many' | 'checked_out' | null {
  if (ballot.checkedOut) return 'checked_out';
  if (b.rule === 'projects_range') return ballot.count + 1 > b.rangeMax ? 'too_many' : null;
  return ballot.total + cost > b.total ? 'envelope' : null;
}

/**
 * The progress bar: under the "between N and M projects" rule it counts projects (out of M),
 * otherwise euros (out of the envelope); `minimum` is where the rule is met.
 */
export function progressOf(b: BudgetRule, ballot: Pick<BallotState, 'total' | 'count'>): { unit: 'euros' | 'projects'; value: number; max: number; minimum: number; left: number } {
  if (b.rule === 'projects_range') {
    return { unit: 'projects', value: ballot.count, max: b.rangeMax, minimum: b.rangeMin, left: Math.max(0, b.rangeMax - ballot.count) };
  }
  const minimum = b.rule === 'threshold_percent' ? Math.ceil((b.thresholdPercent * b.total) / 100) : 0;
  return { unit: 'euros', value: ballot.total, max: b.total, minimum, left: Math.max(0, b.total - ballot.total) };
}

/** Whole euros, as people read them ("1 200 000 €"). */
export function formatEuros(amount: number, locale: string): string {
  return new Intl.NumberFormat(locale === 'en' ? 'en-GB' : 'fr-FR', { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 }).format(amount);
}

// --- The projects list --------------------------------------------------------------------------

export const PROJECT_SORTS = ['random', 'cost_asc', 'cost_desc', 'most_voted'] as const;
export type ProjectSort = (typeof PROJECT_SORTS)[number];
export const PROJECTS_PAGE_SIZE = 50;
export const TEXT_FILTER_MAX = 200;
export const COST_MAX = 1_000_000_000_000;

export interface ProjectFilters {
  text: string | null;
  taxonomyId: string | null;
  minCost: number | null;
  maxCost: number | null;
  /** Only the winners (once the results are published). */
  selected: boolean;
  /** Only the projects on my ballot. */
  mine: boolean;
  sort: ProjectSort | null;
  seed: string | null;
  page: number;
}

export const EMPTY_PROJECT_FILTERS: ProjectFilters = {
  text: null,
  taxonomyId: null,
  minCost: null,
  maxCost: null,
  selected: false,
  mine: false,
  sort: null,
  seed: null,
  page: 1,
};

const costSchema = z.coerce.number().int().min(0).max(COST_MAX);
const seedSchema = z.string().regex(/^[a-z0-9]{6,32}$/);
const textSchema = z.string().max(TEXT_FILTER_MAX).refine((s) => !s.includes('\u0000'));

/** The list's parameters from the URL; anything invalid is dropped and named in `invalid`. */
export function parseProjectParams(params: URLSearchParams): { filters: ProjectFilters; view: 'list' | 'map'; invalid: string[] } {
  const invalid: string[] = [];
  const get = (name: string) => {
    const v = params.get(name);
    return v === null || v.trim() === '' ? null : v.trim();
  };
  const read = <T>(name: string, schema: z.ZodType<T>): T | null => {
    const v = get(name);
    if (v === null) return null;
    const r = schema.safeParse(v);
    if (!r.success) invalid.push(name);
    return r.success ? r.data : null;
  };
  const filters: ProjectFilters = { ...EMPTY_PROJECT_FILTERS };
  filters.text = read('q', textSchema);
  filters.taxonomyId = read('taxonomy', z.uuid());
  filters.minCost = read('min', costSchema);
  filters.maxCost = read('max', costSchema);
  if (filters.minCost !== null && filters.maxCost !== null && filters.minCost > filters.maxCost) {
    invalid.push('max');
    filters.maxCost = null;
  }
  for (const name of ['selected', 'mine'] as const) {
    const v = get(name);
    if (v === null) continue;
    if (['true', 'on', '1'].includes(v)) filters[name] = true;
    else if (!['false', '0'].includes(v)) invalid.push(name);
  }
  const sort = get('sort');
  if (sort !== null) {
    if ((PROJECT_SORTS as readonly string[]).includes(sort)) filters.sort = sort as ProjectSort;
    else invalid.push('sort');
  }
  filters.seed = read('seed', seedSchema);
  filters.page = read('page', z.coerce.number().int().min(1).max(100_000)) ?? 1;
  const viewParam = get('view');
  if (viewParam !== null && viewParam !== 'list' && viewParam !== 'map') invalid.push('view');
  return { filters, view: viewParam === 'map' ? 'map' : 'list', invalid };
}

/** The URL parameters of a list state (the defaults left out). */
export function projectParams(f: ProjectFilters, extra: { view?: 'list' | 'map'; page?: number } = {}): URLSearchParams {
  const p = new URLSearchParams();
  if (f.text) p.set('q', f.text);
  if (f.taxonomyId) p.set('taxonomy', f.taxonomyId);
  if (f.minCost !== null) p.set('min', String(f.minCost));
  if (f.maxCost !== null) p.set('max', String(f.maxCost));
  if (f.selected) p.set('selected', 'true');
  if (f.mine) p.set('mine', 'true');
  if (f.sort) p.set('sort', f.sort);
  if (f.seed) p.set('seed', f.seed);
  if (extra.view === 'map') p.set('view', 'map');
  const page = extra.page ?? f.page;
  if (page > 1) p.set('page', String(page));
  return p;
}

export function isFiltered(f: ProjectFilters): boolean {
  return Boolean(f.text || f.taxonomyId || f.minCost !== null || f.maxCost !== null || f.selected || f.mine);
}

// --- Addresses --------------------------------------------------------------------------------

export const componentHref = (spaceHref: string, componentId: string) => `${spaceHref}/f/${componentId}`;
export const budgetHref = (spaceHref: string, componentId: string, budgetId: string) => `${spaceHref}/f/${componentId}/budgets/${budgetId}`;
export const projectHref = (spaceHref: string, componentId: string, budgetId: string, projectId: string) =>
  `${budgetHref(spaceHref, componentId, budgetId)}/projects/${projectId}`;
export const resultsHref = (spaceHref: string, componentId: string, budgetId: string) => `${budgetHref(spaceHref, componentId, budgetId)}/results`;
export const adminHref = (locale: string, spaceId: string, componentId: string) => `/${locale}/admin/spaces/${spaceId}/components/${componentId}/manage`;
export const adminBudgetHref = (locale: string, spaceId: string, componentId: string, budgetId: string) =>
  `/${locale}/admin/spaces/${spaceId}/components/${componentId}/budgets/${budgetId}`;
/** The component's live channel (vote counts when shown) and a voter's own (their ballots). */
export const budgetsTopic = (componentId: string) => `budgets:${componentId}`;
export const voterTopic = (userId: string) => `budgets:voter:${userId}`;

// --- Inputs -------------------------------------------------------------------------------------

/** Adding or removing a project from a ballot; `back` is where a form without JavaScript returns. */
export const ballotProjectInput = z.object({ project_id: uuidInput });
export type BallotProjectInput = z.infer<typeof ballotProjectInput>;

export const checkoutInput = confirmed(z.object({ budget_id: uuidInput }));
export type CheckoutInput = z.infer<typeof checkoutInput>;
export const emptyBallotInput = confirmed(z.object({ budget_id: uuidInput }));
export type EmptyBallotInput = z.infer<typeof emptyBallotInput>;

const euros = integerInput(1, COST_MAX);
const optionalUuid = z
  .union([z.uuid({ message: 'validation.invalid' }), z.literal('')])
  .nullish()
  .transform((v) => (v ? v : null));

export const budgetInput = z.object({
  component_id: uuidInput,
  budget_id: optionalUuid,
  title: translatedInput({ required: true, max: 200 }),
  description: translatedInput({ rich: true, max: 20_000 }),
  total_budget: euros,
  taxonomy_id: optionalUuid,
  weight: integerInput(-1000, 1000).default(0),
  vote_rule: z.enum(VOTE_RULES, { message: 'validation.invalid_choice' }),
  threshold_percent: integerInput(1, 100).default(70),
  minimum_projects: integerInput(1, 1000).default(1),
  range_min: integerInput(1, 1000).default(1),
  range_max: integerInput(1, 1000).default(5),
  selection_method: z.enum(SELECTION_METHODS, { message: 'validation.invalid_choice' }),
});
export type BudgetInput = z.infer<typeof budgetInput>;

export const deleteBudgetInput = confirmed(z.object({ budget_id: uuidInput }));
export type DeleteBudgetInput = z.infer<typeof deleteBudgetInput>;

// Decimal degrees as people type them ("47,51" or "47.51"); empty is none.
const coordinate = (min: number, max: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? (v.trim() === '' ? null : Number(v.trim().replace(',', '.'))) : (v ?? null)),
    z.number({ message: 'validation.invalid' }).min(min).max(max).nullable(),
  );

export const projectInput = z.object({
  budget_id: uuidInput,
  project_id: optionalUuid,
  title: translatedInput({ required: true, max: 300 }),
  description: translatedInput({ rich: true, max: 50_000 }),
  cost: euros,
  taxonomy_id: optionalUuid,
  address: optionalText(300),
  latitude: coordinate(-90, 90),
  longitude: coordinate(-180, 180),
  weight: integerInput(-100_000, 100_000).default(0),
});
export type ProjectInput = z.infer<typeof projectInput>;

export const deleteProjectInput = confirmed(z.object({ project_id: uuidInput }));
export type DeleteProjectInput = z.infer<typeof deleteProjectInput>;

export const importProposalsInput = z.object({
  budget_id: uuidInput,
  source_component_id: uuidInput,
});
export type ImportProposalsInput = z.infer<typeof importProposalsInput>;

export const closeVoteInput = confirmed(z.object({ component_id: uuidInput }));
export type CloseVoteInput = z.infer<typeof closeVoteInput>;
export const requestTallyInput = z.object({ component_id: uuidInput });
export type RequestTallyInput = z.infer<typeof requestTallyInput>;

export const confirmSelectionInput = confirmed(
  z.object({
    budget_id: uuidInput,
    // A checkbox per project: absent means none, one value a string, several an array.
    selected: z
      .union([z.array(z.uuid({ message: 'validation.invalid' })), z.uuid({ message: 'validation.invalid' })])
      .nullish()
      .transform((v) => (v == null ? [] : Array.isArray(v) ? v : [v])),
  }),
);
export type ConfirmSelectionInput = z.infer<typeof confirmSelectionInput>;
export const unconfirmSelectionInput = confirmed(z.object({ budget_id: uuidInput }));
export type UnconfirmSelectionInput = z.infer<typeof unconfirmSelectionInput>;

/** The database's named refusals, as form messages (`guarded`). */
export const BUDGETS_CONSTRAINTS = {
  budgets_votes_closed: { key: 'budgets.error.votes_closed' },
  budgets_verification_required: { key: 'budgets.error.verification_required' },
  budgets_not_your_district: { key: 'budgets.error.not_your_district' },
  budgets_one_budget: { key: 'budgets.error.one_budget' },
  budgets_checked_out: { key: 'budgets.error.checked_out' },
  budgets_envelope_exceeded: { key: 'budgets.error.envelope_exceeded' },
  budgets_too_many_projects: { key: 'budgets.error.too_many_projects' },
  budgets_rule_not_met: { key: 'budgets.error.rule_not_met' },
  budgets_project_budget: { key: 'budgets.error.project_budget' },
  budgets_imported: { key: 'budgets.error.imported' },
  budgets_rules_locked: { field: 'total_budget', key: 'budgets.error.rules_locked' },
  projects_cost_locked: { field: 'cost', key: 'budgets.error.cost_locked' },
  projects_voted: { key: 'budgets.error.project_voted' },
  budgets_no_tally: { key: 'budgets.error.no_tally' },
  budgets_title_translated: { field: 'title', key: 'validation.required' },
  budgets_total_budget: { field: 'total_budget', key: 'validation.invalid' },
  budgets_range: { field: 'range_max', key: 'budgets.error.range' },
  projects_title_translated: { field: 'title', key: 'validation.required' },
  projects_cost: { field: 'cost', key: 'validation.invalid' },
  projects_point: { field: 'latitude', key: 'validation.invalid' },
} as const;
