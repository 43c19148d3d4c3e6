import { failure, notOk, ok, type Result } from '../../lib/forms/index.ts';
import { authFailure } from '../../lib/supabase/auth-errors.ts';
import { isRecoverySession, type AccountContext, type ResetPasswordInput } from './accounts.ts';

/** Sets a new password, only within a session opened by a recovery link (see isRecoverySession). */
export async function resetPassword(ctx: AccountContext, input: ResetPasswordInput): Promise<Result<{ redirectTo: string }>> {
  if (!ctx.user || !isRecoverySession(ctx.claims, Math.floor(Date.now() / 1000))) {
    return notOk(failure(403, 'accounts.validation.recovery_required'));
  }
  const { error } = await ctx.supabase.auth.updateUser({ password: input.password });
  if (error) return notOk(authFailure(error, { weak_password: 'password', same_password: 'password' }));
  return ok({ redirectTo: `/${ctx.locale}/account?status=password-changed` });
}
