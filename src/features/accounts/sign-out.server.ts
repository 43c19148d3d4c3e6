import type { AccountContext } from './accounts.ts';

/**
 * Ends this browser's session only (scope local: other devices stay signed in). The cookies are
 * cleared even if the Auth server cannot be reached: leaving should always work.
 */
export async function signOut(ctx: AccountContext, clearCookies: () => void): Promise<void> {
  try {
    const { error } = await ctx.supabase.auth.signOut({ scope: 'local' });
    if (error) clearCookies();
  } catch {
    clearCookies();
  }
}
