import type { APIRoute } from 'astro';
import { getChangedSince, TIMESTAMP, visibleCommentIds } from '@/features/comments/queries.server.ts';
import { isUuid } from '@/lib/ids.ts';
import { privateJson as json } from '@/lib/http/json.ts';

/**
 * What changed in a thread since a moment (the live island catching up after a reconnect): the
 * comments updated since then, as the visitor may see them, and which of the `ids` they had on
 * screen they may no longer see (hidden meanwhile).
 */
export const GET: APIRoute = async ({ url, locals }) => {
  const type = url.searchParams.get('resource_type') ?? '';
  const id = url.searchParams.get('resource_id') ?? '';
  const since = url.searchParams.get('since') ?? '';
  const ids = (url.searchParams.get('ids') ?? '').split(',').filter((x) => isUuid(x)).slice(0, 200);
  if (!/^[a-z][a-z_]{1,39}$/.test(type) || !isUuid(id) || !TIMESTAMP.test(since)) {
    return json({ error: 'bad_request' }, 400);
  }
  const [comments, visible] = await Promise.all([getChangedSince(locals.claims, type, id, since), visibleCommentIds(locals.claims, ids)]);
  return json({ comments, removed: ids.filter((x) => !visible.has(x.toLowerCase())) }, 200);
};
