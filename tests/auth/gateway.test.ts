import { describe, expect, it } from 'vitest';
import { authFetch, signedIn, stack, uniqueEmail } from './helpers.ts';

describe('gateway', () => {
  it('answers CORS preflights and exposes the headers auth-js reads', async () => {
    const res = await fetch(`${stack().supabaseUrl}/auth/v1/token?grant_type=password`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:4321', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'apikey, authorization, x-client-info, content-type, x-supabase-api-version' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const allowed = res.headers.get('access-control-allow-headers')!;
    for (const h of ['apikey', 'authorization', 'x-client-info', 'content-type', 'x-supabase-api-version']) expect(allowed).toContain(h);
    const settings = await fetch(`${stack().supabaseUrl}/auth/v1/settings`, { headers: { apikey: stack().anonKey } });
    const exposed = settings.headers.get('access-control-expose-headers')!;
    for (const h of ['X-Total-Count', 'Link', 'X-Supabase-Api-Version']) expect(exposed).toContain(h);
  });

  it('requires an API key, in the header or the query, except on browser-opened routes', async () => {
    const base = `${stack().supabaseUrl}/auth/v1`;
    const none = await fetch(`${base}/settings`);
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ message: 'No API key found in request' });
    const wrong = await fetch(`${base}/settings`, { headers: { apikey: 'not-a-key' } });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ message: 'Invalid API key' });
    expect((await fetch(`${base}/settings?apikey=${stack().anonKey}`)).status).toBe(200);
    const link = await fetch(`${base}/verify?token=nope&type=signup`, { redirect: 'manual' });
    expect(link.status).toBe(303);
    expect((await fetch(`${stack().supabaseUrl}/nowhere/v1/x`, { headers: { apikey: stack().anonKey } })).status).toBe(404);
  });

  it('serves settings, health and an empty JWKS', async () => {
    const settings = await authFetch('/settings');
    expect(settings.body).toMatchObject({ external: { email: true, phone: false }, disable_signup: false, mailer_autoconfirm: false });
    expect((await authFetch('/health')).body).toMatchObject({ name: 'GoTrue' });
    const jwks = await authFetch('/.well-known/jwks.json');
    expect(jwks.body).toEqual({ keys: [] });
    expect(jwks.headers.get('cache-control')).toBe('public, max-age=600');
  });
});

