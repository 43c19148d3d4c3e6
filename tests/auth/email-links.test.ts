import { describe, expect, it } from 'vitest';
import { admin, Browser, createConfirmedUser, signedIn, stack, uniqueEmail, waitForEmail, type Page } from '../web/helpers.ts';
import type { MaildevEmail } from '../helpers/mail.ts';
import { verifyUrlFor } from './helpers.ts';

/**
 * Emailed links and codes as a person meets them: links that work on another device (the SSR
 * template: the site's /auth/confirm with the token hash), confirmation on a button (a GET never
 * signs a browser in: login CSRF, finding 6), the 6-digit code typed on /auth/code, and what a
 * sign-up confirmed in another browser says.
 */

function confirmLink(mail: MaildevEmail): URL {
  const m = /https?:\/\/[^\s"<>]+\/auth\/confirm\?[^\s"<>]+/.exec(mail.text ?? '');
  if (!m) throw new Error(`no confirm link in "${mail.subject}"`);
  return new URL(m[0]);
}

function otpOf(mail: MaildevEmail): string {
  const text = mail.text ?? '';
  return /\b(\d{6})\b/.exec(text.slice(text.indexOf('code')))?.[1] ?? '';
}

/** The hidden fields of the confirm page's form, as the browser would post them. */
function confirmForm(page: Page): Record<string, string> {
  const form = /<form[^>]*action="\?_action=accounts\.verifyEmailLink"[\s\S]*?<\/form>/.exec(page.html)?.[0] ?? '';
  const fields: Record<string, string> = {};
  for (const m of form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) {
    fields[m[1]!] = m[2]!.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'");
  }
  return fields;
}

const sessionUser = async (b: Browser) => {
  const page = await b.get('/fr/account');
  return page.status === 200 ? page.text : null;
};

async function confirmedAt(email: string): Promise<string | null> {
  const { data } = await admin().auth.admin.listUsers({ perPage: 1000 });
  return data.users.find((u) => u.email === email)?.email_confirmed_at ?? null;
}

