import { notOk, ok, type Result } from '../../lib/forms/index.ts';
import { safeNextPath } from '../../lib/http/safe-redirect.ts';
import { authErrorCode } from '../../lib/supabase/auth-errors.ts';
import type { AccountContext } from './accounts.ts';
import { accountAuthFailure } from './auth-failure.server.ts';

export type CallbackOutcome = { kind: 'signed-in'; redirectTo: string } | { kind: 'confirmed-elsewhere' };

/** The verifier is not in this browser: the link was opened elsewhere than where it was asked for. */
const VERIFIER_MISSING = new Set(['pkce_code_verifier_not_found', 'bad_code_verifier']);

/**
 * The end of an emailed link made with the Auth server's default templates (`/auth/v1/verify`,
 * then here with a one-time code): the code, with the PKCE verifier cookie this browser got when
 * the flow started, becomes a session. Then on to `next` (same site only).
 *
 * A sign-up confirmation (`type=signup`) opened in another browser cannot sign that browser in,
 * but the Auth server confirmed the address before sending it here: that is what the page says,
 * with the way to sign in, instead of an error.
 */
export async function exchangeAuthCode(
  ctx: AccountContext,
  code: string,
  next: unknown,
  type: string | null = null,
): Promise<Result<CallbackOutcome>> {
  const { error } = await ctx.supabase.auth.exchangeCodeForSession(code);
  if (error) {
    if (type === 'signup' && VERIFIER_MISSING.has(authErrorCode(error) ?? '')) return ok({ kind: 'confirmed-elsewhere' });
    return notOk(accountAuthFailure(ctx.supabase, error));
  }
  return ok({ kind: 'signed-in', redirectTo: safeNextPath(next, `/${ctx.locale}/account`) });
}
