import { asUser, type Claims } from '../../lib/db/index.ts';
import type { Locale } from '../../lib/i18n/locales.ts';
import type { Digest } from './accounts.ts';

export interface Profile {
  id: string;
  nickname: string;
  name: string;
  locale: Locale;
  avatarUrl: string | null;
  bio: string;
}

export interface Preferences {
  emailOnNotification: boolean;
  emailOnMention: boolean;
  notificationsDigest: Digest;
  newsletterOptInAt: Date | null;
}

/** A profile by id (the signed-in person's by default), read as the visitor: profiles are public. */
export async function getProfile(claims: Claims | null, id: string | undefined = claims?.sub): Promise<Profile | null> {
  if (!id) return null;
  const rows = await asUser(
    claims,
    (tx) => tx<{ id: string; nickname: string; name: string; locale: Locale; avatar_url: string | null; bio: string }[]>`
      select id, nickname, name, locale, avatar_url, bio from public.profiles where id = ${id}`,
  );
  const r = rows[0];
  return r ? { id: r.id, nickname: r.nickname, name: r.name, locale: r.locale, avatarUrl: r.avatar_url, bio: r.bio } : null;
}

/** The signed-in person's notification preferences (RLS: only their own row is visible). */
export async function getMyPreferences(claims: Claims | null): Promise<Preferences | null> {
  const sub = claims?.sub;
  if (!sub) return null;
  const rows = await asUser(
    claims,
    (tx) => tx<{ email_on_notification: boolean; email_on_mention: boolean; notifications_digest: Digest; newsletter_opt_in_at: Date | null }[]>`
      select email_on_notification, email_on_mention, notifications_digest, newsletter_opt_in_at
      from public.profile_preferences where id = ${sub}`,
  );
  const r = rows[0];
  return r
    ? {
        emailOnNotification: r.email_on_notification,
        emailOnMention: r.email_on_mention,
        notificationsDigest: r.notifications_digest,
        newsletterOptInAt: r.newsletter_opt_in_at,
      }
    : null;
}

// The page and the site frame both need the signed-in person's profile: one read per request.
const perRequest = new WeakMap<App.Locals, Promise<Profile | null>>();

/**
 * The signed-in person's profile for this request (read once, then shared by the page and its
 * layout). Actions run before the page renders, so the first read already sees what they saved.
 */
export function requestProfile(locals: App.Locals): Promise<Profile | null> {
  let profile = perRequest.get(locals);
  if (!profile) {
    profile = getProfile(locals.claims);
    perRequest.set(locals, profile);
  }
  return profile;
}