describe('hostile input', () => {
  it('answers malformed JSON with 400 bad_json, in the 2024-01-01 shape', async () => {
    const res = await authFetch('/signup', { body: '{"email": "a@b.c", "password": ' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('bad_json');
    expect(typeof res.body.message).toBe('string');
    expect(res.headers.get('x-supabase-api-version')).toBe('2024-01-01');
    expect(res.headers.get('x-sb-error-code')).toBe('bad_json');
    expect((await authFetch('/signup', { body: '[1,2]' })).body.code).toBe('bad_json');
  });

  it('answers wrong types with 400 validation_failed', async () => {
    for (const body of [{ email: 42, password: 'x'.repeat(12) }, { email: uniqueEmail('t'), password: ['a'] }, { email: uniqueEmail('t'), password: 'x'.repeat(12), data: 'nope' }]) {
      const res = await authFetch('/signup', { body: JSON.stringify(body) });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('validation_failed');
    }
    const grant = await authFetch('/token?grant_type=password', { body: JSON.stringify({ email: { $ne: null }, password: true }) });
    expect(grant.status).toBe(400);
    expect(grant.body.code).toBe('validation_failed');
  });

  it('refuses oversized bodies, NUL characters, deep nesting and huge metadata', async () => {
    const big = await authFetch('/signup', { body: JSON.stringify({ email: uniqueEmail('big'), password: 'x'.repeat(12), data: { blob: 'x'.repeat(100_000) } }) });
    expect(big.status).toBe(413);
    const nul = await authFetch('/signup', { body: JSON.stringify({ email: uniqueEmail('nul'), password: 'pass\u0000word-123' }) });
    expect(nul.status).toBe(400);
    let nested: unknown = 'leaf';
    for (let i = 0; i < 200; i++) nested = { n: nested };
    const deep = await authFetch('/signup', { body: JSON.stringify({ email: uniqueEmail('deep'), password: 'x'.repeat(12), data: nested }) });
    expect(deep.status).toBe(400);
    const heavy = await authFetch('/signup', { body: JSON.stringify({ email: uniqueEmail('heavy'), password: 'x'.repeat(12), data: { blob: 'x'.repeat(20_000) } }) });
    expect(heavy.status).toBe(400);
    expect(heavy.body.code).toBe('validation_failed');
    const longEmail = await authFetch('/signup', { body: JSON.stringify({ email: `${'a'.repeat(250)}@example.com`, password: 'x'.repeat(12) }) });
    expect(longEmail.status).toBe(400);
  });

  it('answers unknown routes and methods with JSON', async () => {
    const missing = await authFetch('/nope');
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('not_found');
    const method = await authFetch('/signup', { method: 'GET' });
    expect(method.status).toBe(405);
  });

  it('never answers 500 to hostile query strings', async () => {
    for (const path of [
      '/verify?token=%00&type=signup',
      '/verify?token=pkce_%00&type=magiclink&redirect_to=%00',
      '/verify?token=x&type=%00',
      '/verify?token=x&type=signup&redirect_to=javascript:alert(1)',
      `/verify?token=${'a'.repeat(5000)}&type=email`,
      '/admin/users?filter=%00',
      '/admin/users?filter=%25_%5C&page=999999&per_page=999999',
      '/admin/users/%00',
      '/admin/users/%E0%A4%A',
    ]) {
      const res = await fetch(`${stack().supabaseUrl}/auth/v1${path}`, {
        redirect: 'manual',
        headers: { apikey: stack().anonKey, Authorization: `Bearer ${stack().serviceRoleKey}` },
      });
      expect(res.status, path).toBeLessThan(500);
    }
  });

  it('never answers 500 to hostile bodies, whatever the endpoint', async () => {
    const { session } = await signedIn('fuzz');
    const endpoints: [string, string, string?][] = [
      ['POST', '/signup'],
      ['POST', '/token?grant_type=password'],
      ['POST', '/token?grant_type=refresh_token'],
      ['POST', '/token?grant_type=pkce'],
      ['POST', '/token?grant_type=nonsense'],
      ['POST', '/otp'],
      ['POST', '/verify'],
      ['POST', '/recover'],
      ['POST', '/resend'],
      ['PUT', '/user', session.access_token],
      ['POST', '/admin/users', stack().serviceRoleKey],
      ['POST', '/admin/generate_link', stack().serviceRoleKey],
      ['PUT', '/admin/users/00000000-0000-4000-8000-000000000000', stack().serviceRoleKey],
      ['POST', '/invite', stack().serviceRoleKey],
    ];
    // Hostile values mixed with plausible ones, so some requests get past validation into SQL.
    const values: unknown[] = [
      null, 0, -1, 1e308, true, [], ['x'], {}, { a: { b: 'c' } }, '', ' ', 'x'.repeat(5000), '<script>', "' or 1=1 --", '\uD800', '☃️ été',
      'pkce_' + 'a'.repeat(56), uniqueEmail('fuzz'), uniqueEmail('fuzz'), 'correct-horse-battery', '00000000-0000-4000-8000-000000000000',
      's256', 'signup', 'magiclink', 'email', '123456', '24h', 'A'.repeat(43),
    ];
    const fields = ['email', 'password', 'phone', 'data', 'type', 'token', 'token_hash', 'refresh_token', 'auth_code', 'code_verifier', 'code_challenge', 'code_challenge_method', 'create_user', 'user_metadata', 'app_metadata', 'email_confirm', 'ban_duration', 'id', 'role', 'new_email', 'nonce', 'password_hash'];
    let i = 0;
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    for (const [method, path, bearer] of endpoints) {
      for (let round = 0; round < 10; round++) {
        const body: Record<string, unknown> = {};
        for (const f of fields) if ((i++ * 7 + round) % 3 === 0) body[f] = values[(i * 13 + round) % values.length];
        const res = await authFetch(path, { method, body: JSON.stringify(body), ...(bearer ? { bearer } : {}) });
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status >= 500) failures.push(`${method} ${path} ${JSON.stringify(body).slice(0, 200)} → ${res.status} ${JSON.stringify(res.body)}`);
      }
    }
    expect(failures).toEqual([]);
    // The fuzzing reached past validation at least sometimes.
    expect(statuses.get(200)).toBeGreaterThan(0);
  });
});
