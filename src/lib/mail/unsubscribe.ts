import { createHmac, timingSafeEqual } from 'node:crypto';

/*
 * Unsubscribe links that work without signing in: the token names the person and what they
 * leave (`scope`, e.g. one kind of email or a mailing list), signed with the project's
 * secret (HMAC-SHA256 under a key of its own, derived from it). No expiry: an old email's link
 * must still work (RFC 8058 one-click), and it can only ever take someone off a list.
 */

const KEY_LABEL = 'decidons unsubscribe v1';

function key(secret: string): Buffer {
  return createHmac('sha256', secret).update(KEY_LABEL).digest();
}

function mac(secret: string, payload: string): string {
  return createHmac('sha256', key(secret)).update(payload).digest('base64url');
}

export interface UnsubscribeClaim {
  person: string;
  scope: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SCOPE = /^[a-z0-9_.:*-]{1,120}$/;

export function signUnsubscribe(secret: string, claim: UnsubscribeClaim): string {
  if (!UUID.test(claim.person) || !SCOPE.test(claim.scope)) throw new RangeError('bad unsubscribe claim');
  const payload = Buffer.from(`${claim.person}|${claim.scope}`).toString('base64url');
  return `${payload}.${mac(secret, payload)}`;
}

/** The claim of a token signed with `secret`, or null for anything else. */
export function verifyUnsubscribe(secret: string, token: string | null | undefined): UnsubscribeClaim | null {
  if (typeof token !== 'string' || token.length > 400) return null;
  const [payload, sig, ...rest] = token.split('.');
  if (!payload || !sig || rest.length > 0) return null;
  const expected = Buffer.from(mac(secret, payload));
  const given = Buffer.from(sig);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  const [person, scope, ...more] = Buffer.from(payload, 'base64url').toString('utf8').split('|');
  if (!person || !scope || more.length > 0 || !UUID.test(person) || !SCOPE.test(scope)) return null;
  return { person, scope };
}
