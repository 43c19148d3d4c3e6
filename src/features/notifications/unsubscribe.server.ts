import { asServiceRole } from '../../lib/db/index.ts';
import { verifyUnsubscribe, type UnsubscribeClaim } from '../../lib/mail/unsubscribe.ts';

/*
 * Unsubscribing from an email's link, without signing in: the signed token is the proof (it names
 * the person and what they leave), so the change is made as the service role, and only that
 * change. Scopes: `kind:<kind>` (one kind of notification email), `notifications` (all of them);
 * other features bring theirs (`newsletter:<id>`): the pages that apply tokens pass every handler.
 */

export interface UnsubscribeScope {
  /** Does this handler own the scope? */
  matches: (scope: string) => boolean;
  apply: (claim: UnsubscribeClaim) => Promise<void>;
}

export const notificationUnsubscribeScope: UnsubscribeScope = {
  matches: (scope) => scope === 'notifications' || /^kind:[a-z][a-z_]{1,39}\.[a-z][a-z_]{1,39}$/.test(scope),
  apply: async ({ person, scope }) => {
    const kind = scope === 'notifications' ? null : scope.slice('kind:'.length);
    await asServiceRole('unsubscribe from notification emails', (tx) => tx`select private.unsubscribe_notification_emails(${person}, ${kind})`);
  },
};

/** The token's claim, if it is valid and one of `scopes` owns it. */
export function readUnsubscribeToken(secret: string, token: string | null | undefined, scopes: readonly UnsubscribeScope[]): UnsubscribeClaim | null {
  const claim = verifyUnsubscribe(secret, token);
  return claim && scopes.some((s) => s.matches(claim.scope)) ? claim : null;
}

/** Applies a valid token (idempotent: a second click changes nothing more). */
export async function unsubscribe(secret: string, token: string | null | undefined, scopes: readonly UnsubscribeScope[]): Promise<UnsubscribeClaim | null> {
  const claim = readUnsubscribeToken(secret, token, scopes);
  if (!claim) return null;
  await scopes.find((s) => s.matches(claim.scope))!.apply(claim);
  return claim;
}
