import { randomBytes } from 'node:crypto';
import type { AuthDeps, AuthRequest, Reply } from '../context.ts';
import { json } from '../context.ts';
import { sendActionEmail } from '../email-tokens.ts';
import { unprocessable, validationFailed } from '../errors.ts';
import { createFlowState, readPkce } from '../pkce.ts';
import { takeEmailRequest, takeSignInAttempt } from '../rate-limit.ts';
import { redirectTarget } from '../redirect.ts';
import { findUserByEmail, isConfirmed } from '../users.ts';
import { normaliseEmail, optBool, optMetadata, optString, phoneUnsupported } from '../validate.ts';
import { registerWithEmail } from './signup.ts';

/**
 * `POST /otp` (signInWithOtp): one email carrying both a magic link and a 6-digit code. A new or
 * unconfirmed address goes through sign-up, so it receives the confirmation email; a confirmed
 * one receives a magic link (reference §A.3).
 */
export async function otp(req: AuthRequest, deps: AuthDeps): Promise<Reply> {
  takeSignInAttempt(deps.limits, req.client.ip);
  takeEmailRequest(deps.limits, req.client.ip);
  const { config } = deps;
  const body = await req.body();
  const rawEmail = optString(body, 'email', 1024) ?? '';
  const phone = optString(body, 'phone', 64) ?? '';
  const data = optMetadata(body, 'data') ?? {};
  const createUser = optBool(body, 'create_user') ?? true;
  const pkce = readPkce(body);
  if (rawEmail && phone) throw validationFailed('Only an email address or phone number should be provided');
  if (phone) throw phoneUnsupported();
  if (!rawEmail) throw validationFailed('One of email or phone must be set');
  const email = normaliseEmail(rawEmail);
  const redirectTo = redirectTarget(req, config);

  const existing = await findUserByEmail(deps.sql, email);
  if (!existing && !createUser) throw unprocessable('otp_disabled', 'Signups not allowed for otp');
  if (!existing || !isConfirmed(existing)) {
    if (!existing && config.auth.disableSignup) throw unprocessable('signup_disabled', 'Signups not allowed for this instance');
    // A password nobody knows: the account is reached through emailed links and codes only.
    const outcome = await registerWithEmail(deps, req.client, {
      email,
      password: randomBytes(32).toString('base64url'),
      data,
      pkce,
      redirectTo,
      withSession: false,
    });
    // With autoconfirm there is no confirmation email, so the magic link follows as for anyone.
    if (outcome.kind !== 'confirmed') return json({});
  }

  await deps.sql.begin(async (tx) => {
    const user = await findUserByEmail(tx, email, { lock: true });
    if (!user) return;
    if (pkce) await createFlowState(tx, user.id, pkce, 'email', 'magiclink');
    await sendActionEmail(deps, tx, user, 'magiclink', { pkce: pkce !== undefined, redirectTo });
  });
  return json({});
}
