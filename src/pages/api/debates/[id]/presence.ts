import type { APIRoute } from 'astro';
import { requestProfile } from '@/features/accounts/queries.server.ts';
import { presenceShowsName } from '@/features/debates/account-section.server.ts';
import { signPresenceTicket, verifyPresenceTicket } from '@/features/debates/presence.server.ts';
import { getDebateState } from '@/features/debates/queries.server.ts';
import { isUuid } from '@/lib/ids.ts';
import { privateJson as json } from '@/lib/http/json.ts';

/**
 * Names in a debate's presence (see presence.server.ts).
 * GET `?key=<presence key>`: a ticket naming the signed-in visitor on this debate under that key,
 * unless they chose to stay anonymous (then `ticket: null`), for a debate they may see.
 * POST `{ entries: [{ key, ticket }] }`: the names of the good tickets, by key (at most 50).
 */
export const GET: APIRoute = async ({ params, url, locals }) => {
  const id = params['id'] ?? '';
  const key = url.searchParams.get('key') ?? '';
  if (!isUuid(id) || !isUuid(key)) return json({ error: 'bad_request' }, 400);
  if (!(await getDebateState(locals.claims, id))) return json({ error: 'not_found' }, 404);
  const { claims, user } = locals;
  if (!claims || !user || !(await presenceShowsName(claims))) return json({ ticket: null }, 200);
  const name = (await requestProfile(locals))?.name ?? null;
  return json(name ? signPresenceTicket(id, key, name) : { ticket: null }, 200);
};

export const POST: APIRoute = async ({ params, request, locals }) => {
  const id = params['id'] ?? '';
  if (!isUuid(id)) return json({ error: 'bad_request' }, 400);
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return json({ error: 'bad_request' }, 400);
  }
  const entries = (body as { entries?: unknown } | null)?.entries;
  if (!Array.isArray(entries) || entries.length > 50) return json({ error: 'bad_request' }, 400);
  if (!(await getDebateState(locals.claims, id))) return json({ error: 'not_found' }, 404);
  const names: Record<string, string> = {};
  for (const e of entries) {
    const { key, ticket } = (e ?? {}) as { key?: unknown; ticket?: unknown };
    if (typeof key !== 'string' || typeof ticket !== 'string') continue;
    const name = verifyPresenceTicket(ticket, id, key);
    if (name) names[key] = name;
  }
  return json({ names }, 200);
};

