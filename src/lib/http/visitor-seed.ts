import type { AstroCookies } from 'astro';

const COOKIE = 'decidons_seed';
const VALID = /^[a-z0-9]{12}$/;

/**
 * A random value per visitor, for orders that are random but must not reshuffle from one visit of
 * the list to the next (Decidim keeps it in the session). A session cookie: it goes when the
 * browser closes, is never stored on the server and identifies nobody (12 random characters).
 */
export function visitorSeed(cookies: AstroCookies, url: URL): string {
  const current = cookies.get(COOKIE)?.value;
  if (current && VALID.test(current)) return current;
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  const seed = [...bytes].map((b) => (b % 36).toString(36)).join('');
  cookies.set(COOKIE, seed, { path: '/', httpOnly: true, sameSite: 'lax', secure: url.protocol === 'https:' });
  return seed;
}
