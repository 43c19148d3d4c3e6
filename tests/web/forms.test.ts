import { beforeAll, describe, expect, it } from 'vitest';
import { Browser, createConfirmedUser, signedIn, uniqueEmail } from './helpers.ts';

/**
 * Every form, fed missing, oversized, wrongly typed and hostile input: always a 4xx with a
 * translated message in the page, never a 500 or a stack trace, and nothing changed.
 */

interface FormCase {
  name: string;
  page: string;
  action: string;
  /** Needs a signed-in browser. */
  auth: boolean;
  /** A field that must hold text. */
  textField: string;
  valid: () => Record<string, string>;
  /** What the page says instead of field errors (reset-password without a recovery session). */
  refusal?: RegExp;
}

const FORMS: FormCase[] = [
  {
    name: 'sign-up',
    page: '/fr/sign-up',
    action: 'accounts.signUp',
    auth: false,
    textField: 'name',
    valid: () => ({ name: 'Valide', email: uniqueEmail('bad'), password: 'une phrase de passe solide', accept_terms: 'on' }),
  },
  {
    name: 'sign-in',
    page: '/fr/sign-in',
    action: 'accounts.signInWithPassword',
    auth: false,
    textField: 'email',
    valid: () => ({ email: uniqueEmail('bad'), password: 'whatever-password' }),
  },
  {
    name: 'magic link',
    page: '/fr/sign-in',
    action: 'accounts.sendMagicLink',
    auth: false,
    textField: 'email',
    valid: () => ({ email: uniqueEmail('bad') }),
  },
  {
    name: 'forgot password',
    page: '/fr/forgot-password',
    action: 'accounts.requestPasswordReset',
    auth: false,
    textField: 'email',
    valid: () => ({ email: uniqueEmail('bad') }),
  },
  {
    name: 'reset password',
    page: '/fr/reset-password',
    action: 'accounts.resetPassword',
    auth: true,
    textField: 'password',
    valid: () => ({ password: 'une phrase de passe solide', password_confirmation: 'une phrase de passe solide' }),
    refusal: /ouvrez le lien reçu par courriel/,
  },
  {
    name: 'profile',
    page: '/fr/account',
    action: 'accounts.updateProfile',
    auth: true,
    textField: 'name',
    valid: () => ({ name: 'Valide', nickname: 'valide_nick', locale: 'fr' }),
  },
  {
    name: 'preferences',
    page: '/fr/account',
    action: 'accounts.updatePreferences',
    auth: true,
    textField: 'notifications_digest',
    valid: () => ({ notifications_digest: 'daily' }),
  },
  {
    name: 'email change',
    page: '/fr/account',
    action: 'accounts.changeEmail',
    auth: true,
    textField: 'email',
    valid: () => ({ email: uniqueEmail('bad') }),
  },
  {
    name: 'password change',
    page: '/fr/account',
    action: 'accounts.changePassword',
    auth: true,
    textField: 'current_password',
    valid: () => ({ current_password: 'x', password: 'une phrase de passe solide', password_confirmation: 'une phrase de passe solide' }),
  },
  {
    name: 'account deletion',
    page: '/fr/account',
    action: 'accounts.deleteAccount',
    auth: true,
    textField: 'confirm_email',
    valid: () => ({ confirm_email: 'not-mine@example.com' }),
  },
];

const MB = 'x'.repeat(1024 * 1024);

