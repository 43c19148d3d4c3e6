/**
 * The Auth emails, in French (default) or English (`user_metadata.locale === 'en'`), in the name of
 * the organization that runs the platform (`public.organization`), never of the software.
 *
 * The link follows Supabase's "SSR" email template, the one a hosted project is given (README):
 *
 *   {{ .SiteURL }}/fr/auth/confirm?token_hash={{ .TokenHash }}&type=signup&next={{ .RedirectTo }}
 *
 * It opens a page of the site, which verifies the token when the person presses its button; the
 * token itself proves the address, so the link works in any browser (a phone, not only the one
 * that asked). The 6-digit code the email also carries can be typed on the site's
 * `/<locale>/auth/code` page instead.
 */

/** What an email action needs: GoTrue's template variables and the organization's name. */
export interface EmailVars {
  /** `{{ .SiteURL }}` (no trailing slash). */
  siteUrl: string;
  /** `{{ .TokenHash }}` (with its `pkce_` prefix in PKCE flows). */
  tokenHash: string;
  /** `{{ .RedirectTo }}`. */
  redirectTo: string;
  /** `{{ .Token }}`: the 6-digit code. */
  token: string;
  email: string;
  newEmail?: string;
  /** How long the link and the code stay valid, in seconds. */
  expiresIn: number;
  /** The organization's name in the email's language; null when the database has none yet. */
  organization: string | null;
}

export type EmailAction = 'signup' | 'invite' | 'magiclink' | 'recovery' | 'email_change';
export type Locale = 'fr' | 'en';

interface Copy {
  subject: string;
  intro: (v: EmailVars, platform: string) => string;
  action: string;
}

const COPY: Record<Locale, Record<EmailAction, Copy>> = {
  fr: {
    signup: {
      subject: 'Confirmez votre inscription',
      intro: (v, p) => `Merci de vous être inscrit·e sur ${p}. Confirmez votre adresse ${v.email} pour activer votre compte.`,
      action: 'Confirmer mon adresse',
    },
    invite: {
      subject: 'Vous êtes invité·e à participer',
      intro: (v, p) => `Vous avez été invité·e à rejoindre ${p} avec l’adresse ${v.email}.`,
      action: 'Accepter l’invitation',
    },
    magiclink: {
      subject: 'Votre lien de connexion',
      intro: (v, p) => `Voici votre lien pour vous connecter à ${p} avec l’adresse ${v.email}.`,
      action: 'Me connecter',
    },
    recovery: {
      subject: 'Réinitialisez votre mot de passe',
      intro: (v, p) => `Une réinitialisation du mot de passe a été demandée pour le compte ${v.email} sur ${p}.`,
      action: 'Choisir un nouveau mot de passe',
    },
    email_change: {
      subject: 'Confirmez votre nouvelle adresse',
      intro: (v, p) => `Vous avez demandé à remplacer l’adresse ${v.email} par ${v.newEmail ?? ''} sur ${p}.`,
      action: 'Confirmer ma nouvelle adresse',
    },
  },
  en: {
    signup: {
      subject: 'Confirm your signup',
      intro: (v, p) => `Thank you for signing up to ${p}. Confirm your address ${v.email} to activate your account.`,
      action: 'Confirm my address',
    },
    invite: {
      subject: 'You have been invited to take part',
      intro: (v, p) => `You have been invited to join ${p} with the address ${v.email}.`,
      action: 'Accept the invitation',
    },
    magiclink: {
      subject: 'Your sign-in link',
      intro: (v, p) => `Here is your link to sign in to ${p} as ${v.email}.`,
      action: 'Sign in',
    },
    recovery: {
      subject: 'Reset your password',
      intro: (v, p) => `A password reset was requested for the account ${v.email} on ${p}.`,
      action: 'Choose a new password',
    },
    email_change: {
      subject: 'Confirm your new email address',
      intro: (v, p) => `You asked to replace the address ${v.email} with ${v.newEmail ?? ''} on ${p}.`,
      action: 'Confirm my new address',
    },
  },
};

interface Common {
  hello: string;
  /** The platform, named after its organization (or described when there is none). */
  platform: (organization: string | null) => string;
  code: string;
  codePage: (url: string) => string;
  expiry: (d: string) => string;
  ignore: string;
  signature: (organization: string | null) => string;
}

