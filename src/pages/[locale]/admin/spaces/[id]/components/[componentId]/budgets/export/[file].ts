import type { APIRoute } from 'astro';
import { adminGate } from '@/features/admin/access.server.ts';
import { resultsResponse } from '@/features/budgets/export.server.ts';
import { requestOrganization } from '@/features/organization/queries.server.ts';
import { asUser } from '@/lib/db/index.ts';

/** The admins' export of a component's tallies (`results.csv`, `results.json`): every budget, confirmed or not. */
export const GET: APIRoute = async (context) => {
  const { params, locals, url } = context;
  const gate = await adminGate(locals, url, { spaceId: params['id'] ?? '' });
  if (gate.kind === 'sign-in') return new Response('Unauthorized', { status: 401 });
  if (gate.kind === 'forbidden') return new Response('Forbidden', { status: 403 });
  const file = params['file'] ?? '';
  if (file !== 'results.csv' && file !== 'results.json') return new Response('Not found', { status: 404 });
  const ids = await asUser(
    locals.claims,
    (tx) => tx<{ id: string }[]>`
      select b.id from public.budgets b join public.components c on c.id = b.component_id
      where b.component_id = ${params['componentId'] ?? ''}::uuid and c.space_id = ${params['id'] ?? ''}::uuid`,
  ).catch(() => []);
  if (ids.length === 0) return new Response('Not found', { status: 404 });
  const org = await requestOrganization(locals);
  return resultsResponse(locals.claims, file.endsWith('csv') ? 'csv' : 'json', {
    budgetIds: ids.map((r) => r.id),
    locale: locals.locale,
    defaultLocale: org.defaultLocale,
    filename: 'budgets-results',
  });
};
