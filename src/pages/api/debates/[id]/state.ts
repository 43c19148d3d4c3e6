import type { APIRoute } from 'astro';
import { getDebateState } from '@/features/debates/queries.server.ts';
import { privateJson as json } from '@/lib/http/json.ts';

/** A debate's counts and state as the visitor may see them (the live page catching up after a reconnect). */
export const GET: APIRoute = async ({ params, locals }) => {
  const state = await getDebateState(locals.claims, params['id'] ?? '');
  return state ? json(state, 200) : json({ error: 'not_found' }, 404);
};
