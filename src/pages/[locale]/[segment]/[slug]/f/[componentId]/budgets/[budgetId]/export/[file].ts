import type { APIRoute } from 'astro';
import { pabulibInstance, pabulibResponse, resultsResponse } from '@/features/budgets/export.server.ts';
import { budgetsContext, getBudget } from '@/features/budgets/queries.server.ts';
import { translated } from '@/lib/i18n/index.ts';

/**
 * A budget's downloads: `results.csv`, `results.json` (its tally: public once confirmed, the
 * space's admins before) and `ballots.pb` (its anonymised ballots in the Pabulib format: the
 * admins once the vote is finished, everyone once the results are published). 404 otherwise.
 */
export const GET: APIRoute = async ({ params, locals }) => {
  const ctx = await budgetsContext(locals, params);
  if (!ctx) return new Response('Not found', { status: 404 });
  const budget = await getBudget(locals.claims, ctx.component.id, params['budgetId'] ?? '');
  if (!budget) return new Response('Not found', { status: 404 });
  const file = params['file'] ?? '';
  const name = `budget-${budget.id.slice(0, 8)}`;
  if (file === 'results.csv' || file === 'results.json') {
    if (!budget.tallied) return new Response('Not found', { status: 404 });
    return resultsResponse(locals.claims, file.endsWith('csv') ? 'csv' : 'json', {
      budgetIds: [budget.id],
      locale: locals.locale,
      defaultLocale: ctx.defaultLocale,
      filename: name,
    });
  }
  if (file === 'ballots.pb') {
    const inst = await pabulibInstance(locals.claims, budget.id, { locale: locals.locale, defaultLocale: ctx.defaultLocale, unit: translated(ctx.space.title, locals.locale, ctx.defaultLocale) });
    if (!inst) return new Response('Not found', { status: 404 });
    return pabulibResponse(inst, name);
  }
  return new Response('Not found', { status: 404 });
};