describe('email links work from any browser', () => {
  it('a sign-up link opened on a phone: a page with a button, which confirms and signs the phone in', async () => {
    const email = uniqueEmail('phone');
    const desktop = new Browser();
    const signup = await desktop.post('/fr/sign-up?_action=accounts.signUp', {
      name: 'Nadia Téléphone',
      email,
      password: 'une phrase de passe solide',
      accept_terms: 'on',
    });
    expect(signup.status).toBe(200);
    expect(signup.html).toContain(`/fr/auth/code?type=signup&amp;email=${encodeURIComponent(email)}`);

    const mail = await waitForEmail(email);
    const link = confirmLink(mail);
    expect(link.origin).toBe(stack().siteUrl);
    expect(link.pathname).toBe('/fr/auth/confirm');
    expect(link.searchParams.get('type')).toBe('signup');

    const phone = new Browser();
    const page = await phone.get(link.toString());
    expect(page.status).toBe(200);
    expect(page.text).toContain('Confirmer votre adresse électronique');
    expect(page.headers.get('cache-control')).toBe('no-store');
    // Opening the link changed nothing yet: no session, address not confirmed (mail scanners may open links).
    expect(phone.sessionCookies()).toEqual([]);
    expect(await confirmedAt(email)).toBeNull();

    const confirmed = await phone.post('/fr/auth/confirm?_action=accounts.verifyEmailLink', confirmForm(page));
    expect(confirmed.status).toBe(303);
    expect(confirmed.location).toBe('/fr/account?status=email-confirmed');
    expect(phone.sessionCookies().length).toBeGreaterThan(0);
    const account = await phone.get(confirmed.location!);
    expect(account.text).toContain('Votre adresse électronique est confirmée');
    expect(account.text).toContain('Nadia Téléphone');
    expect(await confirmedAt(email)).not.toBeNull();

    // The link is spent: a second press says so, with the way to sign in.
    const again = await new Browser().post('/fr/auth/confirm?_action=accounts.verifyEmailLink', confirmForm(page));
    expect(again.status).toBe(400);
    expect(again.text).toContain('Si vous avez déjà confirmé votre adresse avec ce lien, votre compte est actif');
  });

  it('a sign-up link through the Auth server’s default template, in another browser: "confirmed, sign in"', async () => {
    const email = uniqueEmail('otherbrowser');
    const desktop = new Browser();
    await desktop.post('/fr/sign-up?_action=accounts.signUp', { name: 'Autre Navigateur', email, password: 'une phrase de passe solide', accept_terms: 'on' });
    const mail = await waitForEmail(email);
    // `{{ .ConfirmationURL }}`: /auth/v1/verify, then the site's callback with a PKCE code.
    const phone = new Browser();
    const verified = await phone.get(verifyUrlFor(confirmLink(mail).toString()));
    expect(verified.status).toBe(303);
    const callback = await phone.get(verified.location!);
    expect(callback.status).toBe(200);
    expect(callback.text).toContain('Votre adresse électronique est confirmée et votre compte est actif');
    expect(callback.text).not.toContain('navigateur où vous avez fait la demande');
    expect(callback.html).toContain('href="/fr/sign-in"');
    expect(await confirmedAt(email)).not.toBeNull();
    // And the password now works, anywhere.
    const signIn = await phone.post('/fr/sign-in?_action=accounts.signInWithPassword', { email, password: 'une phrase de passe solide' });
    expect(signIn.status).toBe(303);
  });

  it('the 6-digit code of a sign-in email signs in on another device', async () => {
    const user = await createConfirmedUser({ name: 'Code Ailleurs' });
    const desktop = new Browser();
    const sent = await desktop.post('/fr/sign-in?_action=accounts.sendMagicLink', { email: user.email });
    expect(sent.html).toContain(`/fr/auth/code?type=email&amp;email=${encodeURIComponent(user.email)}`);
    const mail = await waitForEmail(user.email);
    const code = otpOf(mail);
    expect(code).toMatch(/^\d{6}$/);
    expect(mail.text).toContain(`/fr/auth/code?type=email&email=${encodeURIComponent(user.email)}`);

    const phone = new Browser();
    const form = await phone.get(`/fr/auth/code?type=email&email=${encodeURIComponent(user.email)}`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('Saisir le code reçu par courriel');
    expect(form.html).toContain('autocomplete="one-time-code"');
    expect(form.html).toContain(`value="${user.email}"`);

    const badFormat = await phone.post('/fr/auth/code?_action=accounts.verifyEmailCode', { email: user.email, token: '12ab', type: 'email' });
    expect(badFormat.status).toBe(400);
    expect(badFormat.text).toContain('Saisissez les 6 chiffres du code reçu par courriel.');
    const wrong = await phone.post('/fr/auth/code?_action=accounts.verifyEmailCode', {
      email: user.email,
      token: code === '000000' ? '111111' : '000000',
      type: 'email',
    });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('Ce code est incorrect ou a expiré.');
    expect(wrong.html).toContain('aria-invalid="true"');
    expect(phone.sessionCookies()).toEqual([]);

    const right = await phone.post('/fr/auth/code?_action=accounts.verifyEmailCode', { email: user.email, token: `${code.slice(0, 3)} ${code.slice(3)}`, type: 'email' });
    expect(right.status).toBe(303);
    expect(right.location).toBe('/fr/account?status=signed-in');
    expect(await sessionUser(phone)).toContain('Code Ailleurs');
  });

  it('a recovery code leads to choosing a new password', async () => {
    const user = await createConfirmedUser();
    const b = new Browser();
    const sent = await b.post('/fr/forgot-password?_action=accounts.requestPasswordReset', { email: user.email });
    expect(sent.html).toContain('/fr/auth/code?type=recovery');
    const code = otpOf(await waitForEmail(user.email));
    const phone = new Browser();
    const right = await phone.post('/fr/auth/code?_action=accounts.verifyEmailCode', { email: user.email, token: code, type: 'recovery' });
    expect(right.status).toBe(303);
    expect(right.location).toBe('/fr/reset-password');
    const reset = await phone.post('/fr/reset-password?_action=accounts.resetPassword', {
      password: 'un tout nouveau mot de passe',
      password_confirmation: 'un tout nouveau mot de passe',
    });
    expect(reset.status).toBe(303);
  });
});

describe('login CSRF (finding 6)', () => {
  it('a GET of a confirm link never signs in nor replaces the session; only the page’s own POST does, after a warning', async () => {
    const victim = await createConfirmedUser({ name: 'Victime Connectée' });
    const attacker = await createConfirmedUser({ name: 'Compte Piégé' });
    const b = await signedIn(victim.email, victim.password);
    const before = new Map(b.cookies);

    // The attacker's own sign-in token, planted in a link (or an <img>, an iframe…).
    const { data } = await admin().auth.admin.generateLink({ type: 'magiclink', email: attacker.email });
    const tokenHash = data.properties!.hashed_token;
    const planted = `/fr/auth/confirm?token_hash=${tokenHash}&type=magiclink&next=${encodeURIComponent('/fr/account')}`;

    const page = await b.get(planted);
    expect(page.status).toBe(200);
    expect(page.headers.getSetCookie().filter((c) => c.startsWith('sb-'))).toEqual([]);
    expect(b.cookies).toEqual(before);
    expect(await sessionUser(b)).toContain('Victime Connectée');
    // The page says whose session this browser has before offering to replace it.
    expect(page.text).toContain(`Vous êtes actuellement connecté·e sur cet appareil en tant que ${victim.email}`);

    // A form on another site posting to the page is refused (Origin check), session untouched.
    const crossSite = await b.post('/fr/auth/confirm?_action=accounts.verifyEmailLink', { token_hash: tokenHash, type: 'magiclink' }, { origin: 'https://evil.example' });
    expect(crossSite.status).toBe(403);
    expect(b.cookies).toEqual(before);
    expect(await sessionUser(b)).toContain('Victime Connectée');

    // The token was not spent by any of this: its owner can still use it, with the button.
    const owner = new Browser();
    const own = await owner.post('/fr/auth/confirm?_action=accounts.verifyEmailLink', confirmForm(await owner.get(planted)));
    expect(own.status).toBe(303);
    expect(own.location).toBe('/fr/account');
    expect(await sessionUser(owner)).toContain('Compte Piégé');
  });
});
