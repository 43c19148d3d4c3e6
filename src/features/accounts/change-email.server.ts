import { failure, notOk, ok, type Result } from '../../lib/forms/index.ts';
import { accountAuthFailure } from './auth-failure.server.ts';
import { callbackUrl, sameEmail, type AccountContext, type ChangeEmailInput } from './accounts.ts';

/**
 * Asks the Auth server to change the address: it emails a confirmation link to the new address
 * (PKCE: back to this browser's /auth/callback) and keeps the change pending (`new_email`) until
 * the link is followed.
 */
export async function changeEmail(ctx: AccountContext, input: ChangeEmailInput): Promise<Result<{ email: string }>> {
  if (!ctx.user) return notOk(failure(401, 'error.unauthorized'));
  if (sameEmail(ctx.user.email, input.email)) return notOk(failure(422, 'accounts.validation.same_email', { field: 'email' }));
  const { error } = await ctx.supabase.auth.updateUser(
    { email: input.email },
    { emailRedirectTo: callbackUrl(ctx.siteUrl, ctx.locale, `/${ctx.locale}/account?status=email-confirmed`) },
  );
  if (error) {
    return notOk(
      accountAuthFailure(ctx.supabase, error, { email_exists: 'email', user_already_exists: 'email', email_address_invalid: 'email', validation_failed: 'email' }),
    );
  }
  return ok({ email: input.email });
}
