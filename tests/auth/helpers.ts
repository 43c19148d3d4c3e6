import { randomBytes } from 'node:crypto';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { inject } from 'vitest';
import { signJwt } from '../../supabase/local/api/jwt.ts';
import { mailsTo } from '../helpers/mail.ts';

/**
 * Shared by the auth tests: clients built exactly as an app builds them, the maildev inbox, and raw
 * HTTP for what a client library never sends (malformed bodies, forged tokens).
 */

export const stack = () => inject('stack');

/** Unique per call: the database is shared by every test file. */
export function uniqueEmail(tag = 'user'): string {
  return `${tag}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}@example.com`;
}

export const PASSWORD = 'correct-horse-battery';

export interface ClientOptions {
  flowType?: 'implicit' | 'pkce';
  url?: string;
  key?: string;
}

/** A browser-like client (implicit by default, as plain supabase-js); sessions live in memory. */
export function anonClient(opts: ClientOptions = {}): SupabaseClient {
  return createClient(opts.url ?? stack().supabaseUrl, opts.key ?? stack().anonKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false, flowType: opts.flowType ?? 'implicit' },
  });
}

/** The server-side admin client (service_role). */
export function adminClient(url = stack().supabaseUrl): SupabaseClient {
  return createClient(url, stack().serviceRoleKey, { auth: { persistSession: false, autoRefreshToken: false } });
}

export interface CaughtEmail {
  subject: string;
  text: string;
  html: string;
  /** The sender's display name (the organization's name). */
  fromName: string;
  /** The link the email carries: the site's `/<locale>/auth/confirm?token_hash=…&type=…&next=…` (SSR template). */
  confirmLink: string;
  /**
   * The same token as GoTrue's default template would link it (`{{ .ConfirmationURL }}`:
   * `…/auth/v1/verify?token=…&type=…&redirect_to=…`), for the tests of the API's /verify protocol.
   */
  link: string;
  /** The 6-digit code. */
  otp: string;
}

/** `{{ .ConfirmationURL }}` for the token of a site confirm link. */
export function verifyUrlFor(confirmLink: string, supabaseUrl = stack().supabaseUrl): string {
  if (!confirmLink) return '';
  const u = new URL(confirmLink);
  const q = new URLSearchParams({
    token: u.searchParams.get('token_hash') ?? '',
    type: u.searchParams.get('type') ?? '',
    redirect_to: u.searchParams.get('next') ?? '',
  });
  return `${supabaseUrl}/auth/v1/verify?${q.toString()}`;
}

/** Every email maildev holds for `address`, oldest first. */
export async function inbox(address: string, mailApiUrl = stack().mailApiUrl): Promise<CaughtEmail[]> {
  return (await mailsTo(address, mailApiUrl)).map((m) => {
    const text = m.text ?? '';
    const confirmLink = /(https?:\/\/\S+\/auth\/confirm\?\S+)/.exec(text)?.[1] ?? '';
    const from = (m as { from?: { name?: string }[] }).from;
    return {
      subject: m.subject,
      text,
      html: m.html ?? '',
      fromName: from?.[0]?.name ?? '',
      confirmLink,
      link: verifyUrlFor(confirmLink),
      otp: /\b(\d{6})\b/.exec(text.slice(text.indexOf('code')))?.[1] ?? '',
    };
  });
}

/** Waits for the `count`-th email to `address` (1 = the first) and returns it. */
export async function waitForEmail(address: string, opts: { count?: number; timeoutMs?: number; mailApiUrl?: string } = {}): Promise<CaughtEmail> {
  const count = opts.count ?? 1;
  const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
  for (;;) {
    const mails = await inbox(address, opts.mailApiUrl);
    if (mails.length >= count) return mails[count - 1]!;
    if (Date.now() > deadline) throw new Error(`no email #${count} for ${address} (got ${mails.length})`);
    await sleep(100);
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Opens an email link as a browser would, without following the redirect. */
export async function openLink(link: string): Promise<{ status: number; location: URL }> {
  const res = await fetch(link, { redirect: 'manual' });
  return { status: res.status, location: new URL(res.headers.get('location') ?? 'about:blank') };
}

/** Fragment (`#a=b&c=d`) parameters of a redirect. */
export const fragment = (url: URL) => new URLSearchParams(url.hash.slice(1));

/** A request to the auth API the way auth-js makes it, minus the library's own checks. */
export async function authFetch(
  path: string,
  init: { method?: string; body?: string; bearer?: string; headers?: Record<string, string>; url?: string } = {},
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const res = await fetch(`${init.url ?? stack().supabaseUrl}/auth/v1${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: {
      apikey: stack().anonKey,
      Authorization: `Bearer ${init.bearer ?? stack().anonKey}`,
      'Content-Type': 'application/json;charset=UTF-8',
      'X-Supabase-Api-Version': '2024-01-01',
      ...init.headers,
    },
    ...(init.body === undefined ? {} : { body: init.body }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** A token signed with the project secret (or another), for expiry and forgery tests. */
export function forgeJwt(claims: Record<string, unknown>, secret = stack().jwtSecret): string {
  return signJwt(claims, secret);
}

/** A confirmed account with a password, made through the admin API (fast, no email). */
export async function confirmedUser(tag = 'user', metadata: Record<string, unknown> = {}): Promise<{ id: string; email: string }> {
  const email = uniqueEmail(tag);
  const { data, error } = await adminClient().auth.admin.createUser({ email, password: PASSWORD, email_confirm: true, user_metadata: metadata });
  if (error || !data.user) throw error ?? new Error('no user');
  return { id: data.user.id, email };
}

/** Signs a confirmed account in with its password. */
export async function signedIn(tag = 'user') {
  const account = await confirmedUser(tag);
  const client = anonClient();
  const { data, error } = await client.auth.signInWithPassword({ email: account.email, password: PASSWORD });
  if (error || !data.session) throw error ?? new Error('no session');
  return { ...account, client, session: data.session };
}

/**
 * A PKCE client as @supabase/ssr builds one (flowType 'pkce'), with its storage exposed so a test
 * can read the code verifier it keeps between sign-in and code exchange.
 */
export function pkceClient(url = stack().supabaseUrl): { client: SupabaseClient; storage: Map<string, string>; verifier(): string } {
  const storage = new Map<string, string>();
  const client = createClient(url, stack().anonKey, {
    auth: {
      flowType: 'pkce',
      persistSession: true,
      autoRefreshToken: false,
      detectSessionInUrl: false,
      storage: {
        getItem: (k) => storage.get(k) ?? null,
        setItem: (k, v) => void storage.set(k, v),
        removeItem: (k) => void storage.delete(k),
      },
    },
  });
  const verifier = () => {
    const raw = [...storage].find(([k]) => k.endsWith('-auth-token-code-verifier'))?.[1];
    if (!raw) throw new Error('no code verifier stored');
    return (JSON.parse(raw) as string).split('/')[0]!;
  };
  return { client, storage, verifier };
}
