import { failure, notOk, ok, type Result } from '../../lib/forms/index.ts';
import { authErrorCode, authFailure } from '../../lib/supabase/auth-errors.ts';
import { createStatelessClient } from '../../lib/supabase/stateless.server.ts';
import type { AccountContext, ChangePasswordInput } from './accounts.ts';
import { accountAuthFailure } from './auth-failure.server.ts';

/**
 * Changes the password after checking the current one. The check signs in on a throw-away
 * client (so this browser's session is untouched) and signs that extra session out at once.
 */
export async function changePassword(ctx: AccountContext, input: ChangePasswordInput): Promise<Result<null>> {
  if (!ctx.user?.email) return notOk(failure(401, 'error.unauthorized'));
  const checker = createStatelessClient(ctx.clientAddress);
  const { error: checkError } = await checker.auth.signInWithPassword({ email: ctx.user.email, password: input.current_password });
  if (checkError) {
    if (authErrorCode(checkError) === 'invalid_credentials') {
      return notOk(failure(400, 'accounts.validation.current_password_wrong', { field: 'current_password' }));
    }
    return notOk(accountAuthFailure(checker, checkError));
  }
  await checker.auth.signOut({ scope: 'local' });
  const { error } = await ctx.supabase.auth.updateUser({ password: input.password });
  if (error) return notOk(authFailure(error, { weak_password: 'password', same_password: 'password' }));
  return ok(null);
}
