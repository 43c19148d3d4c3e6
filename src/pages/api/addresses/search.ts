import type { APIRoute } from 'astro';
import { suggestAddresses } from '@/features/maps/queries.server.ts';

/**
 * Address suggestions for the address fields (`?q=12 rue des tan`): the organization's imported
 * addresses (BAN), trigram search in Postgres; nothing leaves the platform. Public data, public
 * cache for a minute. Fewer than 3 characters: no suggestion.
 */
export const GET: APIRoute = async ({ url }) => {
  const q = url.searchParams.get('q') ?? '';
  if (q.length > 200) return json({ error: { code: 'invalid_params', params: ['q'] } }, 400);
  return json({ suggestions: await suggestAddresses(q) });
};

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': status === 200 ? 'public, max-age=60' : 'no-store' },
  });
}
