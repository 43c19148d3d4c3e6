const BASE = 'http://same-origin.invalid';

/** A path on this host: one leading `/`, never `//` or `/\` (which browsers read as another host). */
const isHostRelativePath = (p: string) => p.startsWith('/') && !p.startsWith('//') && !p.startsWith('/\\');

// eslint-disable-next-line no-control-regex
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f\\]/;

/**
 * A `next` parameter is only followed when it is a path on this site. The check is made on what
 * will actually be sent in `Location` — the URL parser's normalised result — and not only on the
 * raw string: `/.//evil.example`, `/fr/..//evil.example` and `/%2e//evil.example` all look like
 * paths but normalise to `//evil.example`, another host. The decoded path is checked too
 * (`/%2f%2fevil.example`, `/%5cevil.example`), so no later decoding can turn it into one either.
 * Control characters (tabs and newlines, which the URL parser silently drops) and backslashes
 * are refused outright. Anything else gives the fallback (open redirect).
 */
export function safeNextPath(next: unknown, fallback: string): string {
  if (typeof next !== 'string' || next.length === 0 || next.length > 2000) return fallback;
  if (UNSAFE_CHARACTERS.test(next) || !isHostRelativePath(next)) return fallback;
  let url: URL;
  try {
    url = new URL(next, BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== BASE) return fallback;
  const result = `${url.pathname}${url.search}${url.hash}`;
  if (!isHostRelativePath(result) || UNSAFE_CHARACTERS.test(result)) return fallback;
  let decoded: string;
  try {
    decoded = decodeURIComponent(url.pathname);
  } catch {
    return fallback;
  }
  if (!isHostRelativePath(decoded) || UNSAFE_CHARACTERS.test(decoded)) return fallback;
  // The result must be stable: parsing it again gives the same path on the same origin.
  try {
    const again = new URL(result, BASE);
    if (again.origin !== BASE || `${again.pathname}${again.search}${again.hash}` !== result) return fallback;
  } catch {
    return fallback;
  }
  return result;
}
