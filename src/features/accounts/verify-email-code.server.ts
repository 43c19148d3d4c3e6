import { failure, notOk, ok, type Result } from '../../lib/forms/index.ts';
import { authErrorCode } from '../../lib/supabase/auth-errors.ts';
import { defaultDestination, emailLinkDestination, type AccountContext, type EmailCodeInput } from './accounts.ts';
import { accountAuthFailure } from './auth-failure.server.ts';

/**
 * The 6-digit code of an email, typed on /[locale]/auth/code (on any device): with the address it
 * was sent to, it opens a session as the link would. A wrong or expired code is an error on the
 * code field; the Auth server counts wrong codes per account (rate limit).
 */
export async function verifyEmailCode(ctx: AccountContext, input: EmailCodeInput): Promise<Result<{ redirectTo: string }>> {
  const { error } = await ctx.supabase.auth.verifyOtp({ email: input.email, token: input.token, type: input.type });
  if (error) {
    const code = authErrorCode(error);
    if (code === 'otp_expired') return notOk(failure(400, 'accounts.validation.code_wrong', { field: 'token' }));
    return notOk(accountAuthFailure(ctx.supabase, error, { validation_failed: 'email', email_address_invalid: 'email' }));
  }
  const fallback = defaultDestination(ctx.locale, input.type);
  if (input.type === 'recovery') return ok({ redirectTo: fallback });
  return ok({ redirectTo: emailLinkDestination(input.next, ctx.siteUrl, fallback) });
}
