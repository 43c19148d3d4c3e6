import { describe, expect, it } from 'vitest';
import { anonClient, authFetch, confirmedUser, openLink, PASSWORD, signedIn, stack, uniqueEmail, waitForEmail } from './helpers.ts';

describe('updateUser', () => {
  it('merges metadata, a null value deleting its key', async () => {
    const { client } = await signedIn('meta');
    await client.auth.updateUser({ data: { name: 'Ada', city: 'Lyon', locale: 'fr' } });
    const { data, error } = await client.auth.updateUser({ data: { city: null, name: 'Ada L.' } });
    expect(error).toBeNull();
    expect(data.user?.user_metadata).toMatchObject({ name: 'Ada L.', locale: 'fr' });
    expect(data.user?.user_metadata).not.toHaveProperty('city');
    // The session's user is updated too, and the next token carries the new metadata.
    const { data: refreshed } = await client.auth.refreshSession();
    const claims = JSON.parse(Buffer.from(refreshed.session!.access_token.split('.')[1]!, 'base64url').toString());
    expect(claims.user_metadata).toMatchObject({ name: 'Ada L.' });
  });

  it('stores markup as data and returns it JSON-escaped', async () => {
    const { client, session } = await signedIn('markup');
    const hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>';
    expect((await client.auth.updateUser({ data: { bio: hostile } })).error).toBeNull();
    // A `__proto__` key is kept as data, never applied as a prototype.
    const proto = await authFetch('/user', { method: 'PUT', bearer: session.access_token, body: '{"data":{"__proto__":{"admin":true}}}' });
    expect(proto.status).toBe(200);
    const res = await fetch(`${stack().supabaseUrl}/auth/v1/user`, { headers: { apikey: stack().anonKey, Authorization: `Bearer ${session.access_token}` } });
    expect(res.headers.get('content-type')).toContain('application/json');
    const text = await res.text();
    expect(text).toContain('"bio":"\\u003cscript\\u003ealert(\\"x\\")\\u003c/script\\u003e\\u003cimg src=x onerror=alert(1)\\u003e"');
    expect(text).not.toContain('<');
    const user = JSON.parse(text) as { user_metadata: Record<string, unknown> };
    expect(user.user_metadata.bio).toBe(hostile);
    expect(Object.getOwnPropertyDescriptor(user.user_metadata, '__proto__')?.value).toEqual({ admin: true });
  });

  it('changes the password, refusing the same one, and signs the other sessions out', async () => {
    const { client, email } = await signedIn('password');
    const other = anonClient();
    const otherSession = (await other.auth.signInWithPassword({ email, password: PASSWORD })).data.session!;

    const same = await client.auth.updateUser({ password: PASSWORD });
    expect(same.error?.status).toBe(422);
    expect(same.error?.code).toBe('same_password');
    const weak = await client.auth.updateUser({ password: 'tiny' });
    expect(weak.error?.code).toBe('weak_password');

    expect((await client.auth.updateUser({ password: 'a-new-password-42' })).error).toBeNull();
    expect((await client.auth.getUser()).error).toBeNull();
    expect((await authFetch('/user', { bearer: otherSession.access_token })).body.code).toBe('session_not_found');
    expect((await anonClient().auth.signInWithPassword({ email, password: PASSWORD })).error?.code).toBe('invalid_credentials');
    expect((await anonClient().auth.signInWithPassword({ email, password: 'a-new-password-42' })).error).toBeNull();
  });

  it('changes the email once the new address confirms with the code', async () => {
    const { client, email } = await signedIn('change');
    const newEmail = uniqueEmail('changed');
    const { data, error } = await client.auth.updateUser({ email: newEmail });
    expect(error).toBeNull();
    expect(data.user?.email).toBe(email);
    expect(data.user?.new_email).toBe(newEmail);

    const mail = await waitForEmail(newEmail);
    expect(mail.subject).toBe('Confirmez votre nouvelle adresse – Ville de Belleville-sur-Loire');
    const verified = await client.auth.verifyOtp({ email: newEmail, token: mail.otp, type: 'email_change' });
    expect(verified.error).toBeNull();
    expect(verified.data.user?.email).toBe(newEmail);
    expect(verified.data.user?.new_email).toBeUndefined();
    expect((await anonClient().auth.signInWithPassword({ email: newEmail, password: PASSWORD })).error).toBeNull();
    expect((await anonClient().auth.signInWithPassword({ email, password: PASSWORD })).error?.code).toBe('invalid_credentials');
  });

  it('changes the email from the link too, and throttles repeated requests', async () => {
    const { client } = await signedIn('changelink');
    const newEmail = uniqueEmail('changedlink');
    await client.auth.updateUser({ email: newEmail }, { emailRedirectTo: `${stack().siteUrl}/compte` });
    const again = await client.auth.updateUser({ email: uniqueEmail('third') });
    expect(again.error?.status).toBe(429);
    const mail = await waitForEmail(newEmail);
    const { status, location } = await openLink(mail.link);
    expect(status).toBe(303);
    expect(location.pathname).toBe('/compte');
    expect((await client.auth.getUser()).data.user?.email).toBe(newEmail);
  });

  it('refuses an address another account uses, and app_metadata from users', async () => {
    const { client } = await signedIn('taken');
    const other = await confirmedUser('owner');
    const taken = await client.auth.updateUser({ email: other.email });
    expect(taken.error?.status).toBe(422);
    expect(taken.error?.code).toBe('email_exists');
    const res = await authFetch('/user', {
      method: 'PUT',
      bearer: (await client.auth.getSession()).data.session!.access_token,
      body: JSON.stringify({ app_metadata: { role: 'admin' } }),
    });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('not_admin');
  });
});
