import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/lib/config.ts';
import { globToRegExp, isRedirectAllowed } from '../../supabase/local/api/auth/redirect.ts';
import { anonClient, PASSWORD, stack, uniqueEmail, waitForEmail } from './helpers.ts';

describe('redirect_to allow-list', () => {
  const config = parseConfig({
    SITE_URL: 'https://decidons.example.org',
    AUTH_URI_ALLOW_LIST: 'http://localhost:3000/**,https://*.preview.example.net/auth/*,myapp://*',
  });

  it('accepts the site itself and allow-listed globs only', () => {
    expect(isRedirectAllowed(config, 'https://decidons.example.org/auth/callback?next=/x')).toBe(true);
    expect(isRedirectAllowed(config, 'http://decidons.example.org/auth/callback')).toBe(false);
    expect(isRedirectAllowed(config, 'https://decidons.example.org:8443/')).toBe(false);
    expect(isRedirectAllowed(config, 'https://evil.example.com/?https://decidons.example.org')).toBe(false);
    expect(isRedirectAllowed(config, 'http://localhost:3000/deep/path')).toBe(true);
    expect(isRedirectAllowed(config, 'https://pr-12.preview.example.net/auth/callback')).toBe(true);
    expect(isRedirectAllowed(config, 'https://a.b.preview.example.net/auth/callback')).toBe(false);
    expect(isRedirectAllowed(config, 'myapp://callback')).toBe(true);
    expect(isRedirectAllowed(config, 'javascript:alert(1)')).toBe(false);
    expect(isRedirectAllowed(config, 'not a url')).toBe(false);
  });

  it('ignores the port on loopback sites', () => {
    const local = parseConfig({ SITE_URL: 'http://127.0.0.1:4321' });
    expect(isRedirectAllowed(local, 'http://127.0.0.1:5173/auth/callback')).toBe(true);
    expect(isRedirectAllowed(local, 'http://localhost:4321/auth/callback')).toBe(false);
  });

  it('compiles globs with segment-bound stars', () => {
    expect(globToRegExp('https://*.example.com').test('https://a.example.com')).toBe(true);
    expect(globToRegExp('https://*.example.com').test('https://a.b.example.com')).toBe(false);
    expect(globToRegExp('https://**.example.com').test('https://a.b.example.com')).toBe(true);
    expect(globToRegExp('myapp://{login,callback}').test('myapp://callback')).toBe(true);
    expect(globToRegExp('myapp://{login,callback}').test('myapp://other')).toBe(false);
    expect(globToRegExp('https://{a').test('https://a')).toBe(true);
  });

  it('falls back to the site URL in email links for a redirect that is not allowed', async () => {
    const email = uniqueEmail('evilredirect');
    await anonClient().auth.signUp({ email, password: PASSWORD, options: { emailRedirectTo: 'https://evil.example.com/steal' } });
    const mail = await waitForEmail(email);
    expect(new URL(mail.link).searchParams.get('redirect_to')).toBe(stack().siteUrl);
  });
});
