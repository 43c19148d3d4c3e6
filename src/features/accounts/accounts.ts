import type { SupabaseClient, User } from '@supabase/supabase-js';
import { z } from 'zod';
import type { Claims } from '../../lib/db/index.ts';
import { LOCALES, type Locale } from '../../lib/i18n/locales.ts';
import { authMethods } from '../../lib/supabase/jwt.ts';

/*
 * Accounts: sign-up, sign-in (password or emailed link), password reset, profile, email and
 * password changes, notification preferences, account deletion. Limits mirror the checks in
 * supabase/migrations/20261126000100_profiles.sql so the form says no before the database does.
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

/** What every use case gets from the request: the visitor's Supabase client and identity. */
export interface AccountContext {
  supabase: SupabaseClient;
  user: User | null;
  claims: Claims | null;
  locale: Locale;
  siteUrl: string;
}

export function accountContext(locals: App.Locals, siteUrl: string): AccountContext {
  return { supabase: locals.supabase, user: locals.user, claims: locals.claims, locale: locals.locale, siteUrl };
}

/** The page an emailed link lands on (`/[locale]/auth/callback`), which then goes to `next`. */
export function callbackUrl(siteUrl: string, locale: Locale, nextPath: string): string {
  return `${siteUrl}/${locale}/auth/callback?next=${encodeURIComponent(nextPath)}`;
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
