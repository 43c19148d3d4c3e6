import { notOk, ok, type Result } from '../../lib/forms/index.ts';
import { defaultDestination, emailLinkDestination, type AccountContext, type EmailTokenInput } from './accounts.ts';
import { accountAuthFailure } from './auth-failure.server.ts';

/**
 * An emailed link (`/[locale]/auth/confirm?token_hash=…&type=…&next=…`, Supabase's "SSR email
 * template"), once the person has pressed the page's button (a POST: a plain GET never signs a
 * browser in, so a link planted in a page cannot swap someone's session — login CSRF). The token
 * itself proves the address, no PKCE verifier needed, so it works in any browser. This browser
 * then holds the link's session; the page warned first if it held another one.
 */
export async function verifyEmailToken(ctx: AccountContext, input: EmailTokenInput): Promise<Result<{ redirectTo: string }>> {
  const { error } = await ctx.supabase.auth.verifyOtp({ token_hash: input.token_hash, type: input.type });
  if (error) return notOk(accountAuthFailure(ctx.supabase, error));
  const fallback = defaultDestination(ctx.locale, input.type);
  if (input.type === 'recovery') return ok({ redirectTo: fallback });
  return ok({ redirectTo: emailLinkDestination(input.next, ctx.siteUrl, fallback) });
}
