import type { AuthDeps, AuthRequest, Reply } from '../context.ts';
import { json } from '../context.ts';
import { badRequest, oauthError, validationFailed } from '../errors.ts';
import { consumeAuthCode } from '../pkce.ts';
import { checkAccountFailures, clearAccountFailures, recordAccountFailure, takeSignInAttempt } from '../rate-limit.ts';
import { refreshSession, startSession } from '../sessions.ts';
import { findUserByEmail, findUserById, isBanned, isConfirmed, passwordMatches } from '../users.ts';
import { MAX_PASSWORD_BYTES, optString, phoneUnsupported, weakPasswordMessage, weakPasswordReasons } from '../validate.ts';

const invalidCredentials = () => badRequest('invalid_credentials', 'Invalid login credentials');

async function passwordGrant(req: AuthRequest, deps: AuthDeps): Promise<Reply> {
  takeSignInAttempt(deps.limits, req.client.ip);
  const body = await req.body();
  const email = optString(body, 'email', 1024) ?? '';
  const phone = optString(body, 'phone', 64) ?? '';
  const password = optString(body, 'password', 1024) ?? '';
  if (email && phone) throw validationFailed('Only an email address or phone number should be provided on login.');
  if (phone) throw phoneUnsupported();
  if (!email) throw validationFailed('missing email or phone');

  // Failures are counted per address too, known or not (the limit must not reveal who has an
  // account): guessing one person's password from many addresses stops there.
  checkAccountFailures(deps.limits, email);
  const fail = () => {
    recordAccountFailure(deps.limits, email);
    return invalidCredentials();
  };
  const user = await findUserByEmail(deps.sql, email);
  // Same answer for an unknown address, a wrong password and a banned account: nothing to enumerate.
  if (!user || isBanned(user) || user.deleted_at) throw fail();
  if (!password || Buffer.byteLength(password) > MAX_PASSWORD_BYTES) throw fail();
  if (!(await passwordMatches(deps.sql, user.id, password))) throw fail();
  clearAccountFailures(deps.limits, email);
  if (!isConfirmed(user)) throw badRequest('email_not_confirmed', 'Email not confirmed');

  const session = await deps.sql.begin((tx) => startSession(tx, deps, user.id, 'password', req.client));
  // A password that no longer meets the policy still signs in, with a warning the app can act on.
  const reasons = weakPasswordReasons(password, deps.config.auth.passwordMinLength);
  return json(reasons.length ? { ...session, weak_password: { message: weakPasswordMessage(deps.config.auth.passwordMinLength), reasons } } : session);
}

async function refreshGrant(req: AuthRequest, deps: AuthDeps): Promise<Reply> {
  const body = await req.body();
  const token = optString(body, 'refresh_token', 1024) ?? '';
  if (!token) throw oauthError('invalid_request', 'refresh_token required');
  return json(await refreshSession(deps, token, req.client));
}

async function pkceGrant(req: AuthRequest, deps: AuthDeps): Promise<Reply> {
  const body = await req.body();
  const authCode = optString(body, 'auth_code', 1024) ?? '';
  const verifier = optString(body, 'code_verifier', 1024) ?? '';
  if (!authCode || !verifier) throw validationFailed('invalid request: both auth code and code verifier should be non-empty');
  const session = await deps.sql.begin(async (tx) => {
    const flow = await consumeAuthCode(tx, authCode, verifier);
    const user = await findUserById(tx, flow.userId);
    if (!user) throw badRequest('user_not_found', 'User not found');
    return startSession(tx, deps, user.id, flow.method, req.client);
  });
  return json(session);
}

/** `POST /token?grant_type=…`: the OAuth2 token endpoint auth-js uses for sign-in, refresh and PKCE. */
export async function token(req: AuthRequest, deps: AuthDeps): Promise<Reply> {
  switch (req.query.get('grant_type')) {
    case 'password':
      return passwordGrant(req, deps);
    case 'refresh_token':
      return refreshGrant(req, deps);
    case 'pkce':
      return pkceGrant(req, deps);
    default:
      throw oauthError('unsupported_grant_type', '');
  }
}
