/**
 * A `next` parameter is only followed when it is a path on this site: it starts with one `/`
 * (not `//` nor `/\`, which browsers treat as another host), has no control characters and
 * resolves to the same origin. Anything else gives the fallback, so a crafted link cannot send
 * someone elsewhere after signing in (open redirect).
 */
export function safeNextPath(next: unknown, fallback: string): string {
  if (typeof next !== 'string' || next.length === 0 || next.length > 2000) return fallback;
  if (!next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(next)) return fallback;
  try {
    const base = 'http://same-origin.invalid';
    const url = new URL(next, base);
    if (url.origin !== base) return fallback;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return fallback;
  }
}
