import type { IncomingMessage } from 'node:http';
import { createClient } from '@supabase/supabase-js';
import type postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/lib/config.ts';
import { startWeb } from '../../scripts/web.ts';
import { clientIp, trustedProxies } from '../../supabase/local/api/auth/client-ip.ts';
import type { LocalApi } from '../../supabase/local/api/server.ts';
import { freePort } from '../setup/ports.ts';
import { httpFrom, pageText } from './from-address.ts';
import { PASSWORD, stack, uniqueEmail } from './helpers.ts';
import { privateAuth, type PrivateAuth } from './private-instance.ts';

/**
 * Finding 2: the sign-in limit was one bucket for the whole site (the site called the Auth API
 * without the browser's address) and the API believed `X-Forwarded-For` from anyone. Now the API
 * believes forwarded addresses from its trusted proxies only (the site: loopback by default), the
 * site forwards each browser's address, failures also count per account, and the endpoints that
 * send email are limited per address, so no one caller spends the hourly budget for everybody.
 *
 * Private API instances with low limits over a scratch database; "browsers" are sockets bound to
 * different loopback addresses (127.0.0.2, 127.0.0.3…), which is how a server tells them apart.
 */

let auth: PrivateAuth;
let sql: postgres.Sql;
let smtpPort = 0;
const stops: (() => Promise<void>)[] = [];
const startApi = (env: Record<string, string>): Promise<LocalApi> => auth.startApi(env);

const json = { apikey: stack().anonKey, 'Content-Type': 'application/json', 'X-Supabase-Api-Version': '2024-01-01' };

/** A password sign-in, made from `from` (the socket's address), optionally naming a forwarded client. */
function passwordSignIn(api: LocalApi, from: string, email: string, password: string, forwardedFor?: string) {
  return httpFrom(from, `${api.url}/auth/v1/token?grant_type=password`, {
    headers: { ...json, ...(forwardedFor ? { 'X-Forwarded-For': forwardedFor } : {}) },
    body: JSON.stringify({ email, password }),
  });
}

function otpRequest(api: LocalApi, from: string, email: string, forwardedFor?: string) {
  return httpFrom(from, `${api.url}/auth/v1/otp`, {
    headers: { ...json, ...(forwardedFor ? { 'X-Forwarded-For': forwardedFor } : {}) },
    body: JSON.stringify({ email, create_user: true }),
  });
}

async function confirmedAccount(api: LocalApi, tag: string): Promise<string> {
  const email = uniqueEmail(tag);
  const adminClient = createClient(api.url, stack().serviceRoleKey, { auth: { persistSession: false, autoRefreshToken: false } });
  const { error } = await adminClient.auth.admin.createUser({ email, password: PASSWORD, email_confirm: true });
  if (error) throw error;
  return email;
}

beforeAll(async () => {
  auth = await privateAuth('auth_limits', { AUTH_EMAIL_MAX_FREQUENCY: '0' });
  ({ sql, smtpPort } = auth);
  await sql`insert into public.organization (name) values (${sql.json({ fr: 'Ville de Limiteville', en: 'City of Limiteville' })})`;
});

afterAll(async () => {
  await Promise.all(stops.map((s) => s()));
  await auth?.close();
});

