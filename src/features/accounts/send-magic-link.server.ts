import { notOk, ok, type Result } from '../../lib/forms/index.ts';
import { safeNextPath } from '../../lib/http/safe-redirect.ts';
import { authErrorCode } from '../../lib/supabase/auth-errors.ts';
import { accountAuthFailure } from './auth-failure.server.ts';
import { callbackUrl, type AccountContext, type MagicLinkInput } from './accounts.ts';

/**
 * Emails a one-time sign-in link (and code). The link opens /[locale]/auth/confirm in any browser;
 * the code can be typed on /[locale]/auth/code.
 * Only existing accounts get one (creating an account needs the sign-up form and its consent),
 * and the answer is the same either way so the form does not reveal who is registered.
 */
export async function sendMagicLink(ctx: AccountContext, input: MagicLinkInput): Promise<Result<{ email: string }>> {
  const next = safeNextPath(input.next, `/${ctx.locale}/`);
  const { error } = await ctx.supabase.auth.signInWithOtp({
    email: input.email,
    options: { shouldCreateUser: false, emailRedirectTo: callbackUrl(ctx.siteUrl, ctx.locale, next) },
  });
  if (error) {
    const code = authErrorCode(error);
    if (code !== 'otp_disabled' && code !== 'user_not_found' && code !== 'signup_disabled') return notOk(accountAuthFailure(ctx.supabase, error));
  }
  return ok({ email: input.email });
}
