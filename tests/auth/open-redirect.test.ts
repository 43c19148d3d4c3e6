import { describe, expect, it } from 'vitest';
import { emailLinkDestination } from '../../src/features/accounts/accounts.ts';
import { safeNextPath } from '../../src/lib/http/safe-redirect.ts';
import { admin, Browser, createConfirmedUser, stack, waitForEmail } from '../web/helpers.ts';
import { verifyUrlFor } from './helpers.ts';

/**
 * Finding 1: `safeNextPath` checked the raw `next` and returned the URL parser's normalised form,
 * so `/.//evil.example`, `/fr/..//evil.example`, `/%2e//evil.example` became `//evil.example`, a
 * redirect to another host after sign-in, magic link, `/auth/callback` and `/auth/confirm`.
 */

/** Every way found to make a path that leaves the site once normalised or decoded. */
const ESCAPES = [
  '/.//evil.example',
  '/fr/..//evil.example',
  '/%2e//evil.example',
  '/%2E%2E//evil.example',
  '/.%2e//evil.example',
  '/fr/%2e%2e/%2e%2e//evil.example/x',
  '/./\\evil.example',
  '/.\\/evil.example',
  '/%2f/evil.example',
  '/%2F%2Fevil.example',
  '/%5cevil.example',
  '/%5C%5Cevil.example',
  '/\t/evil.example',
  '/\n/evil.example',
  '/\r\n/evil.example',
  '/%09/evil.example',
  '//evil.example',
  '/\\evil.example',
  '\\\\evil.example',
  'https://evil.example/',
  '/fr/..\\..\\evil.example',
];

/** What a browser does with a Location header: the origin it ends up on. */
const landsOn = (location: string) => new URL(location, stack().siteUrl).origin;

describe('safeNextPath', () => {
  it.each(ESCAPES)('%j never leaves the site', (next) => {
    const out = safeNextPath(next, '/fallback');
    expect(out).toBe('/fallback');
  });

  it.each([
    ['/fr/account', '/fr/account'],
    ['/fr/account?status=email-confirmed#x', '/fr/account?status=email-confirmed#x'],
    ['/fr/../en/processes', '/en/processes'],
    ['/fr/processes/caf%C3%A9', '/fr/processes/caf%C3%A9'],
  ])('%j stays %j', (next, expected) => {
    expect(safeNextPath(next, '/fallback')).toBe(expected);
  });

  it('what it returns is stable and same-origin once more', () => {
    for (const next of [...ESCAPES, '/fr/account', '/fr/./a/../b']) {
      const out = safeNextPath(next, '/fallback');
      expect(safeNextPath(out, '/other')).toBe(out);
      expect(landsOn(out)).toBe(stack().siteUrl);
    }
  });

  it('an email link’s next (the template’s RedirectTo) is unwrapped, then checked the same way', () => {
    const site = stack().siteUrl;
    const callback = (next: string) => `${site}/fr/auth/callback?next=${encodeURIComponent(next)}`;
    expect(emailLinkDestination(callback('/fr/account?status=email-confirmed'), site, '/d')).toBe('/fr/account?status=email-confirmed');
    expect(emailLinkDestination(`${site}/fr/processes`, site, '/d')).toBe('/fr/processes');
    expect(emailLinkDestination('https://evil.example/fr/auth/callback?next=/fr/', site, '/d')).toBe('/d');
    for (const next of ESCAPES) {
      expect(emailLinkDestination(callback(next), site, '/d')).toBe('/d');
      expect(emailLinkDestination(next, site, '/d')).toBe('/d');
    }
  });
});

describe('through HTTP', () => {
  it('sign-in with an escaping next goes home', async () => {
    const user = await createConfirmedUser();
    for (const next of ESCAPES) {
      const b = new Browser();
      const page = await b.post('/fr/sign-in?_action=accounts.signInWithPassword', { email: user.email, password: user.password, next });
      expect(page.status, next).toBe(303);
      expect(page.location, next).toBe('/fr/');
    }
  });

  it('the sign-in page does not carry an escaping next into its forms', async () => {
    for (const next of ESCAPES) {
      const page = await new Browser().get(`/fr/sign-in?next=${encodeURIComponent(next)}`);
      expect(page.status).toBe(200);
      expect(page.html).not.toContain('name="next"');
    }
  });

  it('a magic link asked for with an escaping next comes back home', async () => {
    const user = await createConfirmedUser();
    const b = new Browser();
    const sent = await b.post('/fr/sign-in?_action=accounts.sendMagicLink', { email: user.email, next: '/.//evil.example' });
    expect(sent.status).toBe(200);
    const mail = await waitForEmail(user.email);
    const link = new URL(/https?:\/\/[^\s"<>]+\/auth\/confirm\?[^\s"<>]+/.exec(mail.text ?? '')![0]);
    const callback = new URL(link.searchParams.get('next')!);
    expect(callback.searchParams.get('next')).toBe('/fr/');
  });

  it('/auth/confirm with an escaping next goes to the default page', async () => {
    const user = await createConfirmedUser();
    for (const next of ESCAPES) {
      const { data, error } = await admin().auth.admin.generateLink({ type: 'magiclink', email: user.email });
      expect(error).toBeNull();
      const b = new Browser();
      const page = await b.post('/fr/auth/confirm?_action=accounts.verifyEmailLink', {
        token_hash: data.properties!.hashed_token,
        type: 'magiclink',
        next,
      });
      expect(page.status, next).toBe(303);
      expect(page.location, next).toBe('/fr/account?status=signed-in');
      expect(landsOn(page.location!)).toBe(stack().siteUrl);
    }
  });

  it('/auth/callback with an escaping next goes to the account page', async () => {
    for (const next of ['/.//evil.example', '/fr/..//evil.example', '/%2e//evil.example', '/%2f%2fevil.example']) {
      const user = await createConfirmedUser();
      const b = new Browser();
      expect((await b.post('/fr/sign-in?_action=accounts.sendMagicLink', { email: user.email })).status).toBe(200);
      const mail = await waitForEmail(user.email);
      const confirm = /https?:\/\/[^\s"<>]+\/auth\/confirm\?[^\s"<>]+/.exec(mail.text ?? '')![0];
      // The Auth server's own link (default template, PKCE) sends this browser to the callback with a code.
      const verified = await b.get(verifyUrlFor(confirm));
      expect(verified.status).toBe(303);
      const callback = new URL(verified.location!);
      expect(callback.pathname).toBe('/fr/auth/callback');
      callback.searchParams.set('next', next);
      const page = await b.get(callback.toString());
      expect(page.status, next).toBe(303);
      expect(page.location, next).toBe('/fr/account');
    }
  });
});
