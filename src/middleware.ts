import { defineMiddleware } from 'astro:middleware';
import { getConfig } from './lib/config.ts';
import { asMaintenance } from './lib/http/maintenance.ts';
import { securityHeaders } from './lib/http/security-headers.ts';
import { isLocale, localeFromPath, negotiateLocale } from './lib/i18n/locales.ts';
import { decodeJwtPayload } from './lib/supabase/jwt.ts';
import { createRequestClient } from './lib/supabase/server.ts';

/** Requests that never need a session: built assets, files with an extension, the health check. */
function isStaticOrHealth(pathname: string): boolean {
  return (
    pathname === '/healthz' ||
    pathname.startsWith('/_astro/') ||
    pathname.startsWith('/@') ||
    /\.[a-z0-9]{1,8}$/i.test(pathname)
  );
}

/**
 * Every request: the locale, a Supabase client bound to the visitor's cookies and, when there is
 * a session cookie, the user — verified by the Auth server (`getUser`, which also notices revoked
 * sessions), with the access token's claims for `asUser`. Session changes made while handling
 * the request (refresh, sign-in, sign-out) leave as Set-Cookie with no-cache headers.
 */
export const onRequest = defineMiddleware(async (context, next) => {
  const { url, request, locals } = context;
  locals.locale = localeFromPath(url.pathname) ?? negotiateLocale(request.headers.get('accept-language'));
  locals.user = null;
  locals.claims = null;
  const cacheHeaders: Record<string, string> = {};
  locals.supabase = createRequestClient({
    request,
    cookies: context.cookies,
    clientAddress: () => context.clientAddress,
    onHeaders: (h) => Object.assign(cacheHeaders, h),
  });

  // `/[locale]/…` routes match any first segment; only real locales exist.
  if ('locale' in context.params && !isLocale(context.params['locale'])) {
    const notFound = await context.rewrite('/404');
    return withStatus(notFound, 404);
  }

  if (!isStaticOrHealth(url.pathname)) {
    try {
      // Reads the cookie (refreshing the tokens if they are about to expire), then asks the Auth
      // server whether this exact access token is still good.
      const { data } = await locals.supabase.auth.getSession();
      const token = data.session?.access_token;
      if (token) {
        const { data: verified } = await locals.supabase.auth.getUser(token);
        if (verified.user) {
          locals.user = verified.user;
          locals.claims = decodeJwtPayload(token);
        }
      }
    } catch (err) {
      // An unreachable Auth server must not take the whole site down: the visitor is anonymous.
      console.error('[auth] session check failed:', err instanceof Error ? err.message : err);
    }
  }

  const response = asMaintenance(await next());
  const extra: Record<string, string> = { ...cacheHeaders };
  if (!response.headers.has('cache-control')) {
    // Pages rendered for a signed-in person are theirs alone; the others may be kept by a browser
    // or a proxy but must be checked again each time (they change live).
    if (locals.user) extra['Cache-Control'] = 'private, no-store';
    else if (isHtml(response)) extra['Cache-Control'] = 'no-cache';
  }
  if (isHtml(response)) Object.assign(extra, deploymentHeaders()(response.headers.get('content-security-policy')));
  return withHeaders(response, extra);
});

let headersOfDeployment: ReturnType<typeof securityHeaders> | undefined;
/** The configuration's part of the security headers, built on the first HTML response. */
function deploymentHeaders(): ReturnType<typeof securityHeaders> {
  if (!headersOfDeployment) {
    const config = getConfig();
    headersOfDeployment = securityHeaders({
      supabaseUrl: config.supabaseUrl,
      siteUrl: config.siteUrl,
      mapboxToken: config.mapboxToken,
      frameAncestors: config.frameAncestors,
      collabUrl: config.collab.url,
    });
  }
  return headersOfDeployment;
}

function isHtml(response: Response): boolean {
  return (response.headers.get('content-type') ?? '').startsWith('text/html');
}

function withHeaders(response: Response, headers: Record<string, string>): Response {
  if (Object.keys(headers).length === 0) return response;
  try {
    for (const [k, v] of Object.entries(headers)) response.headers.set(k, v);
    return response;
  } catch {
    // Some responses have immutable headers: copy them.
    const copy = new Response(response.body, response);
    for (const [k, v] of Object.entries(headers)) copy.headers.set(k, v);
    return copy;
  }
}

function withStatus(response: Response, status: number): Response {
  if (response.status === status) return response;
  return new Response(response.body, { status, headers: response.headers });
}
