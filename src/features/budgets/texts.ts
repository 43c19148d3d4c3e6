import type { Translator } from '../../lib/i18n/catalog.ts';
import { pluralForm, type PluralForms } from '../../lib/i18n/plural.ts';
import { formatEuros, progressOf, type BallotState, type BudgetRule } from './rules.ts';

/*
 * The sentences the ballot says, built the same way on the server and in the island (which gets
 * the templates, not a translator): pure, no server imports.
 */

/** The templates a ballot needs, in the visitor's language. */
export interface BallotTexts {
  rule: string;
  euros: string;
  projects: string;
  ruleMet: string;
  missingEuros: string;
  missingProjects: string;
  projectsCount: PluralForms;
}

export function ballotTexts(t: Translator<never>, rule: BudgetRule, locale: string): BallotTexts {
  const minimum = Math.ceil((rule.thresholdPercent * rule.total) / 100);
  const sentence = t.dynamic(`budgets.rule.${rule.rule}`, {
    percent: rule.thresholdPercent,
    minimum: rule.rule === 'threshold_percent' ? formatEuros(minimum, locale) : rule.minimumProjects,
    total: formatEuros(rule.total, locale),
    min: rule.rangeMin,
    max: rule.rangeMax,
  });
  return {
    rule: sentence,
    euros: t.dynamic('budgets.ballot.euros'),
    projects: t.dynamic('budgets.ballot.projects'),
    ruleMet: t.dynamic('budgets.ballot.ruleMet'),
    missingEuros: t.dynamic('budgets.ballot.ruleMissingEuros'),
    missingProjects: t.dynamic('budgets.ballot.ruleMissingProjects'),
    projectsCount: { one: t.dynamic('budgets.projects.one'), other: t.dynamic('budgets.projects.other') },
  };
}

const fill = (template: string, params: Record<string, string | number>) =>
  template.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(params, name) ? String(params[name]) : whole));

/** "You have chosen 700 000 € of 1 000 000 €: 300 000 € left." — also the progress bar's aria-valuetext. */
export function progressSentence(texts: BallotTexts, rule: BudgetRule, ballot: Pick<BallotState, 'total' | 'count'>, locale: string): string {
  const p = progressOf(rule, ballot);
  return p.unit === 'projects'
    ? fill(texts.projects, { count: p.value, max: p.max, left: p.left })
    : fill(texts.euros, { spent: formatEuros(p.value, locale), total: formatEuros(p.max, locale), left: formatEuros(p.left, locale) });
}

/** What the rule still asks, or that it is met. */
export function ruleStatus(texts: BallotTexts, rule: BudgetRule, ballot: Pick<BallotState, 'total' | 'count'>, locale: string, met: boolean): string {
  if (met) return texts.ruleMet;
  if (rule.rule === 'threshold_percent') {
    const minimum = Math.ceil((rule.thresholdPercent * rule.total) / 100);
    return fill(texts.missingEuros, { amount: formatEuros(Math.max(0, minimum - ballot.total), locale) });
  }
  const needed = rule.rule === 'minimum_projects' ? rule.minimumProjects : rule.rangeMin;
  return fill(texts.missingProjects, { count: Math.max(1, needed - ballot.count) });
}

export function countProjects(texts: BallotTexts, locale: string, n: number): string {
  return pluralForm(locale, texts.projectsCount, n);
}
