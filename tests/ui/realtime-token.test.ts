import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { person, type Person } from '../proposals/page-fixtures.ts';
import { Browser } from '../web/helpers.ts';
import { closeTestDb } from '../web/spaces-helpers.ts';

/*
 * The token the live islands join Realtime with (src/lib/supabase/live-channel.ts, which replaced
 * supabase-js in the browser): the visitor's access token, from the session the site holds in
 * its cookies, or null (the anon key) without a session; never cached.
 */

let someone: Person;
beforeAll(async () => {
  someone = await person('Léon Jeton');
});
afterAll(async () => {
  await closeTestDb();
});

const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as { sub: string; role: string; exp: number };

describe('/api/realtime/token', () => {
  it('answers null to a visitor without a session', async () => {
    const res = await new Browser().request('/api/realtime/token');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    expect(await res.json()).toEqual({ token: null });
  });

  it('answers the signed-in visitor’s own access token and when it expires', async () => {
    const res = await someone.browser.request('/api/realtime/token');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    const body = (await res.json()) as { token: string; expiresAt: number };
    const claims = claimsOf(body.token);
    expect(claims.sub).toBe(someone.id);
    expect(claims.role).toBe('authenticated');
    expect(body.expiresAt).toBe(claims.exp);
    expect(body.expiresAt * 1000).toBeGreaterThan(Date.now());
  });
});
