import { randomBytes } from 'node:crypto';
import { createClient } from '@supabase/supabase-js';
import { inject } from 'vitest';
import { mailsTo, type MaildevEmail } from '../helpers/mail.ts';

/**
 * A browser without a browser: real HTTP to the running site, a cookie jar, redirects followed
 * by hand (so tests can look at every hop), form posts with the Origin header Astro's
 * `security.checkOrigin` wants.
 */

export const stack = () => inject('stack');

export function uniqueEmail(tag = 'web'): string {
  return `${tag}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}@example.com`;
}

export function uniqueNickname(): string {
  return `n_${randomBytes(6).toString('hex')}`.slice(0, 20);
}

export class Browser {
  readonly cookies = new Map<string, string>();
  readonly base: string;

  constructor(base = stack().siteUrl) {
    this.base = base;
  }

  url(path: string): string {
    return path.startsWith('http') ? path : `${this.base}${path}`;
  }

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  /** Names of the Supabase session cookies currently held (`sb-127-auth-token`, chunks…). */
  sessionCookies(): string[] {
    return [...this.cookies.keys()].filter((n) => /^sb-127-auth-token(\.\d+)?$/.test(n));
  }

  private store(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq < 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => {
        const [k = '', v = ''] = a.trim().split('=');
        if (k.toLowerCase() === 'max-age') return Number(v) <= 0;
        if (k.toLowerCase() === 'expires') return new Date(v).getTime() < Date.now();
        return false;
      });
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0 && !headers.has('cookie')) headers.set('cookie', this.cookieHeader());
    const res = await fetch(this.url(path), { ...init, headers, redirect: 'manual' });
    this.store(res);
    return res;
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<Page> {
    const res = await this.request(path, { headers });
    return Page.from(res);
  }

  /** Posts a form the way a browser does without JavaScript. */
  async post(path: string, fields: Record<string, string> | URLSearchParams | FormData, headers: Record<string, string> = {}): Promise<Page> {
    const body = fields instanceof FormData || fields instanceof URLSearchParams ? fields : new URLSearchParams(fields);
    const res = await this.request(path, { method: 'POST', body, headers: { origin: this.base, ...headers } });
    return Page.from(res);
  }

  /** Follows redirects from a first response, collecting each hop. */
  async follow(page: Page, max = 6): Promise<Page[]> {
    const hops = [page];
    let current = page;
    for (let i = 0; i < max && current.location; i++) {
      current = await this.get(new URL(current.location, current.url).toString());
      hops.push(current);
    }
    return hops;
  }
}

export class Page {
  readonly status: number;
  readonly url: string;
  readonly headers: Headers;
  readonly html: string;

  constructor(status: number, url: string, headers: Headers, html: string) {
    this.status = status;
    this.url = url;
    this.headers = headers;
    this.html = html;
  }

  static async from(res: Response): Promise<Page> {
    return new Page(res.status, res.url, res.headers, await res.text());
  }

  get location(): string | null {
    return this.headers.get('location');
  }

  /** `<html lang="…">` */
  get lang(): string | undefined {
    return /<html[^>]*\blang="([^"]+)"/.exec(this.html)?.[1];
  }

  /** The page's text, tags removed and entities decoded (enough for assertions). */
  get text(): string {
    return decodeEntities(this.html.replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>/g, ' ').replace(/<[^>]+>/g, ' '))
      .replace(/\s+/g, ' ')
      .trim();
  }
}

export function decodeEntities(s: string): string {
  return s
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCodePoint(parseInt(n, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** Waits for an email to `address` (matching `filter`) in the SMTP catcher; the newest match wins. */
export async function waitForEmail(address: string, filter: (m: MaildevEmail) => boolean = () => true, timeoutMs = 15_000): Promise<MaildevEmail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await mailsTo(address)).filter(filter).at(-1);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no email to ${address} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** The Auth server's confirmation link (`…/auth/v1/verify?token=…&type=…&redirect_to=…`) in an email. */
export function verifyLink(mail: MaildevEmail): string {
  const source = `${mail.html ?? ''}\n${mail.text ?? ''}`;
  const m = /https?:\/\/[^\s"'<>]+\/auth\/v1\/verify\?[^\s"'<>]+/.exec(source);
  if (!m) throw new Error(`no verify link in email "${mail.subject}"`);
  return decodeEntities(m[0]);
}

/** The Auth admin API, for test set-up only (confirmed accounts without a mail round trip). */
export function admin() {
  const s = stack();
  return createClient(s.supabaseUrl, s.serviceRoleKey, { auth: { persistSession: false, autoRefreshToken: false } });
}

export async function createConfirmedUser(opts: { name?: string; password?: string; locale?: string } = {}) {
  const email = uniqueEmail('user');
  const password = opts.password ?? `pw-${randomBytes(8).toString('hex')}`;
  const name = opts.name ?? `Test ${randomBytes(3).toString('hex')}`;
  const { data, error } = await admin().auth.admin.createUser({
    email,
    password,
    email_confirm: true,
    user_metadata: { name, locale: opts.locale ?? 'fr' },
  });
  if (error || !data.user) throw error ?? new Error('createUser returned no user');
  return { id: data.user.id, email, password, name };
}

/** Signs in through the sign-in form; returns the browser holding the session cookies. */
export async function signedIn(email: string, password: string): Promise<Browser> {
  const b = new Browser();
  const page = await b.post('/fr/sign-in?_action=accounts.signInWithPassword', { email, password });
  if (page.status !== 303) throw new Error(`sign-in failed with ${page.status}: ${page.text.slice(0, 300)}`);
  return b;
}
