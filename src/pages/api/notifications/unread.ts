import type { APIRoute } from 'astro';
import { unreadCount } from '@/features/notifications/queries.server.ts';
import { privateJson } from '@/lib/http/json.ts';

/** The signed-in visitor's unread count (the bell catches up with it after a reconnection). */
export const GET: APIRoute = async ({ locals }) => {
  if (!locals.user || !locals.claims) return privateJson({ unread: 0 }, 401);
  return privateJson({ unread: await unreadCount(locals.claims) });
};
