import type { APIRoute } from 'astro';
import { getComment } from '../../../features/comments/queries.server.ts';

/** One comment as the visitor may see it (JSON for the live island); 404 when they may not. */
export const GET: APIRoute = async ({ params, locals }) => {
  const id = params['id'] ?? '';
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return json({ error: 'not_found' }, 404);
  const comment = await getComment(locals.claims, id);
  return comment ? json({ comment }, 200) : json({ error: 'not_found' }, 404);
};

function json(body: unknown, status: number): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'private, no-store' },
  });
}
