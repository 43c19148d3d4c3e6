import { failure, notOk, ok, type Result } from '../../lib/forms/index.ts';
import { accountAuthFailure } from './auth-failure.server.ts';
import { callbackUrl, type AccountContext, type SignUpInput } from './accounts.ts';

export type SignUpOutcome = { kind: 'check-inbox'; email: string } | { kind: 'signed-in'; redirectTo: string };

/**
 * Creates the account through the Auth server; the profile row comes from the database trigger
 * with the name, nickname and locale given here. The confirmation email's link opens
 * /[locale]/auth/confirm in any browser (its code works on /[locale]/auth/code); with the Auth
 * server's default templates it comes back to /[locale]/auth/callback (PKCE: the verifier
 * cookie is set on this response).
 *
 * An address that already has a confirmed account gets the same "check your inbox" answer as a
 * new one (GoTrue answers with a user without identities), so the form does not reveal who is
 * registered.
 */
export async function signUp(ctx: AccountContext, input: SignUpInput): Promise<Result<SignUpOutcome>> {
  if (ctx.user) return ok({ kind: 'signed-in', redirectTo: `/${ctx.locale}/account` });
  const { data, error } = await ctx.supabase.auth.signUp({
    email: input.email,
    password: input.password,
    options: {
      emailRedirectTo: callbackUrl(ctx.siteUrl, ctx.locale, `/${ctx.locale}/account?status=email-confirmed`, 'signup'),
      // `newsletter`: the answer to the newsletter question (core consents record it with the profile).
      data: { name: input.name, ...(input.nickname ? { nickname: input.nickname } : {}), locale: ctx.locale, newsletter: input.newsletter },
    },
  });
  if (error) {
    return notOk(
      accountAuthFailure(ctx.supabase, error, {
        weak_password: 'password',
        user_already_exists: 'email',
        email_exists: 'email',
        email_address_invalid: 'email',
        email_address_not_authorized: 'email',
      }),
    );
  }
  // Mail confirmation turned off (AUTH_MAILER_AUTOCONFIRM): the session is already in the cookies.
  if (data.session) return ok({ kind: 'signed-in', redirectTo: `/${ctx.locale}/account` });
  if (!data.user) return notOk(failure(503, 'error.unavailable'));
  return ok({ kind: 'check-inbox', email: input.email });
}
