import type { AstroCookies } from 'astro';

const COOKIE = 'decidons_form_visitor';
const VALID = /^[A-Za-z0-9_-]{43}$/;

/*
 * The browser's token for answering forms without an account (one submission per browser): 32
 * random bytes in an HTTP-only cookie that lasts a year. The database keeps only a keyed hash of
 * it per questionnaire, so it identifies nothing outside this browser.
 */

export function readVisitorToken(cookies: AstroCookies): string | null {
  const v = cookies.get(COOKIE)?.value;
  return v && VALID.test(v) ? v : null;
}

export function ensureVisitorToken(cookies: AstroCookies, url: URL): string {
  const current = readVisitorToken(cookies);
  if (current) return current;
  const bytes = new Uint8Array(32);
  crypto.getRandomValues(bytes);
  const token = Buffer.from(bytes).toString('base64url');
  cookies.set(COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure: url.protocol === 'https:', maxAge: 365 * 24 * 3600 });
  return token;
}
