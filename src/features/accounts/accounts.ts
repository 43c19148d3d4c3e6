import type { SupabaseClient, User } from '@supabase/supabase-js';
import { z } from 'zod';
import type { Claims } from '../../lib/db/index.ts';
import { LOCALES, type Locale } from '../../lib/i18n/locales.ts';
import { safeNextPath } from '../../lib/http/safe-redirect.ts';
import { authMethods } from '../../lib/supabase/jwt.ts';

/*
 * Accounts: sign-up, sign-in (password or emailed link), password reset, profile, email and
 * password changes, notification preferences, account deletion. Limits mirror the checks in
 * supabase/migrations/20261126000100_core_profiles.sql so the form says no before the database does.
 */

export const NAME_MAX = 100;
export const NICKNAME_PATTERN = /^[a-z0-9_-]{2,20}$/;
export const BIO_MAX = 1000;
export const AVATAR_URL_MAX = 2000;
export const EMAIL_MAX = 254;
export const PASSWORD_MIN = 8;
/** bcrypt ignores what comes after 72 bytes; refusing longer passwords avoids a false sense of strength. */
export const PASSWORD_MAX = 72;
export const DIGESTS = ['none', 'daily', 'weekly'] as const;
export type Digest = (typeof DIGESTS)[number];

/** Where `next` may hold a path on this site; checked again by safeNextPath before use. */
const next = z.string().max(2000).optional();

const email = z
  .string()
  .trim()
  .toLowerCase()
  .min(1)
  .max(EMAIL_MAX)
  .pipe(z.email({ message: 'validation.email' }));

const name = z.string().trim().min(1).max(NAME_MAX);

const nickname = z
  .string()
  .trim()
  .toLowerCase()
  .regex(NICKNAME_PATTERN, { message: 'accounts.validation.nickname_format' });

const newPassword = z.string().min(PASSWORD_MIN).max(PASSWORD_MAX);

/** A password being checked, not chosen: any length the Auth server could have stored. */
const existingPassword = z.string().min(1).max(200);

const locale = z.enum(LOCALES, { message: 'validation.invalid_choice' });

export const signUpInput = z.object({
  name,
  nickname: nickname.optional(),
  email,
  password: newPassword,
  accept_terms: z.boolean().refine((v) => v, { message: 'accounts.validation.accept_terms' }),
  // The newsletter, asked apart from the terms (never required): the answer is recorded as given.
  newsletter: z.boolean(),
});
export type SignUpInput = z.infer<typeof signUpInput>;

export const signInInput = z.object({ email, password: existingPassword, next });
export type SignInInput = z.infer<typeof signInInput>;

export const magicLinkInput = z.object({ email, next });
export type MagicLinkInput = z.infer<typeof magicLinkInput>;

export const passwordResetRequestInput = z.object({ email });
export type PasswordResetRequestInput = z.infer<typeof passwordResetRequestInput>;

const passwordPair = z.object({ password: newPassword, password_confirmation: z.string().max(200) });

export const resetPasswordInput = passwordPair.refine((v) => v.password === v.password_confirmation, {
  path: ['password_confirmation'],
  message: 'accounts.validation.password_mismatch',
});
export type ResetPasswordInput = z.infer<typeof resetPasswordInput>;

export const profileInput = z.object({
  name,
  nickname,
  locale,
  bio: z.string().trim().max(BIO_MAX).optional(),
  avatar_url: z
    .string()
    .trim()
    .max(AVATAR_URL_MAX)
    .pipe(z.url({ protocol: /^https?$/, message: 'validation.url' }))
    .optional(),
});
export type ProfileInput = z.infer<typeof profileInput>;

export const preferencesInput = z.object({
  email_on_notification: z.boolean(),
  email_on_mention: z.boolean(),
  notifications_digest: z.enum(DIGESTS, { message: 'validation.invalid_choice' }),
  newsletter: z.boolean(),
  // One `<kind>:<frequency>` per kind of notification (a select each): the email rhythm chosen
  // for that kind, or `default` to follow the general choice.
  email_kinds: z
    .array(z.string().regex(/^[a-z][a-z_]{1,39}\.[a-z][a-z_]{1,39}:(default|immediate|daily|weekly|never)$/, { message: 'validation.invalid_choice' }))
    .max(200)
    .optional(),
});
export type PreferencesInput = z.infer<typeof preferencesInput>;

export const changeEmailInput = z.object({ email });
export type ChangeEmailInput = z.infer<typeof changeEmailInput>;

export const changePasswordInput = z
  .object({ current_password: existingPassword, password: newPassword, password_confirmation: z.string().max(200) })
  .refine((v) => v.password === v.password_confirmation, {
    path: ['password_confirmation'],
    message: 'accounts.validation.password_mismatch',
  });
export type ChangePasswordInput = z.infer<typeof changePasswordInput>;

export const deleteAccountInput = z.object({ confirm_email: z.string().trim().min(1).max(EMAIL_MAX) });
export type DeleteAccountInput = z.infer<typeof deleteAccountInput>;

export const EMAIL_OTP_TYPES = ['signup', 'invite', 'magiclink', 'recovery', 'email_change', 'email'] as const;
export const emailTokenInput = z.object({
  token_hash: z.string().min(1).max(512),
  type: z.enum(EMAIL_OTP_TYPES),
  next,
});
export type EmailTokenInput = z.infer<typeof emailTokenInput>;
export type EmailOtpType = (typeof EMAIL_OTP_TYPES)[number];

