import { randomUUID } from 'node:crypto';
import type { AuthDeps, AuthRequest, ClientInfo, Reply } from '../context.ts';
import { json } from '../context.ts';
import { sendActionEmail } from '../email-tokens.ts';
import { ApiError, badRequest, unprocessable, validationFailed } from '../errors.ts';
import { createFlowState, readPkce, type PkceParams } from '../pkce.ts';
import { takeEmailRequest } from '../rate-limit.ts';
import { redirectTarget } from '../redirect.ts';
import { startSession, type TokenResponse } from '../sessions.ts';
import { confirmEmail, findUserByEmail, hashPassword, insertIdentity, insertUser, isConfirmed, userJson } from '../users.ts';
import { checkPasswordStrength, normaliseEmail, optMetadata, optString, type JsonObject } from '../validate.ts';

export interface Registration {
  email: string;
  password: string;
  data: JsonObject;
  pkce: PkceParams | undefined;
  redirectTo: string;
  /** With autoconfirm, whether to sign the new user in (sign-up) or not (OTP, which emails a link next). */
  withSession: boolean;
}

export type RegistrationOutcome =
  | { kind: 'exists' }
  | { kind: 'pending'; userId: string }
  | { kind: 'confirmed'; userId: string; session: TokenResponse | undefined };

/**
 * GoTrue's `Signup` for an email: a confirmed address is never touched (the caller decides between
 * a decoy and 422); an unconfirmed one gets its confirmation email again (throttled); a new one is
 * inserted, with its email identity, and confirmed at once or sent a confirmation email.
 */
export async function registerWithEmail(deps: AuthDeps, client: ClientInfo, r: Registration): Promise<RegistrationOutcome> {
  try {
    return await deps.sql.begin(async (tx): Promise<RegistrationOutcome> => {
      let user = await findUserByEmail(tx, r.email, { lock: true });
      if (user && isConfirmed(user)) return { kind: 'exists' };
      if (!user) {
        const encryptedPassword = await hashPassword(tx, r.password);
        const appMetadata = { provider: 'email', providers: ['email'] };
        user = await insertUser(tx, { email: r.email, encryptedPassword, userMetadata: r.data, appMetadata }, deps.log);
        await insertIdentity(tx, user, 'email', false);
      }
      if (deps.config.auth.mailerAutoconfirm) {
        await confirmEmail(tx, user.id);
        const session = r.withSession ? await startSession(tx, deps, user.id, 'password', client) : undefined;
        return { kind: 'confirmed', userId: user.id, session };
      }
      if (r.pkce) await createFlowState(tx, user.id, r.pkce, 'email', 'email/signup');
      await sendActionEmail(deps, tx, user, 'signup', { pkce: r.pkce !== undefined, redirectTo: r.redirectTo });
      return { kind: 'pending', userId: user.id };
    });
  } catch (err) {
    // A concurrent sign-up took the address between our lookup and our insert.
    if (err instanceof ApiError && err.code === 'email_exists') return { kind: 'exists' };
    throw err;
  }
}

/**
 * What GoTrue answers for an address that is already confirmed, when confirmation is on: a
 * plausible user with a random id and no identities, so sign-up does not reveal who has an
 * account (apps detect it with `identities.length === 0`).
 */
function decoyUser(email: string, data: JsonObject): JsonObject {
  const now = new Date();
  return {
    id: randomUUID(),
    aud: 'authenticated',
    role: '',
    email,
    phone: '',
    confirmation_sent_at: now,
    app_metadata: { provider: 'email', providers: ['email'] },
    user_metadata: data,
    identities: [],
    created_at: now,
    updated_at: now,
    is_anonymous: false,
  };
}

export async function signup(req: AuthRequest, deps: AuthDeps): Promise<Reply> {
  const { config } = deps;
  if (config.auth.disableSignup) throw unprocessable('signup_disabled', 'Signups not allowed for this instance');
  takeEmailRequest(deps.limits, req.client.ip);
  const body = await req.body();
  const rawEmail = optString(body, 'email', 1024) ?? '';
  const phone = optString(body, 'phone', 64) ?? '';
  const password = optString(body, 'password', 1024) ?? '';
  const data = optMetadata(body, 'data') ?? {};
  if (password === '') throw validationFailed('Signup requires a valid password');
  checkPasswordStrength(password, config.auth.passwordMinLength);
  if (rawEmail && phone) throw validationFailed('Only an email address or phone number should be provided on signup.');
  const pkce = readPkce(body);
  if (!rawEmail) {
    throw phone ? badRequest('phone_provider_disabled', 'Phone signups are disabled') : validationFailed('Sign up only available with email provider');
  }
  const email = normaliseEmail(rawEmail);

  const outcome = await registerWithEmail(deps, req.client, {
    email,
    password,
    data,
    pkce,
    redirectTo: redirectTarget(req, config),
    withSession: true,
  });
  switch (outcome.kind) {
    case 'exists':
      if (config.auth.mailerAutoconfirm) throw unprocessable('user_already_exists', 'User already registered');
      return json(decoyUser(email, data));
    case 'confirmed':
      return json(outcome.session);
    case 'pending':
      return json(await userJson(deps.sql, outcome.userId));
  }
}
