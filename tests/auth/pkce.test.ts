import { createServerClient } from '@supabase/ssr';
import { afterAll, describe, expect, it } from 'vitest';
import { connectTestDb } from '../helpers/db.ts';
import { anonClient, authFetch, confirmedUser, fragment, openLink, PASSWORD, pkceClient, stack, uniqueEmail, waitForEmail } from './helpers.ts';

const db = connectTestDb();
afterAll(() => db.end());

const callback = () => `${stack().siteUrl}/auth/callback`;
const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());
const exchange = (authCode: string, codeVerifier: string) =>
  authFetch('/token?grant_type=pkce', { body: JSON.stringify({ auth_code: authCode, code_verifier: codeVerifier }) });

/** Requests a magic link with a PKCE client and opens it; returns the code from the redirect. */
async function magicLinkCode(email: string) {
  const pkce = pkceClient();
  const { error } = await pkce.client.auth.signInWithOtp({ email, options: { emailRedirectTo: callback() } });
  expect(error).toBeNull();
  const mail = await waitForEmail(email);
  const { status, location } = await openLink(mail.link);
  expect(status).toBe(303);
  return { ...pkce, mail, location, code: location.searchParams.get('code') ?? '' };
}

describe('magic link with PKCE', () => {
  it('redirects with a single-use code that exchangeCodeForSession turns into a session', async () => {
    const { email, id } = await confirmedUser('magic');
    const { client, mail, location, code, verifier } = await magicLinkCode(email);
    expect(mail.subject).toBe('Votre lien de connexion – Ville de Belleville-sur-Loire');
    expect(new URL(mail.link).searchParams.get('token')).toMatch(/^pkce_[0-9a-f]{56}$/);
    expect(location.origin + location.pathname).toBe(callback());
    expect(code).toMatch(/^[0-9a-f-]{36}$/);
    const codeVerifier = verifier();

    const { data, error } = await client.auth.exchangeCodeForSession(code);
    expect(error).toBeNull();
    expect(data.user?.id).toBe(id);
    expect(claimsOf(data.session!.access_token).amr[0].method).toBe('magiclink');
    expect((await client.auth.getUser()).data.user?.email).toBe(email);

    const replay = await exchange(code, codeVerifier);
    expect(replay.status).toBe(404);
    expect(replay.body.code).toBe('flow_state_not_found');
  });

  it('refuses a wrong verifier without consuming the code', async () => {
    const { email } = await confirmedUser('verifier');
    const { client, code } = await magicLinkCode(email);
    const wrong = await exchange(code, 'f'.repeat(112));
    expect(wrong.status).toBe(400);
    expect(wrong.body.code).toBe('bad_code_verifier');
    expect((await client.auth.exchangeCodeForSession(code)).error).toBeNull();
  });

  it('expires codes five minutes after the link was opened', async () => {
    const { email } = await confirmedUser('expiry');
    const { code, verifier } = await magicLinkCode(email);
    await db`update auth.flow_state set auth_code_issued_at = now() - interval '6 minutes' where auth_code = ${code}`;
    const res = await exchange(code, verifier());
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('flow_state_expired');
  });

  it('needs both the code and the verifier', async () => {
    const res = await exchange('', '');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
  });

  it('also works across browsers through the token hash (verifyOtp)', async () => {
    const { email, id } = await confirmedUser('crossbrowser');
    const { client } = pkceClient();
    await client.auth.signInWithOtp({ email });
    const mail = await waitForEmail(email);
    const tokenHash = new URL(mail.link).searchParams.get('token')!;
    const { data, error } = await anonClient().auth.verifyOtp({ token_hash: tokenHash, type: 'magiclink' });
    expect(error).toBeNull();
    expect(data.user?.id).toBe(id);
  });

  it('puts link errors in the query as well as the fragment', async () => {
    const res = await fetch(`${stack().supabaseUrl}/auth/v1/verify?token=pkce_nope&type=magiclink&redirect_to=${encodeURIComponent(callback())}`, {
      redirect: 'manual',
    });
    expect(res.status).toBe(303);
    const location = new URL(res.headers.get('location')!);
    expect(location.searchParams.get('error_code')).toBe('otp_expired');
    expect(fragment(location).get('error_description')).toBe('Email link is invalid or has expired');
  });

  it('validates the code challenge', async () => {
    const res = await authFetch('/otp', { body: JSON.stringify({ email: uniqueEmail('challenge'), code_challenge: 'short', code_challenge_method: 's256' }) });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
    const half = await authFetch('/otp', { body: JSON.stringify({ email: uniqueEmail('challenge'), code_challenge: 'a'.repeat(43), code_challenge_method: null }) });
    expect(half.status).toBe(400);
    expect(half.body.message).toBe('PKCE flow requires code_challenge_method and code_challenge');
  });
});

