import type { APIRoute } from 'astro';
import { privateJson } from '@/lib/http/json.ts';

/**
 * The access token the live islands join Realtime channels with (src/lib/supabase/live-channel.ts):
 * the signed-in visitor's, as the middleware has just verified (and refreshed, from the session
 * cookies) it, or null for a visitor without a session, who joins with the anon key. The token is
 * the one the session cookies already hold; the refresh token never leaves them.
 */
export const GET: APIRoute = async ({ locals }) => {
  if (!locals.user || !locals.claims) return privateJson({ token: null });
  const { data } = await locals.supabase.auth.getSession();
  const session = data.session;
  if (!session) return privateJson({ token: null });
  return privateJson({ token: session.access_token, expiresAt: session.expires_at ?? (typeof locals.claims['exp'] === 'number' ? locals.claims['exp'] : null) });
};
