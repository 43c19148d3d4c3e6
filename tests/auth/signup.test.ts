import { describe, expect, it } from 'vitest';
import { anonClient, authFetch, fragment, openLink, PASSWORD, stack, uniqueEmail, waitForEmail } from './helpers.ts';

describe('sign-up with email confirmation', () => {
  it('emails a confirmation link that signs the user in, then password sign-in works', async () => {
    const email = uniqueEmail('signup');
    const client = anonClient();
    const redirectTo = `${stack().siteUrl}/auth/callback`;
    const { data, error } = await client.auth.signUp({ email, password: PASSWORD, options: { data: { name: 'Ada' }, emailRedirectTo: redirectTo } });
    expect(error).toBeNull();
    expect(data.session).toBeNull();
    expect(data.user?.email).toBe(email);
    expect(data.user?.identities).toHaveLength(1);
    expect(data.user?.user_metadata).toMatchObject({ name: 'Ada' });
    expect(data.user?.email_confirmed_at).toBeUndefined();

    const before = await client.auth.signInWithPassword({ email, password: PASSWORD });
    expect(before.error?.status).toBe(400);
    expect(before.error?.code).toBe('email_not_confirmed');

    const mail = await waitForEmail(email);
    // In the organization's name (the seeded demo city), not the software's.
    expect(mail.subject).toBe('Confirmez votre inscription – Ville de Belleville-sur-Loire');
    expect(mail.fromName).toBe('Ville de Belleville-sur-Loire');
    expect(mail.text).toContain('« Ville de Belleville-sur-Loire »');
    expect(mail.text).toContain('— Ville de Belleville-sur-Loire');
    expect(mail.text).not.toContain('Décidons');
    expect(mail.otp).toMatch(/^\d{6}$/);
    expect(mail.html).toContain(mail.otp);
    // The SSR template's link: the site's confirm page, with the token hash, from any browser.
    const link = new URL(mail.confirmLink);
    expect(link.origin + link.pathname).toBe(`${stack().siteUrl}/fr/auth/confirm`);
    expect(link.searchParams.get('token_hash')).toMatch(/^[0-9a-f]{56}$/);
    expect(link.searchParams.get('type')).toBe('signup');
    expect(link.searchParams.get('next')).toBe(redirectTo);
    expect(mail.text).toContain(`${stack().siteUrl}/fr/auth/code?type=signup&email=${encodeURIComponent(email)}`);

    // The link is opened in a browser: no API key, 303 to the app with the session in the fragment.
    const { status, location } = await openLink(mail.link);
    expect(status).toBe(303);
    expect(location.origin + location.pathname).toBe(redirectTo);
    const params = fragment(location);
    expect(params.get('type')).toBe('signup');
    expect(params.get('token_type')).toBe('bearer');
    expect(Number(params.get('expires_in'))).toBeGreaterThan(0);
    const accessToken = params.get('access_token')!;
    const { data: viaLink } = await client.auth.getUser(accessToken);
    expect(viaLink.user?.email_confirmed_at).toBeTruthy();

    // The link is spent.
    const again = await openLink(mail.link);
    expect(fragment(again.location).get('error_code')).toBe('otp_expired');
    expect(fragment(again.location).get('error')).toBe('access_denied');

    const signedIn = await client.auth.signInWithPassword({ email, password: PASSWORD });
    expect(signedIn.error).toBeNull();
    const session = signedIn.data.session!;
    expect(session.expires_at).toBeGreaterThan(Date.now() / 1000);
    const claims = JSON.parse(Buffer.from(session.access_token.split('.')[1]!, 'base64url').toString());
    expect(claims).toMatchObject({
      iss: `${stack().supabaseUrl}/auth/v1`,
      sub: viaLink.user?.id,
      aud: 'authenticated',
      role: 'authenticated',
      email,
      aal: 'aal1',
      is_anonymous: false,
      amr: [{ method: 'password' }],
    });
    expect(claims.exp - claims.iat).toBe(3600);
    expect(typeof claims.session_id).toBe('string');

    const me = await client.auth.getUser();
    expect(me.error).toBeNull();
    expect(me.data.user?.id).toBe(viaLink.user?.id);
  });

  it('confirms with the 6-digit code through verifyOtp', async () => {
    const email = uniqueEmail('otpcode');
    const client = anonClient();
    await client.auth.signUp({ email, password: PASSWORD });
    const mail = await waitForEmail(email);

    const wrong = await client.auth.verifyOtp({ email, token: mail.otp === '000000' ? '111111' : '000000', type: 'signup' });
    expect(wrong.error?.status).toBe(403);
    expect(wrong.error?.code).toBe('otp_expired');

    const { data, error } = await client.auth.verifyOtp({ email, token: mail.otp, type: 'signup' });
    expect(error).toBeNull();
    expect(data.session?.access_token).toBeTruthy();
    expect(data.user?.email_confirmed_at).toBeTruthy();
    expect(data.user?.user_metadata.email_verified).toBe(true);
    const claims = JSON.parse(Buffer.from(data.session!.access_token.split('.')[1]!, 'base64url').toString());
    expect(claims.amr).toEqual([{ method: 'otp', timestamp: expect.any(Number) }]);
  });

  it('confirms with the token hash (the SSR email-template pattern)', async () => {
    const email = uniqueEmail('tokenhash');
    const client = anonClient();
    await client.auth.signUp({ email, password: PASSWORD });
    const mail = await waitForEmail(email);
    const tokenHash = new URL(mail.link).searchParams.get('token')!;
    const { data, error } = await client.auth.verifyOtp({ token_hash: tokenHash, type: 'email' });
    expect(error).toBeNull();
    expect(data.session?.user.email).toBe(email);
  });

  it('answers a second sign-up for a confirmed address with a decoy user and sends nothing', async () => {
    const email = uniqueEmail('dup');
    const client = anonClient();
    await client.auth.signUp({ email, password: PASSWORD });
    const mail = await waitForEmail(email);
    await client.auth.verifyOtp({ email, token: mail.otp, type: 'signup' });

    const { data, error } = await client.auth.signUp({ email, password: 'another-password-123' });
    expect(error).toBeNull();
    expect(data.session).toBeNull();
    expect(data.user?.identities).toEqual([]);
    expect(data.user?.email).toBe(email);
    // The real password still works.
    expect((await client.auth.signInWithPassword({ email, password: PASSWORD })).error).toBeNull();
  });

  it('throttles confirmation emails per address (429 over_email_send_rate_limit)', async () => {
    const email = uniqueEmail('throttle');
    const client = anonClient();
    expect((await client.auth.signUp({ email, password: PASSWORD })).error).toBeNull();
    const resend = await client.auth.resend({ type: 'signup', email });
    expect(resend.error?.status).toBe(429);
    expect(resend.error?.code).toBe('over_email_send_rate_limit');
    expect(resend.error?.message).toMatch(/^For security purposes, you can only request this after \d+ seconds\.$/);
    // Signing up again for the unconfirmed address resends, so it is throttled too.
    const again = await client.auth.signUp({ email, password: PASSWORD });
    expect(again.error?.status).toBe(429);
  });

  it('writes English emails for users who chose English', async () => {
    const email = uniqueEmail('english');
    await anonClient().auth.signUp({ email, password: PASSWORD, options: { data: { locale: 'en' } } });
    const mail = await waitForEmail(email);
    expect(mail.subject).toBe('Confirm your signup – City of Belleville-sur-Loire');
    expect(mail.fromName).toBe('City of Belleville-sur-Loire');
    expect(mail.html).toContain('lang="en"');
    expect(new URL(mail.confirmLink).pathname).toBe('/en/auth/confirm');
  });

  it('refuses weak and missing passwords and bad addresses with GoTrue codes', async () => {
    const client = anonClient();
    const weak = await client.auth.signUp({ email: uniqueEmail('weak'), password: 'short' });
    expect(weak.error?.status).toBe(422);
    expect(weak.error?.code).toBe('weak_password');
    expect(weak.error).toMatchObject({ reasons: ['length'] });

    const empty = await authFetch('/signup', { body: JSON.stringify({ email: uniqueEmail('nopw'), password: '' }) });
    expect(empty.status).toBe(400);
    expect(empty.body).toEqual({ code: 'validation_failed', message: 'Signup requires a valid password' });

    const badEmail = await client.auth.signUp({ email: 'not-an-email', password: PASSWORD });
    expect(badEmail.error?.status).toBe(400);
    expect(badEmail.error?.code).toBe('validation_failed');

    const long = await client.auth.signUp({ email: uniqueEmail('long'), password: 'x'.repeat(73) });
    expect(long.error?.status).toBe(400);
    expect(long.error?.code).toBe('validation_failed');
  });
});

describe('password sign-in', () => {
  it('gives the same 400 invalid_credentials for a wrong password and an unknown address', async () => {
    const email = uniqueEmail('signin');
    const client = anonClient();
    await client.auth.signUp({ email, password: PASSWORD });
    const mail = await waitForEmail(email);
    await client.auth.verifyOtp({ email, token: mail.otp, type: 'signup' });

    const wrong = await client.auth.signInWithPassword({ email, password: 'wrong-password' });
    expect(wrong.error?.status).toBe(400);
    expect(wrong.error?.code).toBe('invalid_credentials');
    expect(wrong.error?.message).toBe('Invalid login credentials');

    const unknown = await client.auth.signInWithPassword({ email: uniqueEmail('nobody'), password: PASSWORD });
    expect(unknown.error?.status).toBe(400);
    expect(unknown.error?.code).toBe('invalid_credentials');

    const upper = await client.auth.signInWithPassword({ email: email.toUpperCase(), password: PASSWORD });
    expect(upper.error).toBeNull();
  });
});
