import { notOk, ok, type Result } from '../../lib/forms/index.ts';
import { safeNextPath } from '../../lib/http/safe-redirect.ts';
import { authFailure } from '../../lib/supabase/auth-errors.ts';
import type { AccountContext } from './accounts.ts';

/**
 * The end of every emailed link (sign-up confirmation, sign-in link, recovery, email change): the
 * Auth server sent the browser back with a one-time code, which, with the PKCE verifier cookie
 * this browser got when the flow started, becomes a session. Then on to `next` (same site only).
 */
export async function exchangeAuthCode(ctx: AccountContext, code: string, next: unknown): Promise<Result<{ redirectTo: string }>> {
  const { error } = await ctx.supabase.auth.exchangeCodeForSession(code);
  if (error) return notOk(authFailure(error));
  return ok({ redirectTo: safeNextPath(next, `/${ctx.locale}/account`) });
}
