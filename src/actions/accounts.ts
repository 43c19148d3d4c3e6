import { defineAction, type ActionAPIContext } from 'astro:actions';
import {
  accountContext,
  changeEmailInput,
  changePasswordInput,
  deleteAccountInput,
  emailCodeInput,
  emailTokenInput,
  magicLinkInput,
  passwordResetRequestInput,
  preferencesInput,
  profileInput,
  resetPasswordInput,
  signInInput,
  signUpInput,
} from '@/features/accounts/accounts.ts';
import { changeEmail } from '@/features/accounts/change-email.server.ts';
import { changePassword } from '@/features/accounts/change-password.server.ts';
import { deleteAccount } from '@/features/accounts/delete-account.server.ts';
import { requestPasswordReset } from '@/features/accounts/request-password-reset.server.ts';
import { resetPassword } from '@/features/accounts/reset-password.server.ts';
import { sendMagicLink } from '@/features/accounts/send-magic-link.server.ts';
import { signInWithPassword } from '@/features/accounts/sign-in-with-password.server.ts';
import { signOut } from '@/features/accounts/sign-out.server.ts';
import { signUp } from '@/features/accounts/sign-up.server.ts';
import { updatePreferences } from '@/features/accounts/update-preferences.server.ts';
import { updateProfile } from '@/features/accounts/update-profile.server.ts';
import { verifyEmailCode } from '@/features/accounts/verify-email-code.server.ts';
import { verifyEmailToken } from '@/features/accounts/verify-email-token.server.ts';
import { getConfig } from '@/lib/config.ts';
import { toActionError, type Result } from '@/lib/forms/index.ts';
import { clearAuthCookies } from '@/lib/supabase/server.ts';

/*
 * Account actions. Every form posts here without JavaScript (`accept: 'form'`); zod parses the
 * fields, the user comes from the request (middleware), one use case does the work. A refusal
 * becomes an ActionError whose status (400/401/403/422/429/503) is the page's status.
 */

const ctxOf = (context: ActionAPIContext) => accountContext(context.locals, getConfig().siteUrl, clientAddressOf(context));

/** The browser's address (Astro has none while prerendering). */
function clientAddressOf(context: ActionAPIContext): string | undefined {
  try {
    return context.clientAddress;
  } catch {
    return undefined;
  }
}

function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw toActionError(result.failure);
  return result.value;
}

export const accounts = {
  signUp: defineAction({
    accept: 'form',
    input: signUpInput,
    handler: async (input, context) => unwrap(await signUp(ctxOf(context), input)),
  }),
  signInWithPassword: defineAction({
    accept: 'form',
    input: signInInput,
    handler: async (input, context) => unwrap(await signInWithPassword(ctxOf(context), input)),
  }),
  sendMagicLink: defineAction({
    accept: 'form',
    input: magicLinkInput,
    handler: async (input, context) => unwrap(await sendMagicLink(ctxOf(context), input)),
  }),
  /** An emailed link's button (/[locale]/auth/confirm): only a POST signs a browser in. */
  verifyEmailLink: defineAction({
    accept: 'form',
    input: emailTokenInput,
    handler: async (input, context) => unwrap(await verifyEmailToken(ctxOf(context), input)),
  }),
  /** The 6-digit code of an email (/[locale]/auth/code). */
  verifyEmailCode: defineAction({
    accept: 'form',
    input: emailCodeInput,
    handler: async (input, context) => unwrap(await verifyEmailCode(ctxOf(context), input)),
  }),
  requestPasswordReset: defineAction({
    accept: 'form',
    input: passwordResetRequestInput,
    handler: async (input, context) => unwrap(await requestPasswordReset(ctxOf(context), input)),
  }),
  resetPassword: defineAction({
    accept: 'form',
    input: resetPasswordInput,
    handler: async (input, context) => unwrap(await resetPassword(ctxOf(context), input)),
  }),
  updateProfile: defineAction({
    accept: 'form',
    input: profileInput,
    handler: async (input, context) => unwrap(await updateProfile(ctxOf(context), input)),
  }),
  updatePreferences: defineAction({
    accept: 'form',
    input: preferencesInput,
    handler: async (input, context) => unwrap(await updatePreferences(ctxOf(context), input)),
  }),
  changeEmail: defineAction({
    accept: 'form',
    input: changeEmailInput,
    handler: async (input, context) => unwrap(await changeEmail(ctxOf(context), input)),
  }),
  changePassword: defineAction({
    accept: 'form',
    input: changePasswordInput,
    handler: async (input, context) => unwrap(await changePassword(ctxOf(context), input)),
  }),
  deleteAccount: defineAction({
    accept: 'form',
    input: deleteAccountInput,
    handler: async (input, context) => unwrap(await deleteAccount(ctxOf(context), input)),
  }),
  signOut: defineAction({
    accept: 'form',
    handler: async (_input, context) => {
      await signOut(ctxOf(context), () => clearAuthCookies(context.request, context.cookies));
      return { redirectTo: `/${context.locals.locale}/?status=signed-out` };
    },
  }),
};