describe('whose address the API counts', () => {
  const fakeRequest = (remoteAddress: string, xff?: string) =>
    ({ socket: { remoteAddress }, headers: xff === undefined ? {} : { 'x-forwarded-for': xff } }) as unknown as IncomingMessage;

  it('believes X-Forwarded-For from trusted proxies only, read from the right', () => {
    const loopback = trustedProxies(['127.0.0.0/8', '::1']);
    expect(clientIp(fakeRequest('127.0.0.1', '198.51.100.7'), loopback)).toBe('198.51.100.7');
    expect(clientIp(fakeRequest('::ffff:127.0.0.1', '198.51.100.7'), loopback)).toBe('198.51.100.7');
    expect(clientIp(fakeRequest('::1', '2001:db8::1'), loopback)).toBe('2001:db8::1');
    // An untrusted caller's header is ignored: it is the client.
    expect(clientIp(fakeRequest('203.0.113.5', '198.51.100.7'), loopback)).toBe('203.0.113.5');
    expect(clientIp(fakeRequest('::ffff:203.0.113.5', '1.2.3.4'), loopback)).toBe('203.0.113.5');
    // A browser that writes its own X-Forwarded-For through a proxy that appends: the proxy's hop wins.
    expect(clientIp(fakeRequest('127.0.0.1', '6.6.6.6, 198.51.100.7'), loopback)).toBe('198.51.100.7');
    // Several trusted proxies in a row are walked through.
    const chain = trustedProxies(['127.0.0.1', '10.0.0.0/8']);
    expect(clientIp(fakeRequest('127.0.0.1', '6.6.6.6, 198.51.100.7, 10.1.2.3'), chain)).toBe('198.51.100.7');
    // Garbage stops the walk at the last address vouched for.
    expect(clientIp(fakeRequest('127.0.0.1', 'not-an-ip'), loopback)).toBe('127.0.0.1');
    expect(clientIp(fakeRequest('127.0.0.1'), trustedProxies([]))).toBe('127.0.0.1');
    expect(clientIp(fakeRequest('127.0.0.1', '198.51.100.7'), trustedProxies([]))).toBe('127.0.0.1');
  });

  it('rejects a malformed AUTH_TRUSTED_PROXIES at start-up, naming it', () => {
    expect(() => parseConfig({ AUTH_TRUSTED_PROXIES: '127.0.0.1/40' })).toThrow(/AUTH_TRUSTED_PROXIES/);
    expect(() => parseConfig({ AUTH_TRUSTED_PROXIES: 'localhost' })).toThrow(/AUTH_TRUSTED_PROXIES/);
    expect(parseConfig({ AUTH_TRUSTED_PROXIES: 'none' }).auth.trustedProxies).toEqual([]);
    expect(parseConfig({}).auth.trustedProxies).toEqual(['127.0.0.0/8', '::1']);
  });
});