const COMMON: Record<Locale, Common> = {
  fr: {
    hello: 'Bonjour,',
    platform: (o) => (o ? `la plateforme de participation « ${o} »` : 'la plateforme de participation'),
    code: 'Vous pouvez aussi saisir ce code :',
    codePage: (url) => `Saisissez-le sur la page ${url} (depuis n’importe quel appareil).`,
    expiry: (d) => `Ce lien et ce code sont valables ${d}.`,
    ignore: 'Si vous n’êtes pas à l’origine de cette demande, ignorez ce message : rien ne changera.',
    signature: (o) => o ?? 'La plateforme de participation',
  },
  en: {
    hello: 'Hello,',
    platform: (o) => (o ? `the “${o}” participation platform` : 'the participation platform'),
    code: 'You can also enter this code:',
    codePage: (url) => `Enter it on the page ${url} (from any device).`,
    expiry: (d) => `This link and this code are valid for ${d}.`,
    ignore: 'If you did not ask for this, ignore this message: nothing will change.',
    signature: (o) => o ?? 'The participation platform',
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

/** The `type` the confirm page passes to verifyOtp for each action (GoTrue's verification types). */
const LINK_TYPE: Record<EmailAction, string> = {
  signup: 'signup',
  invite: 'invite',
  magiclink: 'magiclink',
  recovery: 'recovery',
  email_change: 'email_change',
};

/** The code page's `type` for verifyOtp (`email` covers a sign-in code, whichever token it is). */
const CODE_TYPE: Record<EmailAction, string> = {
  signup: 'signup',
  invite: 'invite',
  magiclink: 'email',
  recovery: 'recovery',
  email_change: 'email_change',
};

/** The SSR template's link: `{{ .SiteURL }}/<locale>/auth/confirm?token_hash=…&type=…&next={{ .RedirectTo }}`. */
export function confirmationLink(action: EmailAction, locale: Locale, v: Pick<EmailVars, 'siteUrl' | 'tokenHash' | 'redirectTo'>): string {
  const q = new URLSearchParams({ token_hash: v.tokenHash, type: LINK_TYPE[action], next: v.redirectTo });
  return `${v.siteUrl}/${locale}/auth/confirm?${q.toString()}`;
}

/** The site's "enter your code" page, with the address the code was sent to. */
export function codePageLink(action: EmailAction, locale: Locale, v: Pick<EmailVars, 'siteUrl' | 'email' | 'newEmail'>): string {
  const email = action === 'email_change' ? (v.newEmail ?? v.email) : v.email;
  const q = new URLSearchParams({ type: CODE_TYPE[action], email });
  return `${v.siteUrl}/${locale}/auth/code?${q.toString()}`;
}

export interface RenderedEmail {
  /** The sender's display name: the organization. */
  fromName: string | null;
  subject: string;
  text: string;
  html: string;
}

export function renderEmail(action: EmailAction, locale: Locale, v: EmailVars): RenderedEmail {
  const copy = COPY[locale][action];
  const common = COMMON[locale];
  const platform = common.platform(v.organization);
  const subject = v.organization ? `${copy.subject} – ${v.organization}` : copy.subject;
  const link = confirmationLink(action, locale, v);
  const codeUrl = codePageLink(action, locale, v);
  const expiry = common.expiry(duration(v.expiresIn, locale));
  const signature = common.signature(v.organization);
  const intro = copy.intro(v, platform);
  const text = [
    common.hello,
    '',
    intro,
    '',
    // French typography puts a (narrow) space before the colon.
    `${copy.action}${locale === 'fr' ? '\u202f:' : ':'} ${link}`,
    '',
    `${common.code} ${v.token}`,
    common.codePage(codeUrl),
    '',
    expiry,
    common.ignore,
    '',
    `— ${signature}`,
    '',
  ].join('\n');
  const url = escapeHtml(link);
  const code = escapeHtml(codeUrl);
  const html = `<!doctype html>
<html lang="${locale}">
<head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>
<body style="font-family: system-ui, sans-serif; line-height: 1.5; color: #1a1a1a; max-width: 36rem; margin: 0 auto; padding: 1.5rem;">
<p>${escapeHtml(common.hello)}</p>
<p>${escapeHtml(intro)}</p>
<p><a href="${url}" style="display: inline-block; background: #1f4e9c; color: #ffffff; padding: 0.75rem 1.25rem; border-radius: 0.375rem; text-decoration: none;">${escapeHtml(copy.action)}</a></p>
<p style="word-break: break-all; font-size: 0.875rem;"><a href="${url}">${url}</a></p>
<p>${escapeHtml(common.code)} <strong style="font-size: 1.25rem; letter-spacing: 0.2em;">${escapeHtml(v.token)}</strong><br>
<span style="font-size: 0.875rem;">${escapeHtml(common.codePage(codeUrl)).replace(code, `<a href="${code}">${code}</a>`)}</span></p>
<p style="font-size: 0.875rem; color: #555555;">${escapeHtml(expiry)}<br>${escapeHtml(common.ignore)}</p>
<p>— ${escapeHtml(signature)}</p>
</body>
</html>
`;
  return { fromName: v.organization, subject, text, html };
}
