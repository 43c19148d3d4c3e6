import { createClient } from '@supabase/supabase-js';
import type postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalApi } from '../../supabase/local/api/server.ts';
import { PASSWORD, stack, uniqueEmail, waitForEmail } from './helpers.ts';
import { privateAuth, type PrivateAuth } from './private-instance.ts';

/**
 * Settings the shared stack does not use (autoconfirm, disabled sign-up, low limits) and faults it
 * must not have (a failing trigger), on private API instances over a scratch database.
 */

let auth: PrivateAuth;
let sql: postgres.Sql;
let mailApiUrl = '';
const startApi = (env: Record<string, string>): Promise<LocalApi> => auth.startApi(env);

/** A client whose requests appear to come from `ip`, so each test has its own rate-limit bucket. */
const clientFor = (api: LocalApi, ip: string) =>
  createClient(api.url, stack().anonKey, {
    auth: { persistSession: false, autoRefreshToken: false },
    global: { headers: { 'X-Forwarded-For': ip } },
  });

beforeAll(async () => {
  auth = await privateAuth('auth_instance', { AUTH_REFRESH_TOKEN_REUSE_INTERVAL: '2' });
  sql = auth.sql;
  mailApiUrl = auth.mailApiUrl;
  // An app trigger that refuses some rows, as a real one might (a constraint, a unique violation…).
  await sql.unsafe(`
    create function public.refuse_flagged_users() returns trigger language plpgsql as $$
    begin
      if new.raw_user_meta_data ->> 'refuse' = 'yes' then raise exception 'refused by an app trigger'; end if;
      return new;
    end $$;
    create trigger refuse_flagged_users before insert on auth.users for each row execute function public.refuse_flagged_users();
  `);
});

afterAll(() => auth?.close());

describe('with mailer autoconfirm', () => {
  it('signs up straight into a session, and a second sign-up is 422 user_already_exists', async () => {
    const api = await startApi({ AUTH_MAILER_AUTOCONFIRM: 'true' });
    const client = clientFor(api, '10.0.1.1');
    const email = uniqueEmail('auto');
    const { data, error } = await client.auth.signUp({ email, password: PASSWORD, options: { data: { name: 'Auto Confirm' } } });
    expect(error).toBeNull();
    expect(data.session?.access_token).toBeTruthy();
    expect(data.user?.email_confirmed_at).toBeTruthy();
    // The INSERT is real: the app's trigger made the profile.
    const [profile] = await sql`select name from public.profiles where id = ${data.user!.id}`;
    expect(profile?.name).toBe('Auto Confirm');

    const again = await client.auth.signUp({ email, password: PASSWORD });
    expect(again.error?.status).toBe(422);
    expect(again.error?.code).toBe('user_already_exists');
  });

  it('turns a failing app trigger into a clean JSON error', async () => {
    const api = await startApi({ AUTH_MAILER_AUTOCONFIRM: 'true' });
    const res = await fetch(`${api.url}/auth/v1/signup`, {
      method: 'POST',
      headers: { apikey: stack().anonKey, 'Content-Type': 'application/json', 'X-Supabase-Api-Version': '2024-01-01' },
      body: JSON.stringify({ email: uniqueEmail('refused'), password: PASSWORD, data: { refuse: 'yes' } }),
    });
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ code: 'unexpected_failure', message: 'Database error saving new user' });
    // The server is still fine.
    expect((await clientFor(api, '10.0.1.2').auth.signUp({ email: uniqueEmail('fine'), password: PASSWORD })).error).toBeNull();
  });
});

describe('with sign-up disabled and low limits', () => {
  it('refuses sign-up with 422 signup_disabled', async () => {
    const api = await startApi({ AUTH_DISABLE_SIGNUP: 'true' });
    const { error } = await clientFor(api, '10.0.2.1').auth.signUp({ email: uniqueEmail('closed'), password: PASSWORD });
    expect(error?.status).toBe(422);
    expect(error?.code).toBe('signup_disabled');
  });

  it('limits sign-in attempts per IP (429 over_request_rate_limit)', async () => {
    const api = await startApi({ AUTH_SIGN_IN_ATTEMPTS_PER_5MIN: '3' });
    const client = clientFor(api, '10.0.3.1');
    for (let i = 0; i < 3; i++) {
      expect((await client.auth.signInWithPassword({ email: uniqueEmail('x'), password: PASSWORD })).error?.status).toBe(400);
    }
    const limited = await client.auth.signInWithPassword({ email: uniqueEmail('x'), password: PASSWORD });
    expect(limited.error?.status).toBe(429);
    expect(limited.error?.code).toBe('over_request_rate_limit');
    // Another address is another bucket.
    expect((await clientFor(api, '10.0.3.2').auth.signInWithPassword({ email: uniqueEmail('x'), password: PASSWORD })).error?.status).toBe(400);
  });

  it('limits emails per hour across all addresses (429 over_email_send_rate_limit)', async () => {
    const api = await startApi({ AUTH_EMAILS_PER_HOUR: '2', AUTH_EMAIL_REQUESTS_PER_IP_PER_HOUR: '10' });
    // Three callers: the budget is everybody's.
    const first = uniqueEmail('hourly');
    expect((await clientFor(api, '10.0.4.1').auth.signUp({ email: first, password: PASSWORD })).error).toBeNull();
    expect((await clientFor(api, '10.0.4.2').auth.signUp({ email: uniqueEmail('hourly'), password: PASSWORD })).error).toBeNull();
    const third = await clientFor(api, '10.0.4.3').auth.signUp({ email: uniqueEmail('hourly'), password: PASSWORD });
    expect(third.error?.status).toBe(429);
    expect(third.error?.code).toBe('over_email_send_rate_limit');
    expect((await waitForEmail(first, { mailApiUrl })).subject).toBe('Confirmez votre inscription');
  });
});
