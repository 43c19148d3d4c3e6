import { z } from 'zod';
import { confirmed } from '../../lib/forms/confirm.ts';
import { integerInput, optionalText, translatedInput, uuidInput } from '../../lib/forms/fields.ts';

/*
 * Types and input schemas of the budgets feature (the pages and actions), with its pure rules
 * (rules.ts, which islands import on their own). No server imports.
 */

export * from './rules.ts';
import { SELECTION_METHODS, VOTE_RULES } from './rules.ts';

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
