import { describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../supabase/demo-accounts.ts';
import type { MaildevEmail } from '../helpers/mail.ts';
import { admin, Browser, createConfirmedUser, signedIn, stack, uniqueEmail, uniqueNickname, waitForEmail } from './helpers.ts';

/** The link an email carries: the site's `/<locale>/auth/confirm?token_hash=…&type=…&next=…` (SSR template). */
function confirmPageLink(mail: MaildevEmail): URL {
  const m = /https?:\/\/[^\s"<>]+\/auth\/confirm\?[^\s"<>]+/.exec(mail.text ?? '');
  if (!m) throw new Error(`no confirm link in email "${mail.subject}"`);
  return new URL(m[0]);
}

/**
 * The same token as the Auth server's default template links it (`{{ .ConfirmationURL }}`:
 * `/auth/v1/verify`, then the site's PKCE callback), the path a hosted project's default emails take.
 */
function verifyLink(mail: MaildevEmail): string {
  const link = confirmPageLink(mail);
  const q = new URLSearchParams({
    token: link.searchParams.get('token_hash') ?? '',
    type: link.searchParams.get('type') ?? '',
    redirect_to: link.searchParams.get('next') ?? '',
  });
  return `${stack().supabaseUrl}/auth/v1/verify?${q.toString()}`;
}

describe('SSR session with @supabase/ssr cookies', () => {
  it('sign-up form → confirmation email → callback sets the session → account → sign-out', async () => {
    const b = new Browser();
    const email = uniqueEmail('signup');
    const name = 'Aminata Traoré';

    const form = await b.get('/fr/sign-up');
    expect(form.status).toBe(200);
    expect(form.html).toContain('action="?_action=accounts.signUp"');

    const submitted = await b.post('/fr/sign-up?_action=accounts.signUp', {
      name,
      email,
      password: 'une phrase de passe solide',
      accept_terms: 'on',
    });
    expect(submitted.status).toBe(200);
    expect(submitted.text).toContain('Vérifiez votre boîte de réception');
    // The PKCE verifier is stored as a cookie on the sign-up response itself.
    expect([...b.cookies.keys()]).toContain('sb-127-auth-token-code-verifier');
    expect(b.sessionCookies()).toEqual([]);

    const mail = await waitForEmail(email);
    const link = verifyLink(mail);
    expect(link).toContain('type=signup');

    const verified = await b.get(link);
    expect(verified.status).toBe(303);
    const callback = new URL(verified.location ?? '', link);
    expect(callback.origin).toBe(stack().siteUrl);
    expect(callback.pathname).toBe('/fr/auth/callback');
    expect(callback.searchParams.get('code')).toBeTruthy();

    const afterCallback = await b.get(callback.toString());
    expect(afterCallback.status).toBe(303);
    expect(afterCallback.location).toBe('/fr/account?status=email-confirmed');
    expect(b.sessionCookies().length).toBeGreaterThan(0);

    const account = await b.get(afterCallback.location ?? '');
    expect(account.status).toBe(200);
    expect(account.text).toContain(name);
    expect(account.text).toContain(email);
    expect(account.text).toContain('Votre adresse électronique est confirmée');
    expect(account.headers.get('cache-control')).toMatch(/no-store|no-cache/);

    // Signing out is a POST; it clears the session cookies.
    const out = await b.post('/fr/sign-out', {});
    expect(out.status).toBe(303);
    expect(out.location).toBe('/fr/?status=signed-out');
    expect(b.sessionCookies()).toEqual([]);

    const again = await b.get('/fr/account');
    expect(again.status).toBe(303);
    expect(again.location).toBe(`/fr/sign-in?next=${encodeURIComponent('/fr/account')}`);
  });

  it('password sign-in with a demo account', async () => {
    const demo = DEMO_ACCOUNTS[1];
    const b = new Browser();
    const page = await b.post('/fr/sign-in?_action=accounts.signInWithPassword', {
      email: demo.email,
      password: DEMO_PASSWORD,
      next: '/fr/account',
    });
    expect(page.status).toBe(303);
    expect(page.location).toBe('/fr/account');
    expect(b.sessionCookies().length).toBeGreaterThan(0);
    const account = await b.get('/fr/account');
    expect(account.status).toBe(200);
    expect(account.text).toContain(demo.name);
    expect(account.text).toContain(demo.email);
    // The header shows who is signed in, and the sign-out form.
    expect(account.html).toContain('action="/fr/sign-out"');
  });

  it('wrong password: 400 with a translated message, no session', async () => {
    const b = new Browser();
    const page = await b.post('/fr/sign-in?_action=accounts.signInWithPassword', {
      email: DEMO_ACCOUNTS[2].email,
      password: 'not-the-password',
    });
    expect(page.status).toBe(400);
    expect(page.text).toContain('Adresse électronique ou mot de passe incorrect.');
    expect(page.html).toContain(`value="${DEMO_ACCOUNTS[2].email}"`);
    expect(b.sessionCookies()).toEqual([]);
  });

  it('an unsafe next is ignored after sign-in', async () => {
    const user = await createConfirmedUser();
    const b = new Browser();
    const page = await b.post('/fr/sign-in?_action=accounts.signInWithPassword', {
      email: user.email,
      password: user.password,
      next: '//evil.example/steal',
    });
    expect(page.status).toBe(303);
    expect(page.location).toBe('/fr/');
  });

  it('magic link through the form signs in', async () => {
    const user = await createConfirmedUser({ name: 'Magali Lien' });
    const b = new Browser();
    const page = await b.post('/fr/sign-in?_action=accounts.sendMagicLink', { email: user.email });
    expect(page.status).toBe(200);
    expect(page.text).toContain(`un lien de connexion vient d’y être envoyé`);

    const mail = await waitForEmail(user.email);
    const link = verifyLink(mail);
    const verified = await b.get(link);
    expect(verified.status).toBe(303);
    const back = await b.get(new URL(verified.location ?? '', link).toString());
    expect(back.status).toBe(303);
    expect(b.sessionCookies().length).toBeGreaterThan(0);
    const account = await b.get('/fr/account');
    expect(account.status).toBe(200);
    expect(account.text).toContain('Magali Lien');
  });

  it('a magic link for an unknown address gets the same neutral answer', async () => {
    const b = new Browser();
    const page = await b.post('/fr/sign-in?_action=accounts.sendMagicLink', { email: uniqueEmail('nobody') });
    expect(page.status).toBe(200);
    expect(page.text).toContain('Si un compte existe pour');
  });

  it('signing up again with a confirmed address shows the same neutral message', async () => {
    const user = await createConfirmedUser();
    const b = new Browser();
    const page = await b.post('/fr/sign-up?_action=accounts.signUp', {
      name: 'Quelqu’un',
      email: user.email,
      password: 'une autre phrase de passe',
      accept_terms: 'on',
    });
    expect(page.status).toBe(200);
    expect(page.text).toContain('Vérifiez votre boîte de réception');
  });

  it('a callback link opened without the verifier cookie shows a translated error', async () => {
    const b = new Browser();
    const user = await createConfirmedUser();
    await b.post('/fr/sign-in?_action=accounts.sendMagicLink', { email: user.email });
    const link = verifyLink(await waitForEmail(user.email));
    const verified = await b.get(link);
    const other = new Browser();
    const page = await other.get(new URL(verified.location ?? '', link).toString());
    expect(page.status).toBe(400);
    expect(page.text).toContain('Ce lien ne peut pas être utilisé');
    expect(other.sessionCookies()).toEqual([]);
  });

  it('the cross-browser link (/auth/confirm?token_hash=…) signs in without a verifier cookie', async () => {
    const user = await createConfirmedUser({ name: 'Tom Hash' });
    const { data, error } = await admin().auth.admin.generateLink({ type: 'magiclink', email: user.email });
    expect(error).toBeNull();
    const hash = data.properties?.hashed_token ?? '';
    const b = new Browser();
    // Opening the link shows a button; pressing it (a POST) signs in.
    const page = await b.get(`/fr/auth/confirm?token_hash=${encodeURIComponent(hash)}&type=magiclink&next=/fr/account`);
    expect(page.status).toBe(200);
    expect(b.sessionCookies()).toEqual([]);
    const fields = { token_hash: hash, type: 'magiclink', next: '/fr/account' };
    const pressed = await b.post('/fr/auth/confirm?_action=accounts.verifyEmailLink', fields);
    expect(pressed.status).toBe(303);
    expect(pressed.location).toBe('/fr/account');
    expect(b.sessionCookies().length).toBeGreaterThan(0);
    expect((await b.get('/fr/account')).text).toContain('Tom Hash');
    // Single use.
    const again = await new Browser().post('/fr/auth/confirm?_action=accounts.verifyEmailLink', fields);
    expect(again.status).toBe(400);
    expect(again.text).toContain('Ce lien ne peut pas être utilisé');
  });

  it('signing in before confirming the address is a translated 400', async () => {
    const b = new Browser();
    const email = uniqueEmail('unconfirmed');
    await b.post('/fr/sign-up?_action=accounts.signUp', { name: 'Pas Encore', email, password: 'une phrase de passe solide', accept_terms: 'on' });
    const page = await b.post('/fr/sign-in?_action=accounts.signInWithPassword', { email, password: 'une phrase de passe solide' });
    expect(page.status).toBe(400);
    expect(page.text).toContain('pas encore confirmée');
  });

  it('asking twice for a confirmation email within a minute is a translated 429', async () => {
    const email = uniqueEmail('twice');
    const fields = { name: 'Deux Fois', email, password: 'une phrase de passe solide', accept_terms: 'on' };
    const first = await new Browser().post('/fr/sign-up?_action=accounts.signUp', fields);
    expect(first.status).toBe(200);
    const second = await new Browser().post('/fr/sign-up?_action=accounts.signUp', fields);
    expect(second.status).toBe(429);
    expect(second.text).toContain('patientez une minute');
  });

  it('password reset: email → recovery session → new password works', async () => {
    const user = await createConfirmedUser();
    const b = new Browser();
    const asked = await b.post('/fr/forgot-password?_action=accounts.requestPasswordReset', { email: user.email });
    expect(asked.status).toBe(200);
    expect(asked.text).toContain('Si un compte existe pour');

    const link = verifyLink(await waitForEmail(user.email));
    expect(link).toContain('type=recovery');
    const verified = await b.get(link);
    const callback = await b.get(new URL(verified.location ?? '', link).toString());
    expect(callback.status).toBe(303);
    expect(callback.location).toBe('/fr/reset-password');

    const form = await b.get('/fr/reset-password');
    expect(form.status).toBe(200);
    const mismatch = await b.post('/fr/reset-password?_action=accounts.resetPassword', {
      password: 'nouvelle phrase secrète',
      password_confirmation: 'autre chose',
    });
    expect(mismatch.status).toBe(400);
    expect(mismatch.text).toContain('Les deux mots de passe ne sont pas identiques.');

    const done = await b.post('/fr/reset-password?_action=accounts.resetPassword', {
      password: 'nouvelle phrase secrète',
      password_confirmation: 'nouvelle phrase secrète',
    });
    expect(done.status).toBe(303);
    expect(done.location).toBe('/fr/account?status=password-changed');
    await signedIn(user.email, 'nouvelle phrase secrète');
  });

  it('reset-password without a recovery session is refused', async () => {
    const user = await createConfirmedUser();
    const b = await signedIn(user.email, user.password);
    const page = await b.get('/fr/reset-password');
    expect(page.status).toBe(403);
    const post = await b.post('/fr/reset-password?_action=accounts.resetPassword', {
      password: 'une phrase de passe solide',
      password_confirmation: 'une phrase de passe solide',
    });
    expect(post.status).toBe(403);
    await signedIn(user.email, user.password);
  });
});

describe('account page', () => {
  it('requires sign-in', async () => {
    const page = await new Browser().get('/en/account');
    expect(page.status).toBe(303);
    expect(page.location).toBe(`/en/sign-in?next=${encodeURIComponent('/en/account')}`);
  });

  it('profile update persists and is visible; the locale preference changes', async () => {
    const user = await createConfirmedUser();
    const b = await signedIn(user.email, user.password);
    const nickname = uniqueNickname();
    const saved = await b.post('/fr/account?_action=accounts.updateProfile', {
      name: 'Jeanne Nouveau-Nom',
      nickname,
      locale: 'fr',
      bio: 'Habitante du centre-ville.',
      avatar_url: 'https://example.com/avatar.png',
    });
    expect(saved.status).toBe(303);
    expect(saved.location).toBe('/fr/account?status=profile-saved');
    const account = await b.get(saved.location ?? '');
    expect(account.text).toContain('Votre profil a été enregistré.');
    expect(account.text).toContain('Jeanne Nouveau-Nom');
    expect(account.text).toContain(`@${nickname}`);
    expect(account.html).toContain('Habitante du centre-ville.');
    expect(account.html).toContain('value="https://example.com/avatar.png"');

    // Switching the profile to English: redirected to the English page, and `/` follows the profile.
    const english = await b.post('/fr/account?_action=accounts.updateProfile', { name: 'Jeanne Nouveau-Nom', nickname, locale: 'en' });
    expect(english.status).toBe(303);
    expect(english.location).toBe('/en/account?status=profile-saved');
    const en = await b.get(english.location ?? '');
    expect(en.lang).toBe('en');
    expect(en.text).toContain('Your profile has been saved.');
    const root = await b.get('/', { 'accept-language': 'fr-FR,fr;q=0.9' });
    expect(root.status).toBe(302);
    expect(root.location).toBe('/en/');
  });

  it('a nickname clash is a 4xx with the translated field error, nothing changed', async () => {
    const user = await createConfirmedUser({ name: 'Paul Pseudo' });
    const b = await signedIn(user.email, user.password);
    const before = await b.get('/fr/account');
    const nickname = /@([a-z0-9_-]+)/.exec(before.text)?.[1];
    const page = await b.post('/fr/account?_action=accounts.updateProfile', {
      name: 'Paul Changé',
      nickname: 'camille', // the demo account's
      locale: 'fr',
    });
    expect(page.status).toBeGreaterThanOrEqual(400);
    expect(page.status).toBeLessThan(500);
    expect(page.text).toContain('Ce pseudonyme est déjà utilisé. Choisissez-en un autre.');
    expect(page.html).toMatch(/id="profile-nickname"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="profile-nickname"/);
    // The typed values come back.
    expect(page.html).toContain('value="Paul Changé"');
    const after = await b.get('/fr/account');
    expect(after.text).toContain('Paul Pseudo');
    expect(after.text).toContain(`@${nickname}`);
  });

  it('a hostile name is stored as text and rendered escaped', async () => {
    const user = await createConfirmedUser();
    const b = await signedIn(user.email, user.password);
    const hostile = '<script>alert(1)</script>';
    const saved = await b.post('/fr/account?_action=accounts.updateProfile', {
      name: hostile,
      nickname: uniqueNickname(),
      locale: 'fr',
      bio: '<img src=x onerror=alert(2)>',
    });
    expect(saved.status).toBe(303);
    const account = await b.get('/fr/account');
    expect(account.html).not.toContain('<script>alert(1)</script>');
    expect(account.html).not.toContain('<img src=x');
    expect(account.text).toContain(hostile);
    const home = await b.get('/fr/');
    expect(home.html).not.toContain('<script>alert(1)</script>');
    expect(home.text).toContain(hostile);
  });

  it('notification preferences are saved', async () => {
    const user = await createConfirmedUser();
    const b = await signedIn(user.email, user.password);
    const saved = await b.post('/fr/account?_action=accounts.updatePreferences', {
      email_on_mention: 'true',
      notifications_digest: 'weekly',
      newsletter: 'true',
    });
    expect(saved.status).toBe(303);
    const page = await b.get('/fr/account');
    expect(page.html).toMatch(/<option value="weekly" selected/);
    expect(page.html).not.toMatch(/id="prefs-email_on_notification"[^>]*checked/);
    expect(page.html).toMatch(/id="prefs-newsletter"[^>]*checked/);
  });

  it('email change sends a confirmation and shows the pending address', async () => {
    const user = await createConfirmedUser();
    const b = await signedIn(user.email, user.password);
    const newEmail = uniqueEmail('newaddr');
    const same = await b.post('/fr/account?_action=accounts.changeEmail', { email: user.email });
    expect(same.status).toBe(422);
    expect(same.text).toContain('C’est déjà votre adresse électronique.');
    const page = await b.post('/fr/account?_action=accounts.changeEmail', { email: newEmail });
    expect(page.status).toBe(303);
    expect(page.location).toBe('/fr/account?status=email-change-sent');
    const account = await b.get(page.location ?? '');
    expect(account.text).toContain(`un courriel de confirmation a été envoyé à ${newEmail}`);

    // Following the link sent to the new address (in this browser) completes the change.
    const link = verifyLink(await waitForEmail(newEmail));
    expect(link).toContain('type=email_change');
    const verified = await b.get(link);
    expect(verified.status).toBe(303);
    const callback = await b.get(new URL(verified.location ?? '', link).toString());
    expect(callback.status).toBe(303);
    expect(callback.location).toBe('/fr/account?status=email-confirmed');
    const changed = await b.get('/fr/account');
    expect(changed.text).toContain(`Adresse actuelle : ${newEmail}`);
    expect(changed.text).not.toContain('Changement en attente');
    await signedIn(newEmail, user.password);
  });

  it('password change re-checks the current password', async () => {
    const user = await createConfirmedUser();
    const b = await signedIn(user.email, user.password);
    const wrong = await b.post('/fr/account?_action=accounts.changePassword', {
      current_password: 'pas le bon',
      password: 'nouvelle phrase secrète',
      password_confirmation: 'nouvelle phrase secrète',
    });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('Le mot de passe actuel est incorrect.');
    const ok = await b.post('/fr/account?_action=accounts.changePassword', {
      current_password: user.password,
      password: 'nouvelle phrase secrète',
      password_confirmation: 'nouvelle phrase secrète',
    });
    expect(ok.status).toBe(303);
    // Still signed in, and the new password works.
    expect((await b.get('/fr/account')).status).toBe(200);
    await signedIn(user.email, 'nouvelle phrase secrète');
  });

  it('account deletion needs the email typed, then removes the account and the session', async () => {
    const user = await createConfirmedUser();
    const b = await signedIn(user.email, user.password);
    const wrong = await b.post('/fr/account?_action=accounts.deleteAccount', { confirm_email: 'autre@example.com' });
    expect(wrong.status).toBe(422);
    expect(wrong.text).toContain('L’adresse saisie ne correspond pas à celle de votre compte.');
    const done = await b.post('/fr/account?_action=accounts.deleteAccount', { confirm_email: user.email.toUpperCase() });
    expect(done.status).toBe(303);
    expect(done.location).toBe('/fr/?status=account-deleted');
    expect(b.sessionCookies()).toEqual([]);
    const home = await b.get(done.location ?? '');
    expect(home.text).toContain('Votre compte et vos données personnelles ont été supprimés.');
    const again = await new Browser().post('/fr/sign-in?_action=accounts.signInWithPassword', { email: user.email, password: user.password });
    expect(again.status).toBe(400);
  });
});
