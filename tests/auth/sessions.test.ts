import { describe, expect, it } from 'vitest';
import { anonClient, authFetch, forgeJwt, signedIn, sleep, stack } from './helpers.ts';

const refresh = (token: string) => authFetch('/token?grant_type=refresh_token', { body: JSON.stringify({ refresh_token: token }) });

describe('refresh tokens', () => {
  it('rotates, answers concurrent refreshes with the same child, and revokes the family on late reuse', async () => {
    const { session } = await signedIn('refresh');
    const original = session.refresh_token;

    // Two tabs refresh at once with the same token: both get the same child.
    const [a, b] = await Promise.all([refresh(original), refresh(original)]);
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(a.body.refresh_token).toBe(b.body.refresh_token);
    expect(a.body.refresh_token).not.toBe(original);
    expect(a.body).toMatchObject({ token_type: 'bearer', expires_in: 3600, user: { id: session.user.id } });
    const child = a.body.refresh_token as string;

    const grandchild = await refresh(child);
    expect(grandchild.status).toBe(200);

    // Past the reuse interval (2 s in the test stack), reuse is theft: the whole family is revoked.
    await sleep(2500);
    const reused = await refresh(original);
    expect(reused.status).toBe(400);
    expect(reused.body).toEqual({ code: 'refresh_token_already_used', message: 'Invalid Refresh Token: Already Used' });
    expect(reused.headers.get('x-supabase-api-version')).toBe('2024-01-01');
    const familyMember = await refresh(grandchild.body.refresh_token as string);
    expect(familyMember.status).toBe(400);
    expect(familyMember.body.code).toBe('refresh_token_already_used');
  });

  it('tolerates an older token within the reuse interval', async () => {
    const { session } = await signedIn('reuse');
    const child = (await refresh(session.refresh_token)).body.refresh_token as string;
    const grandchild = await refresh(child);
    expect(grandchild.status).toBe(200);
    // The first token's child is no longer the active one, but the first was revoked a moment ago.
    const late = await refresh(session.refresh_token);
    expect(late.status).toBe(200);
    expect(late.body.refresh_token).not.toBe(grandchild.body.refresh_token);
    await sleep(2500);
    const tooLate = await refresh(child);
    expect(tooLate.status).toBe(400);
    expect(tooLate.body.code).toBe('refresh_token_already_used');
    expect((await refresh(late.body.refresh_token as string)).body.code).toBe('refresh_token_already_used');
  });

  it('refreshes through supabase-js and keeps the session usable', async () => {
    const { client, session } = await signedIn('jsrefresh');
    const { data, error } = await client.auth.refreshSession();
    expect(error).toBeNull();
    expect(data.session?.refresh_token).not.toBe(session.refresh_token);
    expect((await client.auth.getUser()).data.user?.id).toBe(session.user.id);
  });

  it('rejects unknown and empty refresh tokens with 400', async () => {
    const unknown = await refresh('no-such-token');
    expect(unknown.status).toBe(400);
    expect(unknown.body.code).toBe('refresh_token_not_found');
    const empty = await refresh('');
    expect(empty.status).toBe(400);
    expect(empty.body).toMatchObject({ error: 'invalid_request', error_description: 'refresh_token required' });
  });
});

describe('access tokens on GET /user', () => {
  it('rejects a token signed with another secret (403 bad_jwt)', async () => {
    const { session } = await signedIn('forged');
    const claims = JSON.parse(Buffer.from(session.access_token.split('.')[1]!, 'base64url').toString());
    const forged = forgeJwt(claims, 'another-secret-that-is-at-least-32-characters');
    const { error } = await anonClient().auth.getUser(forged);
    expect(error?.status).toBe(403);
    expect(error?.code).toBe('bad_jwt');
  });

  it('rejects an expired token, with no leeway (403 bad_jwt)', async () => {
    const { session } = await signedIn('expired');
    const claims = JSON.parse(Buffer.from(session.access_token.split('.')[1]!, 'base64url').toString());
    const now = Math.floor(Date.now() / 1000);
    const expired = forgeJwt({ ...claims, iat: now - 10, exp: now - 1 });
    const res = await authFetch('/user', { bearer: expired });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('bad_jwt');
    expect(res.body.message).toContain('token is expired');
  });

  it('needs a bearer token, a user and a live session', async () => {
    const noBearer = await fetch(`${stack().supabaseUrl}/auth/v1/user`, { headers: { apikey: stack().anonKey } });
    expect(noBearer.status).toBe(401);
    expect(((await noBearer.json()) as { code: string }).code).toBe('no_authorization');

    const { session } = await signedIn('ghost');
    const claims = JSON.parse(Buffer.from(session.access_token.split('.')[1]!, 'base64url').toString());
    const ghostUser = await authFetch('/user', { bearer: forgeJwt({ ...claims, sub: '00000000-0000-4000-8000-000000000000' }) });
    expect(ghostUser.status).toBe(403);
    expect(ghostUser.body.code).toBe('user_not_found');
    const ghostSession = await authFetch('/user', { bearer: forgeJwt({ ...claims, session_id: '00000000-0000-4000-8000-000000000001' }) });
    expect(ghostSession.status).toBe(403);
    expect(ghostSession.body.code).toBe('session_not_found');
    // The anon key is a valid JWT but names nobody.
    const anon = await authFetch('/user');
    expect(anon.status).toBe(403);
    expect(anon.body.code).toBe('bad_jwt');
  });
});

describe('sign-out scopes', () => {
  async function twoDevices() {
    const first = await signedIn('scopes');
    const second = anonClient();
    const { data } = await second.auth.signInWithPassword({ email: first.email, password: 'correct-horse-battery' });
    return { first, second, secondToken: data.session!.access_token };
  }

  it('local ends only this session', async () => {
    const { first, second, secondToken } = await twoDevices();
    const token = first.session.access_token;
    expect((await first.client.auth.signOut({ scope: 'local' })).error).toBeNull();
    const gone = await authFetch('/user', { bearer: token });
    expect(gone.status).toBe(403);
    expect(gone.body.code).toBe('session_not_found');
    expect((await second.auth.getUser(secondToken)).error).toBeNull();
  });

  it('others ends every other session', async () => {
    const { first, secondToken } = await twoDevices();
    const res = await authFetch('/logout?scope=others', { bearer: first.session.access_token, body: '{}' });
    expect(res.status).toBe(204);
    expect((await authFetch('/user', { bearer: first.session.access_token })).status).toBe(200);
    expect((await authFetch('/user', { bearer: secondToken })).body.code).toBe('session_not_found');
  });

  it('global (the default) ends them all, and the refresh token with them', async () => {
    const { first, secondToken } = await twoDevices();
    const refreshToken = first.session.refresh_token;
    expect((await first.client.auth.signOut()).error).toBeNull();
    expect((await authFetch('/user', { bearer: secondToken })).body.code).toBe('session_not_found');
    const res = await refresh(refreshToken);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('refresh_token_not_found');
    // getUser with a revoked session clears the client's session, as auth-js does on session_not_found.
    const { error } = await anonClient().auth.getUser(secondToken);
    expect(error?.name).toBe('AuthSessionMissingError');
  });

  it('refuses an unknown scope', async () => {
    const { session } = await signedIn('badscope');
    const res = await authFetch('/logout?scope=everywhere', { bearer: session.access_token, body: '{}' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
  });
});
