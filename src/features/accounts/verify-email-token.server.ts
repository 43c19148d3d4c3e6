import { notOk, ok, type Result } from '../../lib/forms/index.ts';
import { safeNextPath } from '../../lib/http/safe-redirect.ts';
import { authFailure } from '../../lib/supabase/auth-errors.ts';
import type { AccountContext, EmailTokenInput } from './accounts.ts';

/**
 * The cross-browser variant of an emailed link (`/[locale]/auth/confirm?token_hash=…&type=…`, the
 * Supabase "SSR email template"): the token itself proves the address, no PKCE verifier needed.
 */
export async function verifyEmailToken(ctx: AccountContext, input: EmailTokenInput): Promise<Result<{ redirectTo: string }>> {
  const { error } = await ctx.supabase.auth.verifyOtp({ token_hash: input.token_hash, type: input.type });
  if (error) return notOk(authFailure(error));
  if (input.type === 'recovery') return ok({ redirectTo: `/${ctx.locale}/reset-password` });
  return ok({ redirectTo: safeNextPath(input.next, `/${ctx.locale}/account?status=email-confirmed`) });
}