/** The 6-digit code of an email, as typed: spaces and dashes between digits are forgiven. */
export const OTP_LENGTH = 6;
export const emailCodeInput = z.object({
  email,
  token: z
    .string()
    .max(32)
    .transform((v) => v.replace(/[\s-]/g, ''))
    .pipe(z.string().regex(/^\d{6}$/, { message: 'accounts.validation.code_format' })),
  type: z.enum(EMAIL_OTP_TYPES, { message: 'validation.invalid_choice' }).default('email'),
  next,
});
export type EmailCodeInput = z.infer<typeof emailCodeInput>;

/** What every use case gets from the request: the visitor's Supabase client and identity. */
export interface AccountContext {
  supabase: SupabaseClient;
  user: User | null;
  claims: Claims | null;
  locale: Locale;
  siteUrl: string;
  /** The browser's address, for the Auth calls made on a client of their own (rate limits). */
  clientAddress?: string | undefined;
}

export function accountContext(locals: App.Locals, siteUrl: string, clientAddress?: string): AccountContext {
  return { supabase: locals.supabase, user: locals.user, claims: locals.claims, locale: locals.locale, siteUrl, clientAddress };
}

/**
 * The `redirect_to` of an emailed link (`/[locale]/auth/callback`, which then goes to `next`).
 * `type=signup` tells the callback that the address is already confirmed when it gets there, so
 * it can say so even in a browser that cannot finish the PKCE exchange.
 */
export function callbackUrl(siteUrl: string, locale: Locale, nextPath: string, type?: 'signup'): string {
  return `${siteUrl}/${locale}/auth/callback?next=${encodeURIComponent(nextPath)}${type ? `&type=${type}` : ''}`;
}

const CALLBACK_PATH = /^\/[a-z]{2}\/auth\/callback\/?$/;

/**
 * Where a confirmed email link goes. `next` is the email template's `{{ .RedirectTo }}`: the full
 * callback URL this site asked for (whose own `next` is the destination), another URL of this
 * site, or a path. Anything off this site, or unsafe, gives `fallback`.
 */
export function emailLinkDestination(next: string | undefined, siteUrl: string, fallback: string): string {
  if (!next) return fallback;
  let candidate = next;
  if (/^[a-z][a-z0-9+.-]*:/i.test(next)) {
    let url: URL;
    let site: URL;
    try {
      url = new URL(next);
      site = new URL(siteUrl);
    } catch {
      return fallback;
    }
    if (url.origin !== site.origin) return fallback;
    candidate = CALLBACK_PATH.test(url.pathname) ? (url.searchParams.get('next') ?? '') : `${url.pathname}${url.search}${url.hash}`;
  }
  const path = safeNextPath(candidate, fallback);
  return path === '/' ? fallback : path;
}

/** The "enter your code" page for an email just sent (its address filled in). */
export function codePage(locale: Locale, type: EmailOtpType, email: string, next?: string): string {
  const q = new URLSearchParams({ type, email });
  if (next) q.set('next', next);
  return `/${locale}/auth/code?${q.toString()}`;
}

/** Where a verified link or code goes when it names no destination, by verification type. */
export function defaultDestination(locale: Locale, type: EmailOtpType): string {
  switch (type) {
    case 'recovery':
      return `/${locale}/reset-password`;
    case 'magiclink':
    case 'email':
      return `/${locale}/account?status=signed-in`;
    default:
      return `/${locale}/account?status=email-confirmed`;
  }
}

/** The database constraint behind a check violation, as the form field it is about. */
export const PROFILE_CONSTRAINT_FIELDS: Readonly<Record<string, { field: string; key: string }>> = {
  profiles_nickname_key: { field: 'nickname', key: 'accounts.validation.nickname_taken' },
  profiles_nickname_format: { field: 'nickname', key: 'accounts.validation.nickname_format' },
  profiles_name_length: { field: 'name', key: 'accounts.validation.name_length' },
  profiles_locale_supported: { field: 'locale', key: 'accounts.validation.locale_supported' },
  profiles_avatar_url_format: { field: 'avatar_url', key: 'accounts.validation.avatar_url_format' },
  profiles_bio_length: { field: 'bio', key: 'accounts.validation.bio_length' },
  profile_preferences_digest: { field: 'notifications_digest', key: 'validation.invalid_choice' },
  notification_settings_kind_fkey: { field: 'email_kinds', key: 'validation.invalid_choice' },
  notification_settings_email: { field: 'email_kinds', key: 'validation.invalid_choice' },
};

/** How long after following a recovery (or one-time) link a new password may be set without the old one. */
export const RECOVERY_WINDOW_SECONDS = 3600;

/**
 * A session opened by a password-recovery link (PKCE exchange: amr `recovery`; token-hash link:
 * amr `otp`), recently enough to choose a new password without typing the old one.
 */
export function isRecoverySession(claims: Claims | null | undefined, nowSeconds: number): boolean {
  return authMethods(claims).some(
    (m) => (m.method === 'recovery' || m.method === 'otp') && nowSeconds - m.timestamp <= RECOVERY_WINDOW_SECONDS,
  );
}

export function sameEmail(a: string | null | undefined, b: string | null | undefined): boolean {
  return !!a && !!b && a.trim().toLowerCase() === b.trim().toLowerCase();
}

/** Statuses the account page can announce after a redirect (`?status=…`); anything else is ignored. */
export const ACCOUNT_STATUSES = [
  'profile-saved',
  'preferences-saved',
  'email-change-sent',
  'password-changed',
  'email-confirmed',
  'signed-in',
] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];
export function isAccountStatus(v: unknown): v is AccountStatus {
  return typeof v === 'string' && (ACCOUNT_STATUSES as readonly string[]).includes(v);
}
