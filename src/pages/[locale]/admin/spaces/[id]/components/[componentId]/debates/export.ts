import type { APIRoute } from 'astro';
import { debatesAdminContext } from '@/features/debates/admin/gate.server.ts';
import { ARGUMENT_COLUMNS, DEBATE_COLUMNS, exportComponentDebates } from '@/features/debates/export.server.ts';
import { requestOrganization } from '@/features/organization/queries.server.ts';
import { csvResponse, toCsv } from '@/lib/csv.ts';

/**
 * Exports of a debates component for its admins (`?format=csv|json|arguments`): the debates as
 * CSV, everything as JSON (debates and arguments), the arguments as CSV. (No extension in the
 * path: the session is read for every path that does not look like a file.)
 */
export const GET: APIRoute = async (context) => {
  const ctx = await debatesAdminContext(context);
  if (ctx instanceof Response) return ctx;
  const format = context.url.searchParams.get('format') ?? 'csv';
  if (format !== 'csv' && format !== 'json' && format !== 'arguments') return new Response('Unknown format', { status: 400 });
  const org = await requestOrganization(context.locals);
  const data = await exportComponentDebates(context.locals.claims, ctx.componentId, { origin: context.url.origin, locale: context.locals.locale, defaultLocale: org.defaultLocale });
  if (format === 'arguments') return csvResponse(toCsv(ARGUMENT_COLUMNS, data.arguments as unknown as Record<string, unknown>[]), `debate-arguments-${ctx.componentId}.csv`);
  if (format === 'json') {
    return new Response(JSON.stringify(data, null, 2), {
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'content-disposition': `attachment; filename="debates-${ctx.componentId}.json"`,
        'cache-control': 'private, no-store',
        'x-content-type-options': 'nosniff',
      },
    });
  }
  return csvResponse(toCsv(DEBATE_COLUMNS, data.debates as unknown as Record<string, unknown>[]), `debates-${ctx.componentId}.csv`);
};
