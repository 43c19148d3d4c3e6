/**
 * Session cookies: SameSite=Lax, Secure whenever the site is https, and no longer-lived than the
 * session they carry (AUTH_SESSIONS_TIMEBOX, which the Auth API enforces on refresh).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@supabase/supabase-js';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/lib/config.ts';
import { startWeb } from '../../scripts/web.ts';
import { localEnvOnFreePorts } from '../setup/ports.ts';
import { createConfirmedUser, stack } from '../web/helpers.ts';

const THIRTY_DAYS = 30 * 24 * 3600;
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const c of cleanups) await c().catch(() => {});
});

async function signInCookies(site: string, email: string, password: string): Promise<string[]> {
  const r = await fetch(`${site}/fr/sign-in?_action=accounts.signInWithPassword`, {
    method: 'POST',
    body: new URLSearchParams({ email, password }),
    headers: { origin: site },
    redirect: 'manual',
  });
  expect(r.status).toBe(303);
  return r.headers.getSetCookie().filter((c) => /^sb-[^=]+-auth-token/.test(c));
}

const attrs = (cookie: string) => cookie.split(';').slice(1).map((a) => a.trim().toLowerCase());

describe('session cookies', () => {
  it('over http: SameSite=Lax, not Secure, Max-Age the session timebox (30 days)', async () => {
    const { email, password } = await createConfirmedUser();
    const cookies = await signInCookies(stack().siteUrl, email, password);
    expect(cookies.length).toBeGreaterThan(0);
    for (const c of cookies) {
      expect(attrs(c)).toContain('samesite=lax');
      expect(attrs(c)).not.toContain('secure');
      expect(attrs(c)).toContain(`max-age=${THIRTY_DAYS}`);
    }
  });

  it('when the site is https, every session cookie is Secure', { timeout: 60_000 }, async () => {
    const s = stack();
    const env = await localEnvOnFreePorts(mkdtempSync(join(tmpdir(), 'decidons-https-')));
    const config = parseConfig({ ...env, SUPABASE_URL: s.supabaseUrl, DATABASE_URL: s.databaseUrl, SITE_URL: 'https://participation.example.fr' });
    const web = await startWeb(config, { mode: 'prod', outDir: s.outDir });
    cleanups.push(() => web.stop());
    const { email, password } = await createConfirmedUser();
    const cookies = await signInCookies(web.url, email, password);
    expect(cookies.length).toBeGreaterThan(0);
    for (const c of cookies) expect(attrs(c)).toContain('secure');
  });

  it('a session ends at its timebox: the Auth API refuses to refresh it (session_expired)', async () => {
    const { email, password } = await createConfirmedUser();
    const client = createClient(stack().supabaseUrl, stack().anonKey, { auth: { persistSession: false, autoRefreshToken: false } });
    const { data, error } = await client.auth.signInWithPassword({ email, password });
    expect(error).toBeNull();
    const sql = postgres(stack().databaseUrl, { max: 1, onnotice: () => {} });
    cleanups.push(() => sql.end());
    const sessionId = JSON.parse(Buffer.from(data.session!.access_token.split('.')[1]!, 'base64url').toString()).session_id as string;
    const [row] = await sql<{ seconds: number }[]>`select extract(epoch from not_after - created_at)::int as seconds from auth.sessions where id = ${sessionId}`;
    expect(row!.seconds).toBe(THIRTY_DAYS);
    await sql`update auth.sessions set created_at = now() - interval '31 days', not_after = now() - interval '1 day' where id = ${sessionId}`;
    const refreshed = await client.auth.refreshSession({ refresh_token: data.session!.refresh_token });
    expect(refreshed.error?.code).toBe('session_expired');
  });
});
