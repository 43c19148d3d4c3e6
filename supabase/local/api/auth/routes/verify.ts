import type { AuthDeps, AuthRequest, Db, Reply } from '../context.ts';
import { json, redirect } from '../context.ts';
import { hashToken, TOKEN_SLOTS } from '../email-tokens.ts';
import { ApiError, badRequest, emailExists, forbidden, pgCode, unprocessable, validationFailed } from '../errors.ts';
import { flowMethodFor, issueAuthCode, PKCE_PREFIX } from '../pkce.ts';
import { checkAccountFailures, clearAccountFailures, recordAccountFailure, takeSignInAttempt } from '../rate-limit.ts';
import { redirectTarget } from '../redirect.ts';
import { startSession, type TokenResponse } from '../sessions.ts';
import { clearOneTimeTokens, confirmEmail, findUserByEmail, isBanned, isConfirmed, setIdentityEmail, syncProviders, type UserRow } from '../users.ts';
import { normaliseEmail, optString, phoneUnsupported } from '../validate.ts';

/** `/verify`: the email link (GET, redirects) and the code or token-hash check (POST, JSON). */

const VERIFY_TYPES = ['signup', 'invite', 'magiclink', 'recovery', 'email_change', 'email'] as const;
type VerifyType = (typeof VERIFY_TYPES)[number];
/** `email` is resolved to whichever of signup / magiclink the token was issued for. */
type TokenType = Exclude<VerifyType, 'email'>;

const isVerifyType = (t: string): t is VerifyType => (VERIFY_TYPES as readonly string[]).includes(t);

const linkInvalid = () => forbidden('otp_expired', 'Email link is invalid or has expired');
const codeInvalid = () => forbidden('otp_expired', 'Token has expired or is invalid');

function isExpired(user: UserRow, type: TokenType, otpExp: number): boolean {
  const sentAt = user[TOKEN_SLOTS[type].sentAt];
  return !sentAt || sentAt.getTime() + otpExp * 1000 < Date.now();
}

/** The user a link's token hash belongs to (exact match, `pkce_` prefix included), locked. */
async function userByTokenHash(tx: Db, type: VerifyType, hash: string, otpExp: number): Promise<{ user: UserRow; type: TokenType }> {
  const [user] = await (() => {
    switch (type) {
      case 'email':
        return tx<UserRow[]>`select * from auth.users where confirmation_token = ${hash} or recovery_token = ${hash} limit 1 for update`;
      case 'signup':
      case 'invite':
        return tx<UserRow[]>`select * from auth.users where confirmation_token = ${hash} limit 1 for update`;
      case 'magiclink':
      case 'recovery':
        return tx<UserRow[]>`select * from auth.users where recovery_token = ${hash} limit 1 for update`;
      case 'email_change':
        return tx<UserRow[]>`select * from auth.users where email_change_token_new = ${hash} limit 1 for update`;
    }
  })();
  if (!user) throw linkInvalid();
  if (isBanned(user)) throw forbidden('user_banned', 'User is banned');
  const resolved: TokenType = type === 'email' ? (user.recovery_token === hash ? 'magiclink' : 'signup') : type;
  if (isExpired(user, resolved, otpExp)) throw linkInvalid();
  return { user, type: resolved };
}

/** The user a typed 6-digit code belongs to; a stored `pkce_` token accepts the bare code too. */
async function userByCode(tx: Db, type: VerifyType, email: string, code: string, otpExp: number): Promise<{ user: UserRow; type: TokenType }> {
  const hash = hashToken(email, code);
  const [user] =
    type === 'email_change'
      ? await tx<UserRow[]>`select * from auth.users where lower(email_change) = ${email} and email_change_token_new in (${hash}, ${PKCE_PREFIX + hash}) limit 1 for update`
      : [await findUserByEmail(tx, email, { lock: true })];
  if (!user) throw codeInvalid();
  if (isBanned(user)) throw forbidden('user_banned', 'User is banned');
  const candidates: TokenType[] = type === 'email' ? ['signup', 'magiclink'] : [type];
  const hit = candidates.find((t) => {
    const stored = user[TOKEN_SLOTS[t].token];
    return !!stored && (stored === hash || stored === PKCE_PREFIX + hash) && !isExpired(user, t, otpExp);
  });
  if (!hit) throw codeInvalid();
  return { user, type: hit };
}

/** With secure email change off (the default here), one confirmation from the new address completes it. */
async function confirmEmailChange(tx: Db, user: UserRow): Promise<void> {
  const newEmail = user.email_change;
  if (!newEmail) throw linkInvalid();
  try {
    await tx`
      update auth.users set email = ${newEmail}, email_change = '', email_change_token_new = '', email_change_token_current = '',
             email_change_confirm_status = 0, updated_at = now()
      where id = ${user.id}`;
  } catch (err) {
    if (pgCode(err) === '23505') throw emailExists();
    throw err;
  }
  await setIdentityEmail(tx, user.id, newEmail, true);
  await clearOneTimeTokens(tx, user.id);
  if (!isConfirmed(user)) await confirmEmail(tx, user.id);
}

