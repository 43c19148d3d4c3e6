import type { APIRoute } from 'astro';
import { getResults } from '@/features/forms/queries.server.ts';
import { privateJson } from '@/lib/http/json.ts';

/**
 * A questionnaire's results as the caller may read them (form_results: everything for its
 * managers, the published questions for everyone when public; null otherwise): what the live
 * results read again after a reconnection.
 */
export const GET: APIRoute = async ({ params, locals }) => {
  const id = params['questionnaireId'] ?? '';
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id)) return privateJson(null, 404);
  const results = await getResults(locals.claims, id);
  return privateJson(results, results ? 200 : 404);
};
