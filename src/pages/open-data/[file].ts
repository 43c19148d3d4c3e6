import type { APIRoute } from 'astro';
import { requestOrganization } from '@/features/organization/queries.server.ts';
import { OPEN_DATA } from '@/features/registry.ts';

/**
 * Open data files, `/open-data/<key>.csv` or `.json`, for every data set a feature declares in
 * its manifest (the registry), so a new feature's open data needs no route here.
 */
export const GET: APIRoute = async (context) => {
  const match = /^([a-z][a-z_]{1,39})\.(csv|json)$/.exec(context.params.file ?? '');
  const set = match ? OPEN_DATA.find((d) => d.key === match[1]) : undefined;
  if (!match || !set) return new Response('Not found', { status: 404 });
  const org = await requestOrganization(context.locals);
  const { openDataResponse } = await set.load();
  return openDataResponse(match[2] as 'csv' | 'json', { origin: context.url.origin, locale: context.locals.locale, defaultLocale: org.defaultLocale });
};