describe('sign-in limits per address and per account (API)', () => {
  it('bad passwords from one browser (forwarded by the site) do not block another', async () => {
    const api = await startApi({ AUTH_SIGN_IN_ATTEMPTS_PER_5MIN: '3' });
    const email = await confirmedAccount(api, 'perip');
    for (let i = 0; i < 3; i++) expect((await passwordSignIn(api, '127.0.0.1', uniqueEmail('x'), 'wrong', '198.51.100.1')).status).toBe(400);
    const limited = await passwordSignIn(api, '127.0.0.1', email, PASSWORD, '198.51.100.1');
    expect(limited.status).toBe(429);
    expect(limited.json()['code']).toBe('over_request_rate_limit');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(200);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(300);
    // The same site, another browser: the right password works.
    const other = await passwordSignIn(api, '127.0.0.1', email, PASSWORD, '198.51.100.2');
    expect(other.status).toBe(200);
    const [session] = await sql<{ ip: string }[]>`
      select host(s.ip) as ip from auth.sessions s join auth.users u on u.id = s.user_id where u.email = ${email}`;
    expect(session?.ip).toBe('198.51.100.2');
  });

  it('ignores X-Forwarded-For from a caller that is not a trusted proxy', async () => {
    const api = await startApi({ AUTH_SIGN_IN_ATTEMPTS_PER_5MIN: '3', AUTH_TRUSTED_PROXIES: '127.0.0.1' });
    const email = await confirmedAccount(api, 'forged');
    // 127.0.0.4 is not trusted: its sessions are recorded under its own address, whatever it claims.
    expect((await passwordSignIn(api, '127.0.0.4', email, PASSWORD, '203.0.113.9')).status).toBe(200);
    const [session] = await sql<{ ip: string }[]>`
      select host(s.ip) as ip from auth.sessions s join auth.users u on u.id = s.user_id where u.email = ${email}`;
    expect(session?.ip).toBe('127.0.0.4');
    // A new forged address on every try does not buy a new bucket.
    for (let i = 0; i < 3; i++) {
      expect((await passwordSignIn(api, '127.0.0.2', uniqueEmail('x'), 'wrong', `192.0.2.${i + 1}`)).status).toBe(400);
    }
    const limited = await passwordSignIn(api, '127.0.0.2', email, PASSWORD, '192.0.2.200');
    expect(limited.status).toBe(429);
    // Another caller is another bucket.
    expect((await passwordSignIn(api, '127.0.0.3', email, PASSWORD)).status).toBe(200);
    // The trusted proxy still forwards.
    expect((await passwordSignIn(api, '127.0.0.1', email, PASSWORD, '127.0.0.2')).status).toBe(429);
    expect((await passwordSignIn(api, '127.0.0.1', email, PASSWORD, '192.0.2.200')).status).toBe(200);
  });

  it('limits failed passwords per account, from any address, without telling who has an account', async () => {
    const api = await startApi({ AUTH_SIGN_IN_ATTEMPTS_PER_5MIN: '100', AUTH_SIGN_IN_FAILURES_PER_ACCOUNT_PER_5MIN: '3' });
    const victim = await confirmedAccount(api, 'victim');
    const bystander = await confirmedAccount(api, 'bystander');
    const nobody = uniqueEmail('nobody');
    for (let i = 1; i <= 3; i++) {
      expect((await passwordSignIn(api, '127.0.0.1', victim, `guess-${i}`, `198.51.100.${10 + i}`)).status).toBe(400);
      expect((await passwordSignIn(api, '127.0.0.1', nobody, `guess-${i}`, `198.51.100.${10 + i}`)).status).toBe(400);
    }
    // A fourth address, even with the right password: the account waits.
    const locked = await passwordSignIn(api, '127.0.0.1', victim, PASSWORD, '198.51.100.20');
    expect(locked.status).toBe(429);
    expect(locked.json()['code']).toBe('over_request_rate_limit');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    // An unknown address answers exactly the same.
    const unknown = await passwordSignIn(api, '127.0.0.1', nobody, PASSWORD, '198.51.100.20');
    expect(unknown.status).toBe(429);
    expect(unknown.json()).toEqual(locked.json());
    // Other accounts are not affected, from the same addresses.
    expect((await passwordSignIn(api, '127.0.0.1', bystander, PASSWORD, '198.51.100.11')).status).toBe(200);
  });

  it('counts wrong 6-digit codes against the account too', async () => {
    const api = await startApi({ AUTH_SIGN_IN_ATTEMPTS_PER_5MIN: '100', AUTH_SIGN_IN_FAILURES_PER_ACCOUNT_PER_5MIN: '3' });
    const email = await confirmedAccount(api, 'codes');
    expect((await otpRequest(api, '127.0.0.1', email, '198.51.100.30')).status).toBe(200);
    const verify = (token: string, ip: string) =>
      httpFrom('127.0.0.1', `${api.url}/auth/v1/verify`, {
        headers: { ...json, 'X-Forwarded-For': ip },
        body: JSON.stringify({ email, token, type: 'email' }),
      });
    for (let i = 1; i <= 3; i++) expect((await verify(`00000${i}`, `198.51.100.${30 + i}`)).status).toBe(403);
    const locked = await verify('000009', '198.51.100.40');
    expect(locked.status).toBe(429);
    expect(locked.json()['code']).toBe('over_request_rate_limit');
  });
});