describe('sign-in with OTP', () => {
  it('signs a new address up: the confirmation email, then a code sign-in', async () => {
    const email = uniqueEmail('otpnew');
    const client = anonClient();
    expect((await client.auth.signInWithOtp({ email, options: { data: { locale: 'fr', name: 'Zoé' } } })).error).toBeNull();
    const mail = await waitForEmail(email);
    expect(mail.subject).toBe('Confirmez votre inscription – Ville de Belleville-sur-Loire');
    const { data, error } = await client.auth.verifyOtp({ email, token: mail.otp, type: 'email' });
    expect(error).toBeNull();
    expect(data.user?.user_metadata).toMatchObject({ name: 'Zoé' });
  });

  it('refuses unknown addresses when shouldCreateUser is false (422 otp_disabled)', async () => {
    const { error } = await anonClient().auth.signInWithOtp({ email: uniqueEmail('nocreate'), options: { shouldCreateUser: false } });
    expect(error?.status).toBe(422);
    expect(error?.code).toBe('otp_disabled');
  });

  it('confirms a PKCE sign-up from the email link', async () => {
    const email = uniqueEmail('pkcesignup');
    const { client } = pkceClient();
    const signUp = await client.auth.signUp({ email, password: PASSWORD, options: { emailRedirectTo: callback() } });
    expect(signUp.error).toBeNull();
    const mail = await waitForEmail(email);
    const { location } = await openLink(mail.link);
    const { data, error } = await client.auth.exchangeCodeForSession(location.searchParams.get('code')!);
    expect(error).toBeNull();
    expect(data.user?.email_confirmed_at).toBeTruthy();
    expect(claimsOf(data.session!.access_token).amr[0].method).toBe('email/signup');
  });
});

describe('password recovery', () => {
  it('PKCE: the code exchange emits PASSWORD_RECOVERY, then the new password works', async () => {
    const { email } = await confirmedUser('recoverpkce');
    const { client } = pkceClient();
    const events: string[] = [];
    client.auth.onAuthStateChange((event) => void events.push(event));
    expect((await client.auth.resetPasswordForEmail(email, { redirectTo: callback() })).error).toBeNull();
    const mail = await waitForEmail(email);
    expect(mail.subject).toBe('Réinitialisez votre mot de passe – Ville de Belleville-sur-Loire');
    const { location } = await openLink(mail.link);
    expect((await client.auth.exchangeCodeForSession(location.searchParams.get('code')!)).error).toBeNull();
    expect(events).toContain('PASSWORD_RECOVERY');
    expect((await client.auth.updateUser({ password: 'a-brand-new-password' })).error).toBeNull();
    expect((await anonClient().auth.signInWithPassword({ email, password: 'a-brand-new-password' })).error).toBeNull();
  });

  it('implicit: the link carries a recovery session in the fragment', async () => {
    const { email } = await confirmedUser('recoverimplicit');
    await anonClient().auth.resetPasswordForEmail(email, { redirectTo: callback() });
    const mail = await waitForEmail(email);
    const { location } = await openLink(mail.link);
    const params = fragment(location);
    expect(params.get('type')).toBe('recovery');
    const client = anonClient();
    const { error } = await client.auth.setSession({ access_token: params.get('access_token')!, refresh_token: params.get('refresh_token')! });
    expect(error).toBeNull();
    expect((await client.auth.updateUser({ password: 'recovered-password' })).error).toBeNull();
  });

  it('answers {} for unknown addresses too', async () => {
    const res = await authFetch('/recover', { body: JSON.stringify({ email: uniqueEmail('unknown') }) });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({});
  });
});

describe('@supabase/ssr server client', () => {
  /** The cookies a browser would hold between requests to the app. */
  function cookieJar() {
    const jar = new Map<string, string>();
    const client = () =>
      createServerClient(stack().supabaseUrl, stack().anonKey, {
        cookies: {
          getAll: () => [...jar].map(([name, value]) => ({ name, value })),
          setAll: (cookies) => {
            for (const { name, value, options } of cookies) {
              if (options.maxAge === 0 || value === '') jar.delete(name);
              else jar.set(name, value);
            }
          },
        },
      });
    return { jar, client };
  }

  it('runs the magic-link flow across requests through cookies', async () => {
    const { email, id } = await confirmedUser('ssr');
    const { jar, client } = cookieJar();
    // Request 1: the sign-in form posts; the verifier is written as a cookie at once.
    expect((await client().auth.signInWithOtp({ email, options: { emailRedirectTo: callback() } })).error).toBeNull();
    expect([...jar.keys()]).toContain('sb-127-auth-token-code-verifier');
    // The browser opens the link, lands on the app's callback route with ?code=…
    const mail = await waitForEmail(email);
    const { location } = await openLink(mail.link);
    // Request 2: the callback exchanges the code, reading the verifier cookie.
    const exchanged = await client().auth.exchangeCodeForSession(location.searchParams.get('code')!);
    expect(exchanged.error).toBeNull();
    const sessionCookie = [...jar].find(([name]) => name === 'sb-127-auth-token' || name === 'sb-127-auth-token.0');
    expect(sessionCookie?.[1]).toMatch(/^base64-/);
    // Request 3: any page asks who is signed in.
    const { data, error } = await client().auth.getUser();
    expect(error).toBeNull();
    expect(data.user?.id).toBe(id);
  });
});
