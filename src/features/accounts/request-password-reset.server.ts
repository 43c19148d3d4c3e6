import { notOk, ok, type Result } from '../../lib/forms/index.ts';
import { authErrorCode } from '../../lib/supabase/auth-errors.ts';
import { accountAuthFailure } from './auth-failure.server.ts';
import { callbackUrl, type AccountContext, type PasswordResetRequestInput } from './accounts.ts';

/**
 * Emails a password-recovery link; following it opens a recovery session and lands on
 * /[locale]/reset-password. Same answer whether the address has an account or not.
 */
export async function requestPasswordReset(ctx: AccountContext, input: PasswordResetRequestInput): Promise<Result<{ email: string }>> {
  const { error } = await ctx.supabase.auth.resetPasswordForEmail(input.email, {
    redirectTo: callbackUrl(ctx.siteUrl, ctx.locale, `/${ctx.locale}/reset-password`),
  });
  if (error && authErrorCode(error) !== 'user_not_found') return notOk(accountAuthFailure(ctx.supabase, error));
  return ok({ email: input.email });
}
