import type { APIRoute } from 'astro';
import { voteStats } from '@/features/budgets/admin/queries.server.ts';
import { privateJson } from '@/lib/http/json.ts';
import { isUuid } from '@/lib/ids.ts';

/**
 * The vote's numbers per budget and per district (`''`: voters without one), as JSON, for the
 * admin page's live tables (the database's function answers the space's admins only: anyone else
 * gets empty numbers).
 */
export const GET: APIRoute = async ({ params, locals }) => {
  const id = params['componentId'] ?? '';
  if (!isUuid(id)) return privateJson({ error: 'not_found' }, 404);
  if (!locals.claims) return privateJson({ error: 'unauthorized' }, 401);
  const stats = await voteStats(locals.claims, id);
  const totals: Record<string, { inProgress: number; checkedOut: number }> = {};
  const districts: Record<string, { inProgress: number; checkedOut: number }> = {};
  for (const s of stats) {
    for (const t of [(totals[s.budgetId] ??= { inProgress: 0, checkedOut: 0 }), (districts[s.districtId ?? ''] ??= { inProgress: 0, checkedOut: 0 })]) {
      t.inProgress += s.inProgress;
      t.checkedOut += s.checkedOut;
    }
  }
  return privateJson({ totals, districts });
};
