/*
 * The pure rules of the budgets feature, for the pages and the islands alike: no import at all
 * (an island that imported the input schemas would carry zod and the HTML sanitiser to the
 * browser). The database keeps every rule; these only let the pages explain them before a
 * refusal (the progress bar, the sentence of the rule, the buttons).
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

// --- Addresses and channels -------------------------------------------------------------------

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
