import type { AuthDeps, AuthRequest, Db, Reply } from '../context.ts';
import { json } from '../context.ts';
import { sendActionEmail, type EmailAction } from '../email-tokens.ts';
import { validationFailed } from '../errors.ts';
import { createFlowState, readPkce, type FlowMethod, type PkceParams } from '../pkce.ts';
import { takeEmailRequest } from '../rate-limit.ts';
import { redirectTarget } from '../redirect.ts';
import { findUserByEmail, isConfirmed, type UserRow } from '../users.ts';
import { normaliseEmail, optString, phoneUnsupported } from '../validate.ts';

/** Sends one email to a known user, opening a PKCE flow first when the client asked for one. */
async function emailUser(
  deps: AuthDeps,
  tx: Db,
  user: UserRow,
  action: EmailAction,
  flow: { pkce: PkceParams | undefined; method: FlowMethod; providerType: string },
  redirectTo: string,
): Promise<void> {
  if (flow.pkce) await createFlowState(tx, user.id, flow.pkce, flow.providerType, flow.method);
  await sendActionEmail(deps, tx, user, action, {
    pkce: flow.pkce !== undefined,
    redirectTo,
    ...(action === 'email_change' && user.email_change ? { newEmail: user.email_change } : {}),
  });
}

/** `POST /recover` (resetPasswordForEmail): always `{}`, known address or not, so nothing can be enumerated. */
export async function recover(req: AuthRequest, deps: AuthDeps): Promise<Reply> {
  takeEmailRequest(deps.limits, req.client.ip);
  const body = await req.body();
  const email = normaliseEmail(optString(body, 'email', 1024));
  const pkce = readPkce(body);
  const redirectTo = redirectTarget(req, deps.config);
  await deps.sql.begin(async (tx) => {
    const user = await findUserByEmail(tx, email, { lock: true });
    if (user) await emailUser(deps, tx, user, 'recovery', { pkce, method: 'recovery', providerType: 'recovery' }, redirectTo);
  });
  return json({});
}

/** `POST /resend`: the signup confirmation or the email-change confirmation again, throttled like the first. */
export async function resend(req: AuthRequest, deps: AuthDeps): Promise<Reply> {
  takeEmailRequest(deps.limits, req.client.ip);
  const body = await req.body();
  const type = optString(body, 'type', 64) ?? '';
  if (!['signup', 'email_change', 'sms', 'phone_change'].includes(type)) {
    throw validationFailed('Missing one of these types: signup, email_change, sms, phone_change');
  }
  if (type === 'sms' || type === 'phone_change') throw phoneUnsupported();
  const email = normaliseEmail(optString(body, 'email', 1024));
  const pkce = readPkce(body);
  const redirectTo = redirectTarget(req, deps.config);
  await deps.sql.begin(async (tx) => {
    if (type === 'signup') {
      const user = await findUserByEmail(tx, email, { lock: true });
      if (user && !isConfirmed(user)) {
        await emailUser(deps, tx, user, 'signup', { pkce, method: 'email/signup', providerType: 'email' }, redirectTo);
      }
    } else {
      // The address may be the current one or the pending new one.
      const [user] = await tx<UserRow[]>`
        select * from auth.users where (lower(email) = ${email} or lower(email_change) = ${email}) and coalesce(email_change, '') <> ''
        order by created_at limit 1 for update`;
      if (user) await emailUser(deps, tx, user, 'email_change', { pkce, method: 'email_change', providerType: 'email_change' }, redirectTo);
    }
  });
  return json({});
}