/** What a verified token does to the account: confirm it, spend a recovery/magic-link token, or switch the address. */
async function applyVerification(tx: Db, user: UserRow, type: TokenType): Promise<void> {
  switch (type) {
    case 'signup':
    case 'invite':
      await confirmEmail(tx, user.id);
      break;
    case 'magiclink':
    case 'recovery':
      await tx`update auth.users set recovery_token = '', updated_at = now() where id = ${user.id}`;
      await clearOneTimeTokens(tx, user.id);
      if (!isConfirmed(user)) await confirmEmail(tx, user.id);
      break;
    case 'email_change':
      await confirmEmailChange(tx, user);
      break;
  }
  await syncProviders(tx, user.id);
}

export async function verifyPost(req: AuthRequest, deps: AuthDeps): Promise<Reply> {
  takeSignInAttempt(deps.limits, req.client.ip);
  const body = await req.body();
  const type = optString(body, 'type', 64) ?? '';
  const token = optString(body, 'token', 1024) ?? '';
  const tokenHash = optString(body, 'token_hash', 1024) ?? '';
  const email = optString(body, 'email', 1024) ?? '';
  const phone = optString(body, 'phone', 64) ?? '';
  const bodyRedirect = optString(body, 'redirect_to', 4096) ?? '';
  if (!type) throw validationFailed('Verify requires a verification type');
  if ((!token && !tokenHash) || (token && tokenHash)) throw validationFailed('Verify requires either a token or a token hash');

  let lookup: (tx: Db) => Promise<{ user: UserRow; type: TokenType }>;
  const otpExp = deps.config.auth.otpExp;
  if (token) {
    if (phone && !email) throw phoneUnsupported();
    if (!email || phone) throw validationFailed('Only an email address or phone number should be provided on verify');
    let address: string;
    try {
      address = normaliseEmail(email);
    } catch {
      throw unprocessable('validation_failed', 'Invalid email format');
    }
    if (!isVerifyType(type)) throw validationFailed('Unsupported verification type');
    // A 6-digit code is guessable: wrong codes count against the account, from any address.
    checkAccountFailures(deps.limits, address);
    lookup = async (tx) => {
      try {
        const found = await userByCode(tx, type, address, token, otpExp);
        clearAccountFailures(deps.limits, address);
        return found;
      } catch (err) {
        if (err instanceof ApiError && err.code === 'otp_expired') recordAccountFailure(deps.limits, address);
        throw err;
      }
    };
  } else {
    if (email || phone || bodyRedirect) throw validationFailed('Only the token_hash and type should be provided');
    if (!isVerifyType(type)) throw validationFailed('Invalid email verification type');
    lookup = (tx) => userByTokenHash(tx, type, tokenHash, otpExp);
  }

  const session = await deps.sql.begin(async (tx) => {
    const found = await lookup(tx);
    await applyVerification(tx, found.user, found.type);
    return startSession(tx, deps, found.user.id, 'otp', req.client);
  });
  return json(session);
}

const OAUTH_ERRORS: Record<number, string> = {
  400: 'invalid_request',
  401: 'unauthorized_client',
  403: 'access_denied',
  500: 'server_error',
  503: 'temporarily_unavailable',
};

/** Errors travel in the fragment (and, for PKCE, in the query the server-side callback can read). */
function errorLocation(target: string, err: ApiError, pkce: boolean): string {
  const url = new URL(target);
  const params = new URLSearchParams();
  const oauth = OAUTH_ERRORS[err.status];
  if (oauth) params.set('error', oauth);
  params.set('error_code', err.code);
  params.set('error_description', err.message);
  if (pkce) for (const [k, v] of params) url.searchParams.set(k, v);
  params.set('sb', '');
  url.hash = params.toString();
  return url.toString();
}

/** Implicit flow: the session rides in the fragment, which never reaches a server (GoTrue's `AsRedirectURL`). */
function sessionLocation(target: string, session: TokenResponse, type: string): string {
  const url = new URL(target);
  url.hash = new URLSearchParams({
    access_token: session.access_token,
    expires_at: String(session.expires_at),
    expires_in: String(session.expires_in),
    refresh_token: session.refresh_token,
    sb: '',
    token_type: session.token_type,
    type,
  }).toString();
  return url.toString();
}

export async function verifyGet(req: AuthRequest, deps: AuthDeps): Promise<Reply> {
  const token = req.query.get('token') ?? '';
  const type = req.query.get('type') ?? '';
  const target = redirectTarget(req, deps.config);
  if (!type) throw validationFailed('Verify requires a verification type');
  if (!token) throw validationFailed('Verify requires a token or a token hash');
  takeSignInAttempt(deps.limits, req.client.ip);
  const pkce = token.startsWith(PKCE_PREFIX);
  try {
    if (!isVerifyType(type)) throw validationFailed('Unsupported verification type');
    const outcome = await deps.sql.begin(async (tx) => {
      const found = await userByTokenHash(tx, type, token, deps.config.auth.otpExp);
      await applyVerification(tx, found.user, found.type);
      if (!pkce) return { session: await startSession(tx, deps, found.user.id, 'otp', req.client), type: found.type };
      const method = flowMethodFor(found.type);
      const code = method && (await issueAuthCode(tx, found.user.id, method));
      if (!code) throw badRequest('flow_state_not_found', 'No associated flow state found.');
      return { code };
    });
    if ('code' in outcome) {
      const url = new URL(target);
      url.searchParams.set('code', outcome.code);
      return redirect(url.toString());
    }
    return redirect(sessionLocation(target, outcome.session, outcome.type));
  } catch (err) {
    if (err instanceof ApiError) return redirect(errorLocation(target, err, pkce));
    throw err;
  }
}
