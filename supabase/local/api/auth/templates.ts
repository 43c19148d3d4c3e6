import { PLATFORM_NAME } from './mailer.ts';

/** What an email action needs: GoTrue's template variables ConfirmationURL, Token, Email, NewEmail. */
export interface EmailVars {
  confirmationUrl: string;
  token: string;
  email: string;
  newEmail?: string;
  /** How long the link and the code stay valid, in seconds. */
  expiresIn: number;
}

export type EmailAction = 'signup' | 'invite' | 'magiclink' | 'recovery' | 'email_change';
export type Locale = 'fr' | 'en';

interface Copy {
  subject: string;
  intro: (v: EmailVars) => string;
  action: string;
}

const COPY: Record<Locale, Record<EmailAction, Copy>> = {
  fr: {
    signup: {
      subject: 'Confirmez votre inscription',
      intro: (v) => `Merci de vous être inscrit·e sur ${PLATFORM_NAME}. Confirmez votre adresse ${v.email} pour activer votre compte.`,
      action: 'Confirmer mon adresse',
    },
    invite: {
      subject: `Vous êtes invité·e sur ${PLATFORM_NAME}`,
      intro: (v) => `Vous avez été invité·e à rejoindre ${PLATFORM_NAME} avec l’adresse ${v.email}.`,
      action: 'Accepter l’invitation',
    },
    magiclink: {
      subject: 'Votre lien de connexion',
      intro: (v) => `Voici votre lien pour vous connecter à ${PLATFORM_NAME} avec l’adresse ${v.email}.`,
      action: 'Me connecter',
    },
    recovery: {
      subject: 'Réinitialisez votre mot de passe',
      intro: (v) => `Une réinitialisation du mot de passe a été demandée pour le compte ${v.email} sur ${PLATFORM_NAME}.`,
      action: 'Choisir un nouveau mot de passe',
    },
    email_change: {
      subject: 'Confirmez votre nouvelle adresse',
      intro: (v) => `Vous avez demandé à remplacer l’adresse ${v.email} par ${v.newEmail ?? ''} sur ${PLATFORM_NAME}.`,
      action: 'Confirmer ma nouvelle adresse',
    },
  },
  en: {
    signup: {
      subject: 'Confirm your signup',
      intro: (v) => `Thank you for signing up to ${PLATFORM_NAME}. Confirm your address ${v.email} to activate your account.`,
      action: 'Confirm my address',
    },
    invite: {
      subject: `You have been invited to ${PLATFORM_NAME}`,
      intro: (v) => `You have been invited to join ${PLATFORM_NAME} with the address ${v.email}.`,
      action: 'Accept the invitation',
    },
    magiclink: {
      subject: 'Your sign-in link',
      intro: (v) => `Here is your link to sign in to ${PLATFORM_NAME} as ${v.email}.`,
      action: 'Sign in',
    },
    recovery: {
      subject: 'Reset your password',
      intro: (v) => `A password reset was requested for the account ${v.email} on ${PLATFORM_NAME}.`,
      action: 'Choose a new password',
    },
    email_change: {
      subject: 'Confirm your new email address',
      intro: (v) => `You asked to replace the address ${v.email} with ${v.newEmail ?? ''} on ${PLATFORM_NAME}.`,
      action: 'Confirm my new address',
    },
  },
};

const COMMON: Record<Locale, { hello: string; code: string; expiry: (d: string) => string; ignore: string; signature: string }> = {
  fr: {
    hello: 'Bonjour,',
    code: 'Vous pouvez aussi saisir ce code :',
    expiry: (d) => `Ce lien et ce code sont valables ${d}.`,
    ignore: 'Si vous n’êtes pas à l’origine de cette demande, ignorez ce message : rien ne changera.',
    signature: `L’équipe ${PLATFORM_NAME}`,
  },
  en: {
    hello: 'Hello,',
    code: 'You can also enter this code:',
    expiry: (d) => `This link and this code are valid for ${d}.`,
    ignore: 'If you did not ask for this, ignore this message: nothing will change.',
    signature: `The ${PLATFORM_NAME} team`,
  },
};

function duration(seconds: number, locale: Locale): string {
  const [value, unit] =
    seconds % 3600 === 0 ? [seconds / 3600, locale === 'fr' ? 'heure' : 'hour'] : [Math.max(1, Math.round(seconds / 60)), 'minute'];
  return `${value} ${unit}${value > 1 ? 's' : ''}`;
}

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** French unless the user chose English (`user_metadata.locale === 'en'`). */
export function localeOf(userMetadata: unknown): Locale {
  return typeof userMetadata === 'object' && userMetadata !== null && (userMetadata as { locale?: unknown }).locale === 'en' ? 'en' : 'fr';
}

export function renderEmail(action: EmailAction, locale: Locale, v: EmailVars): { subject: string; text: string; html: string } {
  const copy = COPY[locale][action];
  const common = COMMON[locale];
  const expiry = common.expiry(duration(v.expiresIn, locale));
  const text = [
    common.hello,
    '',
    copy.intro(v),
    '',
    // French typography puts a (narrow) space before the colon.
    `${copy.action}${locale === 'fr' ? '\u202f:' : ':'} ${v.confirmationUrl}`,
    '',
    `${common.code} ${v.token}`,
    '',
    expiry,
    common.ignore,
    '',
    `— ${common.signature}`,
    '',
  ].join('\n');
  const url = escapeHtml(v.confirmationUrl);
  const html = `<!doctype html>
<html lang="${locale}">
<head><meta charset="utf-8"><title>${escapeHtml(copy.subject)}</title></head>
<body style="font-family: system-ui, sans-serif; line-height: 1.5; color: #1a1a1a; max-width: 36rem; margin: 0 auto; padding: 1.5rem;">
<p>${escapeHtml(common.hello)}</p>
<p>${escapeHtml(copy.intro(v))}</p>
<p><a href="${url}" style="display: inline-block; background: #1f4e9c; color: #ffffff; padding: 0.75rem 1.25rem; border-radius: 0.375rem; text-decoration: none;">${escapeHtml(copy.action)}</a></p>
<p style="word-break: break-all; font-size: 0.875rem;"><a href="${url}">${url}</a></p>
<p>${escapeHtml(common.code)} <strong style="font-size: 1.25rem; letter-spacing: 0.2em;">${escapeHtml(v.token)}</strong></p>
<p style="font-size: 0.875rem; color: #555555;">${escapeHtml(expiry)}<br>${escapeHtml(common.ignore)}</p>
<p>— ${escapeHtml(common.signature)}</p>
</body>
</html>
`;
  return { subject: copy.subject, text, html };
}
