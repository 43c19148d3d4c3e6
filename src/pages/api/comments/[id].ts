import type { APIRoute } from 'astro';
import { getComment } from '@/features/comments/queries.server.ts';
import { privateJson as json } from '@/lib/http/json.ts';
import { isUuid } from '@/lib/ids.ts';

/** One comment as the visitor may see it (JSON for the live island); 404 when they may not. */
export const GET: APIRoute = async ({ params, locals }) => {
  const id = params['id'] ?? '';
  if (!isUuid(id)) return json({ error: 'not_found' }, 404);
  const comment = await getComment(locals.claims, id);
  return comment ? json({ comment }, 200) : json({ error: 'not_found' }, 404);
};
