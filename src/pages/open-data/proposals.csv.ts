import type { APIRoute } from 'astro';
import { requestOrganization } from '@/features/organization/queries.server.ts';
import { csvResponse, EXPORT_COLUMNS, toCsv } from '@/features/proposals/export.ts';
import { openDataProposals } from '@/features/proposals/export.server.ts';

/** Open data: the organization's public proposals (read as an anonymous visitor), as CSV. */
export const GET: APIRoute = async (context) => {
  const org = await requestOrganization(context.locals);
  const rows = await openDataProposals({ origin: context.url.origin, locale: context.locals.locale, defaultLocale: org.defaultLocale });
  const res = csvResponse(toCsv(EXPORT_COLUMNS, rows as unknown as Record<string, unknown>[]), 'proposals.csv');
  res.headers.set('cache-control', 'public, max-age=300');
  return res;
};
