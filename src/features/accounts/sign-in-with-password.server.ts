import { notOk, ok, type Result } from '../../lib/forms/index.ts';
import { safeNextPath } from '../../lib/http/safe-redirect.ts';
import { accountAuthFailure } from './auth-failure.server.ts';
import type { AccountContext, SignInInput } from './accounts.ts';

/** Signs in with email and password; the session goes to the cookies, then to `next` (same site only). */
export async function signInWithPassword(ctx: AccountContext, input: SignInInput): Promise<Result<{ redirectTo: string }>> {
  const { error } = await ctx.supabase.auth.signInWithPassword({ email: input.email, password: input.password });
  if (error) return notOk(accountAuthFailure(ctx.supabase, error));
  return ok({ redirectTo: safeNextPath(input.next, `/${ctx.locale}/`) });
}
