import { createServerClient, parseCookieHeader, type CookieOptions } from '@supabase/ssr';
import type { SupabaseClient } from '@supabase/supabase-js';
import type { AstroCookies, AstroCookieSetOptions } from 'astro';
import { getConfig } from '../config.ts';
import { forwardingFetch, rememberRetryAfter } from './forwarding.ts';

export type { SupabaseClient };
export { retryAfterSeconds } from './forwarding.ts';

/**
 * The Supabase client of one request, as @supabase/ssr wants it on a server: the session comes
 * from the request's cookies and every change (sign-in, refresh, sign-out, PKCE verifier) goes
 * back as Set-Cookie through Astro's cookies. `onHeaders` receives the cache headers ssr asks for
 * when it writes a session (a response carrying a session must never be cached by a proxy).
 *
 * `clientAddress` is the browser's address (Astro's `context.clientAddress`; a function is read
 * once, and an address Astro cannot give — a prerendered page — is left out). It goes to the Auth
 * server as `X-Forwarded-For`, which the server believes from this site only (its trusted
 * proxies), so rate limits count each browser on its own instead of the whole site as one caller.
 *
 * Only the anon key is used here: the browser never gets anything else.
 */
export function createRequestClient(opts: {
  request: Request;
  cookies: AstroCookies;
  onHeaders: (headers: Record<string, string>) => void;
  clientAddress?: string | (() => string | undefined);
}): SupabaseClient {
  const config = getConfig();
  const retry = { seconds: undefined as number | undefined };
  const sessionSeconds = config.auth.sessionsTimebox > 0 ? config.auth.sessionsTimebox : 400 * 24 * 3600;
  const client = createServerClient(config.supabaseUrl, config.anonKey, {
    cookies: {
      getAll: () =>
        parseCookieHeader(opts.request.headers.get('cookie') ?? '').map(({ name, value }) => ({ name, value: value ?? '' })),
      setAll: (cookies, headers) => {
        for (const { name, value, options } of cookies) {
          // @supabase/ssr always writes 400 days; a session cookie lives as long as its session.
          const live = options.maxAge !== undefined && options.maxAge > 0;
          opts.cookies.set(name, value, astroCookieOptions(live ? { ...options, maxAge: sessionSeconds } : options));
        }
        if (Object.keys(headers).length > 0) opts.onHeaders(headers);
      },
    },
    // Over https the session cookies must not leak to plain-http requests.
    cookieOptions: { secure: config.siteUrl.startsWith('https:'), sameSite: 'lax' },
    global: { fetch: forwardingFetch(resolveAddress(opts.clientAddress), retry) },
  });
  rememberRetryAfter(client, retry);
  return client;
}

function resolveAddress(address: string | (() => string | undefined) | undefined): string | undefined {
  try {
    return typeof address === 'function' ? address() : address;
  } catch {
    // Astro throws when there is no client (prerendering).
    return undefined;
  }
}

function astroCookieOptions(o: CookieOptions): AstroCookieSetOptions {
  const out: AstroCookieSetOptions = {};
  if (o.path !== undefined) out.path = o.path;
  if (o.domain !== undefined) out.domain = o.domain;
  if (o.maxAge !== undefined) out.maxAge = o.maxAge;
  if (o.expires !== undefined) out.expires = o.expires;
  if (o.httpOnly !== undefined) out.httpOnly = o.httpOnly;
  if (o.secure !== undefined) out.secure = o.secure;
  if (o.sameSite !== undefined) out.sameSite = o.sameSite;
  return out;
}

/**
 * Expires every Supabase auth cookie the request carried (session chunks and PKCE verifiers): the
 * fallback when signing out could not reach the Auth server.
 */
export function clearAuthCookies(request: Request, cookies: AstroCookies): void {
  for (const { name } of parseCookieHeader(request.headers.get('cookie') ?? '')) {
    if (/^sb-.+-auth-token/.test(name)) cookies.delete(name, { path: '/' });
  }
}
