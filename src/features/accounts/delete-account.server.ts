import { failure, notOk, ok, type Result } from '../../lib/forms/index.ts';
import { authFailure } from '../../lib/supabase/auth-errors.ts';
import { createAdminClient } from '../../lib/supabase/admin.server.ts';
import { sameEmail, type AccountContext, type DeleteAccountInput } from './accounts.ts';

/**
 * Deletes the signed-in person's account once they have typed their address. The Auth admin API
 * removes the auth user; the profile and preferences go with it (foreign keys on delete cascade).
 * Then this browser's session cookies are cleared.
 */
export async function deleteAccount(ctx: AccountContext, input: DeleteAccountInput): Promise<Result<null>> {
  if (!ctx.user) return notOk(failure(401, 'error.unauthorized'));
  if (!sameEmail(ctx.user.email, input.confirm_email)) {
    return notOk(failure(422, 'accounts.validation.delete_email_mismatch', { field: 'confirm_email' }));
  }
  const { error } = await createAdminClient().auth.admin.deleteUser(ctx.user.id);
  if (error) return notOk(authFailure(error));
  // The sessions died with the user: the Auth server answers 403/404, which clears the cookies.
  await ctx.supabase.auth.signOut({ scope: 'local' });
  return ok(null);
}
