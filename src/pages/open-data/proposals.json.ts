import type { APIRoute } from 'astro';
import { requestOrganization } from '@/features/organization/queries.server.ts';
import { jsonResponse } from '@/features/proposals/export.ts';
import { openDataProposals } from '@/features/proposals/export.server.ts';

/** Open data: the organization's public proposals (read as an anonymous visitor), as JSON. */
export const GET: APIRoute = async (context) => {
  const org = await requestOrganization(context.locals);
  const rows = await openDataProposals({ origin: context.url.origin, locale: context.locals.locale, defaultLocale: org.defaultLocale });
  return jsonResponse(rows, 'proposals.json', true);
};