function expectRefused(page: { status: number; html: string; text: string }, what: string, refusal?: RegExp) {
  expect(page.status, what).toBeGreaterThanOrEqual(400);
  expect(page.status, what).toBeLessThan(500);
  expect(page.html, what).toMatch(/<html[^>]*lang="fr"/);
  expect(page.html, what).not.toMatch(/\bat [\w.<>]+ \(|node_modules|Error: /);
  // A translated message is on the page (the summary, or a form-level alert).
  expect(page.text, what).toMatch(refusal ?? /Le formulaire contient des erreurs|trop volumineuses|n'a pas pu être lu/);
}

describe('bad input on every form', () => {
  let user: Awaited<ReturnType<typeof createConfirmedUser>>;
  let signedInBrowser: Browser;

  beforeAll(async () => {
    user = await createConfirmedUser({ name: 'Intacte Personne' });
    signedInBrowser = await signedIn(user.email, user.password);
  });

  const browserFor = (f: FormCase) => (f.auth ? signedInBrowser : new Browser());

  for (const f of FORMS) {
    describe(f.name, () => {
      it('missing fields → 4xx with messages', async () => {
        const page = await browserFor(f).post(`${f.page}?_action=${f.action}`, { unrelated: '1' });
        expectRefused(page, `${f.name} missing`, f.refusal);
        if (f.action !== 'accounts.updatePreferences' && !f.refusal) expect(page.text).toContain('Ce champ est obligatoire.');
      });

      it('oversized values (1 MB) → 4xx', async () => {
        const page = await browserFor(f).post(`${f.page}?_action=${f.action}`, { ...f.valid(), [f.textField]: MB });
        expectRefused(page, `${f.name} oversized`, f.refusal);
        // The megabyte is not echoed back into the page.
        expect(page.html.length).toBeLessThan(200_000);
      });

      it('wrong types → 4xx', async () => {
        const multipart = new FormData();
        for (const [k, v] of Object.entries(f.valid())) multipart.set(k, v);
        multipart.set(f.textField, new Blob(['not text'], { type: 'application/octet-stream' }), 'file.bin');
        const file = await browserFor(f).post(`${f.page}?_action=${f.action}`, multipart);
        expectRefused(file, `${f.name} file instead of text`, f.refusal);

        const json = await browserFor(f).request(`${f.page}?_action=${f.action}`, {
          method: 'POST',
          headers: { origin: browserFor(f).base, 'content-type': 'application/json' },
          body: JSON.stringify(f.valid()),
        });
        expect(json.status, `${f.name} json`).toBeGreaterThanOrEqual(400);
        expect(json.status, `${f.name} json`).toBeLessThan(500);
      });

      it('hostile values are refused or stored as text, never executed', async () => {
        const page = await browserFor(f).post(`${f.page}?_action=${f.action}`, {
          ...f.valid(),
          [f.textField]: '<script>alert(1)</script>',
          locale: 'xx"><script>',
          notifications_digest: "weekly'; drop table profiles;--",
        });
        expect(page.status, f.name).toBeLessThan(500);
        expect(page.html).not.toContain('<script>alert(1)</script>');
        expect(page.html).not.toContain('"><script>');
      });

      it('a cross-site post is rejected', async () => {
        const page = await browserFor(f).post(`${f.page}?_action=${f.action}`, f.valid(), { origin: 'https://evil.example' });
        expect(page.status).toBe(403);
      });
    });
  }

  it('nothing changed for the signed-in person', async () => {
    const account = await signedInBrowser.get('/fr/account');
    expect(account.status).toBe(200);
    expect(account.text).toContain('Intacte Personne');
    expect(account.text).toContain(user.email);
    expect(account.html).toMatch(/<option value="none" selected/);
    // Still the same password.
    await signedIn(user.email, user.password);
  });

  it('invalid profile values are translated field errors', async () => {
    const page = await signedInBrowser.post('/fr/account?_action=accounts.updateProfile', {
      name: '   ',
      nickname: 'Pas Valide!',
      locale: 'de',
      avatar_url: 'javascript:alert(1)',
      bio: 'b'.repeat(1001),
    });
    expect(page.status).toBe(400);
    expect(page.text).toContain('Ce champ est obligatoire.');
    expect(page.text).toContain('Le pseudonyme doit faire 2 à 20 caractères');
    expect(page.text).toContain('Choisissez une des options proposées.');
    expect(page.text).toContain('Saisissez une adresse web valide');
    expect(page.text).toContain('Saisissez au plus 1000 caractères.');
    expect(page.html).not.toContain('href="javascript:');
  });

  it('sign-up: bad email, short password and no consent are each reported', async () => {
    const page = await new Browser().post('/fr/sign-up?_action=accounts.signUp', {
      name: 'Quelqu’un',
      email: 'pas-une-adresse',
      password: 'court',
    });
    expect(page.status).toBe(400);
    expect(page.text).toContain('Saisissez une adresse électronique valide');
    expect(page.text).toContain('Saisissez au moins 8 caractères.');
    expect(page.text).toContain('Vous devez accepter les conditions d’utilisation');
    expect(page.html).toContain('value="Quelqu’un"');
    expect(page.html).toContain('value="pas-une-adresse"');
    expect(page.html).not.toContain('value="court"');
    expect(page.html).toContain('href="#field-email"');
  });

  it('English forms answer in English', async () => {
    const page = await new Browser().post('/en/sign-up?_action=accounts.signUp', { name: '', email: '', password: '' });
    expect(page.status).toBe(400);
    expect(page.lang).toBe('en');
    expect(page.text).toContain('The form has errors.');
    expect(page.text).toContain('This field is required.');
  });
});

describe('no route answers 500', () => {
  const GETS: [string, number][] = [
    ['/healthz', 200],
    ['/fr/', 200],
    ['/en/', 200],
    ['/fr', 200],
    ['/fr/sign-up', 200],
    ['/fr/sign-in', 200],
    ['/fr/sign-in?next=//evil.example', 200],
    ['/fr/forgot-password', 200],
    ['/fr/reset-password', 403],
    ['/fr/account', 303],
    ['/fr/sign-out', 303],
    ['/fr/accessibility', 200],
    ['/en/accessibility', 200],
    ['/fr/auth/callback', 400],
    ['/fr/auth/callback?code=not-a-real-code', 400],
    ['/fr/auth/callback?error=access_denied&error_code=otp_expired&error_description=Email+link+is+invalid', 400],
    ['/fr/auth/callback?error_code=%3Cscript%3E', 400],
    ['/fr/auth/confirm', 400],
    // A well-formed link only shows its confirmation button (the POST checks the token): 200.
    ['/fr/auth/confirm?token_hash=nope&type=signup', 200],
    ['/fr/auth/confirm?token_hash=nope&type=bogus', 400],
    ['/de/', 404],
    ['/xx/sign-in', 404],
    ['/fr/does-not-exist', 404],
    ['/en/does/not/exist', 404],
  ];
  for (const [path, status] of GETS) {
    it(`GET ${path} → ${status}`, async () => {
      const page = await new Browser().get(path);
      expect(page.status).toBe(status);
      if (status !== 303 && !path.startsWith('/healthz')) {
        expect(page.lang).toMatch(/^(fr|en)$/);
        expect(page.html).not.toMatch(/node_modules|\bat [\w.<>]+ \(/);
      }
    });
  }

  it('the callback error is translated, the raw description is not shown', async () => {
    const page = await new Browser().get('/fr/auth/callback?error=access_denied&error_code=otp_expired&error_description=Email+link+is+invalid');
    expect(page.text).toContain("Ce lien n'est plus valide ou a expiré.");
    expect(page.text).not.toContain('Email link is invalid');
  });

  it('POSTs to pages without an action do not fail', async () => {
    const b = new Browser();
    for (const path of ['/fr/', '/fr/sign-in', '/fr/account', '/fr/sign-out', '/fr/accessibility', '/fr/sign-up?_action=accounts.nope']) {
      const page = await b.post(path, { a: '1' });
      expect(page.status, path).toBeLessThan(500);
    }
  });
});
