import type { AuthDeps, AuthRequest, Reply } from '../context.ts';
import { json, jsonb, noContent } from '../context.ts';
import { sendActionEmail } from '../email-tokens.ts';
import { emailExists, forbidden, unprocessable, validationFailed } from '../errors.ts';
import { createFlowState, readPkce } from '../pkce.ts';
import { takeEmailRequest } from '../rate-limit.ts';
import { redirectTarget } from '../redirect.ts';
import { authenticate, logout } from '../sessions.ts';
import { clearOneTimeTokens, emailTaken, findUserById, hashPassword, passwordMatches, userJson } from '../users.ts';
import {
  checkMetadataSize,
  checkPasswordStrength,
  mergeMetadata,
  normaliseEmail,
  optMetadata,
  optObject,
  optString,
  phoneUnsupported,
} from '../validate.ts';

export async function getUser(req: AuthRequest, deps: AuthDeps): Promise<Reply> {
  const { user } = await authenticate(deps, req);
  return json(await userJson(deps.sql, user.id));
}

/**
 * `PUT /user` (updateUser): metadata merge, password change (which signs out the user's other
 * sessions, as GoTrue does), and email change confirmed from the new address.
 */
export async function updateUser(req: AuthRequest, deps: AuthDeps): Promise<Reply> {
  const { config } = deps;
  const { user, sessionId } = await authenticate(deps, req);
  const body = await req.body();
  const rawEmail = optString(body, 'email', 1024) ?? '';
  const password = optString(body, 'password', 1024);
  const data = optMetadata(body, 'data');
  const phone = optString(body, 'phone', 64) ?? '';
  optString(body, 'nonce', 1024); // reauthentication is not required for password changes here, as by default in GoTrue

  const email = rawEmail ? normaliseEmail(rawEmail) : '';
  if (password !== undefined) checkPasswordStrength(password, config.auth.passwordMinLength);
  if (optObject(body, 'app_metadata') !== undefined) throw forbidden('not_admin', 'Updating app_metadata requires admin privileges');
  if (phone && phone !== user.phone) throw phoneUnsupported();
  const changesEmail = email !== '' && email !== user.email;
  if (changesEmail) takeEmailRequest(deps.limits, req.client.ip);
  if (changesEmail && (await emailTaken(deps.sql, email, user.id))) throw emailExists();
  if (password && (await passwordMatches(deps.sql, user.id, password))) {
    throw unprocessable('same_password', 'New password should be different from the old password.');
  }
  const pkce = changesEmail ? readPkce(body) : undefined;

  await deps.sql.begin(async (tx) => {
    const current = await findUserById(tx, user.id, { lock: true });
    if (!current) throw forbidden('user_not_found', 'User from sub claim in JWT does not exist');
    if (password !== undefined) {
      const hash = await hashPassword(tx, password);
      // A new password voids every pending emailed token and every other session.
      await tx`
        update auth.users set encrypted_password = ${hash}, confirmation_token = '', confirmation_sent_at = null,
               recovery_token = '', recovery_sent_at = null, email_change_token_new = '', email_change_token_current = '',
               email_change_sent_at = null, reauthentication_token = '', reauthentication_sent_at = null, updated_at = now()
        where id = ${user.id}`;
      await clearOneTimeTokens(tx, user.id);
      await logout(tx, user.id, 'others', sessionId);
    }
    if (data) {
      const merged = checkMetadataSize('data', mergeMetadata(current.raw_user_meta_data, data));
      await tx`update auth.users set raw_user_meta_data = ${jsonb(tx, merged)}, updated_at = now() where id = ${user.id}`;
    }
    if (changesEmail) {
      const fresh = (await findUserById(tx, user.id))!;
      if (pkce) await createFlowState(tx, user.id, pkce, 'email_change', 'email_change');
      await sendActionEmail(deps, tx, fresh, 'email_change', {
        pkce: pkce !== undefined,
        redirectTo: redirectTarget(req, config),
        newEmail: email,
      });
    }
  });
  return json(await userJson(deps.sql, user.id));
}

/** `POST /logout?scope=global|local|others`: 204, as auth-js expects. */
export async function signOut(req: AuthRequest, deps: AuthDeps): Promise<Reply> {
  const { user, sessionId } = await authenticate(deps, req);
  const scope = req.query.get('scope') ?? '';
  if (scope !== '' && scope !== 'global' && scope !== 'local' && scope !== 'others') {
    throw validationFailed(`Unsupported logout scope "${scope}"`);
  }
  await logout(deps.sql, user.id, scope === '' ? 'global' : scope, sessionId);
  return noContent();
}
