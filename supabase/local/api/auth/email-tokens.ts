import { createHash, randomInt, randomUUID } from 'node:crypto';
import type { AuthDeps, Db } from './context.ts';
import { emailFrequencyLimited, serverError } from './errors.ts';
import { PKCE_PREFIX } from './pkce.ts';
import { takeEmailSend } from './rate-limit.ts';
import { localeOf, renderEmail, type EmailAction, type Locale } from './templates.ts';
import type { UserRow } from './users.ts';

/**
 * Email links and codes, as GoTrue makes them (reference §A.3 "Email links and tokens"): a 6-digit
 * OTP, stored as hex(sha224(email + otp)) — with a `pkce_` prefix in PKCE flows — in the user's
 * column for that action and mirrored in `auth.one_time_tokens`.
 */

export type { EmailAction } from './templates.ts';

export const generateOtp = () => randomInt(0, 1_000_000).toString().padStart(6, '0');

export const hashToken = (email: string, otp: string) => createHash('sha224').update(email + otp).digest('hex');

/** Where each action keeps its token (column and `one_time_tokens` type) and which timestamp throttles it. */
export const TOKEN_SLOTS = {
  signup: { token: 'confirmation_token', sentAt: 'confirmation_sent_at', ott: 'confirmation_token' },
  invite: { token: 'confirmation_token', sentAt: 'confirmation_sent_at', ott: 'confirmation_token' },
  magiclink: { token: 'recovery_token', sentAt: 'recovery_sent_at', ott: 'recovery_token' },
  recovery: { token: 'recovery_token', sentAt: 'recovery_sent_at', ott: 'recovery_token' },
  email_change: { token: 'email_change_token_new', sentAt: 'email_change_sent_at', ott: 'email_change_token_new' },
} as const satisfies Record<EmailAction, { token: keyof UserRow; sentAt: keyof UserRow; ott: string }>;

export interface IssuedToken {
  otp: string;
  /** What the link carries and `/verify` matches exactly (`{{ .TokenHash }}`). */
  tokenHash: string;
}

/**
 * Stores a fresh token for `action`. For an email change the token belongs to the new address,
 * which is recorded as `email_change` at the same time.
 */
export async function issueEmailToken(
  db: Db,
  user: UserRow,
  action: EmailAction,
  opts: { pkce: boolean; newEmail?: string },
): Promise<IssuedToken> {
  const otp = generateOtp();
  const address = action === 'email_change' ? (opts.newEmail ?? '') : (user.email ?? '');
  const tokenHash = (opts.pkce ? PKCE_PREFIX : '') + hashToken(address, otp);
  switch (action) {
    case 'signup':
    case 'invite':
      await db`
        update auth.users set confirmation_token = ${tokenHash}, confirmation_sent_at = now(), updated_at = now(),
               invited_at = case when ${action === 'invite'} then now() else invited_at end
        where id = ${user.id}`;
      break;
    case 'magiclink':
    case 'recovery':
      await db`update auth.users set recovery_token = ${tokenHash}, recovery_sent_at = now(), updated_at = now() where id = ${user.id}`;
      break;
    case 'email_change':
      await db`
        update auth.users set email_change = ${address}, email_change_token_new = ${tokenHash}, email_change_token_current = '',
               email_change_sent_at = now(), email_change_confirm_status = 0, updated_at = now()
        where id = ${user.id}`;
      break;
  }
  const slot = TOKEN_SLOTS[action];
  await db`
    insert into auth.one_time_tokens (id, user_id, token_type, token_hash, relates_to, created_at, updated_at)
    values (${randomUUID()}, ${user.id}, ${slot.ott}::auth.one_time_token_type, ${tokenHash}, ${address}, now(), now())
    on conflict (user_id, token_type) do update
      set token_hash = excluded.token_hash, relates_to = excluded.relates_to, updated_at = now()`;
  return { otp, tokenHash };
}

/**
 * The organization's name in `locale` (else its default locale's), read from `public.organization`
 * (one row) on the API's own connection, outside the caller's transaction: a database without the
 * app's tables, or without its row yet, only loses the name.
 */
export async function organizationName(deps: AuthDeps, locale: Locale): Promise<string | null> {
  try {
    const [row] = await deps.sql<{ name: string | null }[]>`
      select coalesce(nullif(trim(name ->> ${locale}), ''), nullif(trim(name ->> default_locale), '')) as name
      from public.organization limit 1`;
    return row?.name ? row.name.slice(0, 200) : null;
  } catch {
    return null;
  }
}

/** `{{ .ConfirmationURL }}`: the verify endpoint of this API, which redirects to `redirectTo`. */
export function actionLink(deps: AuthDeps, tokenHash: string, type: string, redirectTo: string): string {
  const q = new URLSearchParams({ token: tokenHash, type, redirect_to: redirectTo });
  return `${deps.config.supabaseUrl}/auth/v1/verify?${q.toString()}`;
}

const SEND_FAILURE: Record<EmailAction, string> = {
  signup: 'Error sending confirmation email',
  invite: 'Error sending invite email',
  magiclink: 'Error sending magic link email',
  recovery: 'Error sending recovery email',
  email_change: 'Error sending email change email',
};

/**
 * Throttles, issues and sends one email. The per-address throttle reads the action's `*_sent_at`
 * column (GoTrue's `SMTP_MAX_FREQUENCY`); the global hourly budget is counted in memory. Runs in
 * the caller's transaction, so a failed send leaves no unusable token behind.
 */
export async function sendActionEmail(
  deps: AuthDeps,
  db: Db,
  user: UserRow,
  action: EmailAction,
  opts: { pkce: boolean; redirectTo: string; newEmail?: string },
): Promise<void> {
  const lastSent = user[TOKEN_SLOTS[action].sentAt];
  const frequencyMs = deps.config.auth.emailMaxFrequency * 1000;
  if (frequencyMs > 0 && lastSent && lastSent.getTime() + frequencyMs > Date.now()) {
    throw emailFrequencyLimited((lastSent.getTime() + frequencyMs - Date.now()) / 1000);
  }
  takeEmailSend(deps.limits);
  const { otp, tokenHash } = await issueEmailToken(db, user, action, opts);
  const to = action === 'email_change' ? (opts.newEmail ?? '') : (user.email ?? '');
  const locale = localeOf(user.raw_user_meta_data);
  const mail = renderEmail(action, locale, {
    siteUrl: deps.config.siteUrl,
    tokenHash,
    redirectTo: opts.redirectTo,
    token: otp,
    email: user.email ?? '',
    ...(opts.newEmail ? { newEmail: opts.newEmail } : {}),
    expiresIn: deps.config.auth.otpExp,
    organization: await organizationName(deps, locale),
  });
  try {
    await deps.mailer.send({ to, ...mail });
  } catch (err) {
    deps.log(`${SEND_FAILURE[action]} to ${to}: ${err instanceof Error ? err.message : String(err)}`);
    throw serverError(SEND_FAILURE[action]);
  }
}
