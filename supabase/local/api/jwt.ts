import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * HS256 JSON Web Tokens, as GoTrue signs them with the project's JWT secret (reference §A.6).
 * Shared by every service of the local API: Auth mints them, Realtime and Storage will verify them.
 */

export type JwtClaims = Record<string, unknown>;

export type JwtResult = { ok: true; claims: JwtClaims } | { ok: false; reason: string };

const b64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

function signature(signingInput: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(signingInput).digest();
}

export function signJwt(claims: JwtClaims, secret: string): string {
  const input = `${b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64url(JSON.stringify(claims))}`;
  return `${input}.${signature(input, secret).toString('base64url')}`;
}

function parseSegment(segment: string): unknown {
  // Unpadded base64url only, as auth-js's decodeJWT insists.
  if (!/^[A-Za-z0-9_-]*$/.test(segment)) throw new Error('illegal base64 data');
  return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Verifies signature and time claims with no leeway, like golang-jwt in GoTrue. The reasons read
 * like golang-jwt's so GoTrue's "invalid JWT: unable to parse or verify signature, …" messages match.
 */
export function verifyJwt(token: string, secret: string, nowSeconds = Date.now() / 1000): JwtResult {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'token is malformed: token contains an invalid number of segments' };
  const [h = '', p = '', s = ''] = parts;
  let headerJson: unknown;
  let claims: unknown;
  try {
    headerJson = parseSegment(h);
    claims = parseSegment(p);
  } catch {
    return { ok: false, reason: 'token is malformed: could not JSON decode the token' };
  }
  if (!isRecord(headerJson) || !isRecord(claims)) return { ok: false, reason: 'token is malformed: could not JSON decode the token' };
  if (headerJson.alg !== 'HS256') {
    return { ok: false, reason: `token is unverifiable: signing method ${String(headerJson.alg)} is invalid` };
  }
  if (!/^[A-Za-z0-9_-]+$/.test(s)) return { ok: false, reason: 'token signature is invalid: signature is invalid' };
  const given = Buffer.from(s, 'base64url');
  const expected = signature(`${h}.${p}`, secret);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'token signature is invalid: signature is invalid' };
  }
  for (const claim of ['exp', 'nbf', 'iat'] as const) {
    if (claims[claim] !== undefined && typeof claims[claim] !== 'number') {
      return { ok: false, reason: `token has invalid claims: invalid type for claim ${claim}` };
    }
  }
  if (typeof claims.exp === 'number' && nowSeconds > claims.exp) {
    return { ok: false, reason: 'token has invalid claims: token is expired' };
  }
  if (typeof claims.nbf === 'number' && nowSeconds < claims.nbf) {
    return { ok: false, reason: 'token has invalid claims: token is not valid yet' };
  }
  return { ok: true, claims };
}
