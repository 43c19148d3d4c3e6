import type { APIRoute } from 'astro';
import { requestOrganization } from '@/features/organization/queries.server.ts';
import { proposalsAdminContext } from '@/features/proposals/admin/gate.server.ts';
import { ADMIN_EXPORT_COLUMNS, csvResponse, jsonResponse, toCsv } from '@/features/proposals/export.ts';
import { exportComponentProposals, exportProposalComments } from '@/features/proposals/export.server.ts';

/**
 * Exports of the component (`?format=csv|json|comments`): its proposals for its admins, the ones
 * assigned to them for an evaluator; `comments` is the comments on them as CSV. (No extension in
 * the path: the session is read for every path that does not look like a file.)
 */
export const GET: APIRoute = async (context) => {
  const ctx = await proposalsAdminContext(context);
  if (ctx instanceof Response) return ctx;
  const format = context.url.searchParams.get('format') ?? 'csv';
  if (format === 'comments') {
    const rows = await exportProposalComments(context.locals.claims, ctx);
    const columns = ['id', 'proposal_id', 'proposal_number', 'parent_id', 'author', 'body', 'alignment', 'created_at'];
    return csvResponse(toCsv(columns, rows as unknown as Record<string, unknown>[]), `proposal-comments-${ctx.componentId}.csv`);
  }
  if (format !== 'csv' && format !== 'json') return new Response('Unknown format', { status: 400 });
  const org = await requestOrganization(context.locals);
  const rows = await exportComponentProposals(context.locals.claims, ctx, {
    origin: context.url.origin,
    locale: context.locals.locale,
    defaultLocale: org.defaultLocale,
  });
  return format === 'json'
    ? jsonResponse(rows, `proposals-${ctx.componentId}.json`)
    : csvResponse(toCsv(ADMIN_EXPORT_COLUMNS, rows as unknown as Record<string, unknown>[]), `proposals-${ctx.componentId}.csv`);
};
