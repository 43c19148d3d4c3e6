import { createHmac, timingSafeEqual } from 'node:crypto';
import { getConfig } from '../../lib/config.ts';

/*
 * Names in a debate's presence. Realtime presence carries whatever a client tracks, so a name
 * typed into a presence meta proves nothing: anybody could show up as somebody else. Instead the
 * site signs a ticket for a signed-in person who lets their name show, bound to the debate, to
 * the presence key their page joined with, and to a short lifetime; pages put it in their meta,
 * and readers ask the site which tickets are good (only for the people writing, a handful). A
 * ticket copied from the channel is good only under its own key (where it names the person who
 * is there anyway), and only until it expires; anonymous people track no ticket at all.
 */

const TTL_S = 10 * 60;

function key(): Buffer {
  // A key of its own, derived from the project's secret: a ticket is never a JWT.
  return createHmac('sha256', getConfig().jwtSecret).update('decidons:debates:presence-ticket').digest();
}

function sign(payload: string): string {
  return createHmac('sha256', key()).update(payload).digest('base64url');
}

/** A ticket naming `name` on `debateId` under `presenceKey`, valid TTL_S seconds. */
export function signPresenceTicket(debateId: string, presenceKey: string, name: string, now = Date.now()): { ticket: string; expiresAt: number } {
  const exp = Math.floor(now / 1000) + TTL_S;
  const payload = Buffer.from(JSON.stringify({ d: debateId, k: presenceKey, n: name, e: exp })).toString('base64url');
  return { ticket: `${payload}.${sign(payload)}`, expiresAt: exp };
}

/** The name a ticket carries, when it is this site's, for this debate and key, and not expired. */
export function verifyPresenceTicket(ticket: string, debateId: string, presenceKey: string, now = Date.now()): string | null {
  if (typeof ticket !== 'string' || ticket.length > 1000) return null;
  const [payload, sig] = ticket.split('.');
  if (!payload || !sig) return null;
  const expected = Buffer.from(sign(payload));
  const given = Buffer.from(sig);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  try {
    const v = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { d?: unknown; k?: unknown; n?: unknown; e?: unknown };
    if (v.d !== debateId || v.k !== presenceKey || typeof v.n !== 'string' || typeof v.e !== 'number') return null;
    return v.e * 1000 > now ? v.n : null;
  } catch {
    return null;
  }
}