describe('email-sending endpoints per address (API)', () => {
  it('one caller cannot spend the hourly email budget for everybody', async () => {
    const api = await startApi({ AUTH_EMAILS_PER_HOUR: '1000', AUTH_EMAIL_REQUESTS_PER_IP_PER_HOUR: '3', AUTH_SIGN_IN_ATTEMPTS_PER_5MIN: '100' });
    for (let i = 0; i < 3; i++) expect((await otpRequest(api, '127.0.0.1', uniqueEmail('spam'), '198.51.100.50')).status).toBe(200);
    const limited = await otpRequest(api, '127.0.0.1', uniqueEmail('spam'), '198.51.100.50');
    expect(limited.status).toBe(429);
    expect(limited.json()['code']).toBe('over_email_send_rate_limit');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(3000);
    // Every endpoint that sends email shares the caller's allowance.
    const post = (path: string, body: unknown) =>
      httpFrom('127.0.0.1', `${api.url}/auth/v1${path}`, { headers: { ...json, 'X-Forwarded-For': '198.51.100.50' }, body: JSON.stringify(body) });
    expect((await post('/recover', { email: uniqueEmail('spam') })).status).toBe(429);
    expect((await post('/signup', { email: uniqueEmail('spam'), password: PASSWORD })).status).toBe(429);
    expect((await post('/resend', { type: 'signup', email: uniqueEmail('spam') })).status).toBe(429);
    // Everybody else still gets their emails.
    expect((await otpRequest(api, '127.0.0.1', uniqueEmail('legit'), '198.51.100.51')).status).toBe(200);
  });

  it('a caller that is not a trusted proxy cannot escape the limit with forged addresses', async () => {
    const api = await startApi({ AUTH_EMAIL_REQUESTS_PER_IP_PER_HOUR: '3', AUTH_TRUSTED_PROXIES: '127.0.0.1' });
    for (let i = 0; i < 3; i++) expect((await otpRequest(api, '127.0.0.2', uniqueEmail('forge'), `192.0.2.${i + 1}`)).status).toBe(200);
    expect((await otpRequest(api, '127.0.0.2', uniqueEmail('forge'), '192.0.2.99')).status).toBe(429);
  });

  it('keeps a default per-address allowance of a twelfth of the hourly budget', () => {
    expect(parseConfig({}).auth.emailRequestsPerIpPerHour).toBe(30);
    expect(parseConfig({ AUTH_EMAILS_PER_HOUR: '100' }).auth.emailRequestsPerIpPerHour).toBe(9);
    expect(parseConfig({ AUTH_EMAILS_PER_HOUR: '0' }).auth.emailRequestsPerIpPerHour).toBe(0);
  });
});

describe('through the site', () => {
  let site = '';

  beforeAll(async () => {
    const api = await startApi({ AUTH_SIGN_IN_ATTEMPTS_PER_5MIN: '3', AUTH_SIGN_IN_FAILURES_PER_ACCOUNT_PER_5MIN: '5' });
    const webPort = await freePort();
    const config = parseConfig({
      SUPABASE_URL: api.url,
      DATABASE_URL: auth.databaseUrl,
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      HOST: '127.0.0.1',
      PORT: String(webPort),
    });
    const web = await startWeb(config, { mode: 'prod', outDir: stack().outDir, timeoutMs: 120_000 });
    stops.push(() => web.stop());
    site = web.url;
    siteApi = api;
  }, 180_000);
  let siteApi: LocalApi;

  const signIn = (from: string, email: string, password: string) =>
    httpFrom(from, `${site}/fr/sign-in?_action=accounts.signInWithPassword`, {
      headers: { origin: site, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email, password }).toString(),
    });

  it('bad passwords from one browser do not lock out another; the French message gives the retry time', async () => {
    const email = await confirmedAccount(siteApi, 'site');
    for (let i = 0; i < 3; i++) {
      const page = await signIn('127.0.0.2', uniqueEmail('nobody'), 'wrong-password');
      expect(page.status).toBe(400);
      expect(pageText(page.text)).toContain('Adresse électronique ou mot de passe incorrect.');
    }
    const limited = await signIn('127.0.0.2', email, PASSWORD);
    expect(limited.status).toBe(429);
    const text = pageText(limited.text);
    expect(text).toMatch(/Trop de tentatives de connexion\. Par sécurité, réessayez dans [45] min/);
    expect(limited.cookies.filter((c) => c.startsWith('sb-'))).toEqual([]);
    // Another browser (another address) signs in with the right password.
    const other = await signIn('127.0.0.3', email, PASSWORD);
    expect(other.status).toBe(303);
    expect(other.cookies.some((c) => /^sb-[^=]+-auth-token(\.\d+)?=/.test(c))).toBe(true);
  });

  it('too many wrong passwords for one account: the same message, whoever tries', async () => {
    const email = await confirmedAccount(siteApi, 'account');
    for (let i = 0; i < 5; i++) expect((await signIn(`127.0.1.${i + 1}`, email, `guess-${i}`)).status).toBe(400);
    const limited = await signIn('127.0.1.10', email, PASSWORD);
    expect(limited.status).toBe(429);
    expect(pageText(limited.text)).toMatch(/réessayez dans [45] min/);
  });
});
