import type { APIRoute } from 'astro';
import { getBallotWithLines } from '@/features/budgets/queries.server.ts';
import { privateJson } from '@/lib/http/json.ts';
import { isLocale, translated } from '@/lib/i18n/index.ts';
import { isUuid } from '@/lib/ids.ts';
import { requestOrganization } from '@/features/organization/queries.server.ts';

/**
 * The visitor's ballot in a budget, as JSON (read as them: RLS shows their own ballot only):
 * what the ballot island redraws after one of their writes or a broadcast from another of
 * their devices. `?locale=fr|en` for the titles.
 */
export const GET: APIRoute = async ({ params, url, locals }) => {
  const id = params['budgetId'] ?? '';
  if (!isUuid(id)) return privateJson({ error: 'not_found' }, 404);
  if (!locals.claims) return privateJson({ error: 'unauthorized' }, 401);
  const locale = isLocale(url.searchParams.get('locale')) ? (url.searchParams.get('locale') as 'fr' | 'en') : locals.locale;
  const org = await requestOrganization(locals);
  const { ballot, lines } = await getBallotWithLines(locals.claims, id);
  return privateJson({ ballot, lines: lines.map((l) => ({ id: l.id, cost: l.cost, title: translated(l.title, locale, org.defaultLocale) })) });
};
