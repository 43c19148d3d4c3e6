import type { IncomingMessage } from 'node:http';
import { errors as joseErrors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { header } from '../http.ts';
import { ERRORS } from './errors.ts';

/**
 * Who a Storage request runs as (supabase/storage `src/http/plugins/jwt.ts`): the bearer is a JWT
 * signed with the project secret, verified with `jose` as Storage does (so its messages match),
 * and its `role` becomes the Postgres role of the request's transaction. Signed URLs are JWTs too,
 * with a `scope` and the `url` they open (`src/storage/object.ts` `signObjectUrl`).
 */

/** The roles a request may run as; any other `role` claim is refused rather than `set role` to it. */
export type ApiRole = 'anon' | 'authenticated' | 'service_role';
const API_ROLES = new Set<string>(['anon', 'authenticated', 'service_role']);

export interface Caller {
  role: ApiRole;
  claims: Record<string, unknown>;
  jwt: string;
  /** A valid JWT was presented (the anon key counts, as on Supabase). */
  authenticated: boolean;
  /** The `sub` claim: the owner of what the caller uploads. */
  owner: string | undefined;
}

export const ANONYMOUS: Caller = { role: 'anon', claims: { role: 'anon' }, jwt: '', authenticated: false, owner: undefined };

const keyCache = new Map<string, Uint8Array>();
function secretKey(secret: string): Uint8Array {
  let key = keyCache.get(secret);
  if (!key) {
    key = new TextEncoder().encode(secret);
    keyCache.set(secret, key);
  }
  return key;
}

export async function verifyToken(token: string, secret: string): Promise<JWTPayload> {
  const { payload } = await jwtVerify(token, secretKey(secret), { algorithms: ['HS256'] });
  return payload;
}

function messageOf(err: unknown): string {
  if (err instanceof joseErrors.JOSEError) return err.message;
  return err instanceof Error ? err.message : String(err);
}

/**
 * The caller of a request. `optional`: routes that also serve public buckets without a token
 * (`allowInvalidJwt`), where a missing or bad token means an anonymous, unauthenticated caller.
 */
export async function callerOf(req: IncomingMessage, secret: string, opts: { optional?: boolean } = {}): Promise<Caller> {
  const jwt = (header(req, 'authorization') ?? '').replace(/^Bearer\s+/i, '');
  if (!jwt && opts.optional) return ANONYMOUS;
  let claims: JWTPayload;
  try {
    claims = await verifyToken(jwt, secret);
  } catch (err) {
    if (opts.optional) return ANONYMOUS;
    throw ERRORS.AccessDenied(messageOf(err));
  }
  const role = typeof claims.role === 'string' ? claims.role : '';
  if (!API_ROLES.has(role)) {
    if (opts.optional) return ANONYMOUS;
    throw ERRORS.AccessDenied('Access denied: Invalid role').withStatus(403);
  }
  return {
    role: role as ApiRole,
    claims: claims as Record<string, unknown>,
    jwt,
    authenticated: true,
    owner: typeof claims.sub === 'string' && claims.sub ? claims.sub : undefined,
  };
}

export const DOWNLOAD_SCOPE = 'download';
export const UPLOAD_SCOPE = 'upload';

export interface SignedToken extends JWTPayload {
  url: string;
  scope?: string;
  transformations?: string;
  format?: string;
  owner?: string;
  upsert?: boolean;
}

export async function signToken(payload: Record<string, unknown>, secret: string, expiresIn: number): Promise<string> {
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt()
    .setExpirationTime(`${Math.floor(expiresIn)}s`)
    .sign(secretKey(secret));
}

/** Storage's `verifyObjectSignature`: a valid token, of this scope, for exactly this object. */
export async function verifyObjectToken(token: string | null, secret: string, url: string, scope: string): Promise<SignedToken> {
  if (!token) throw ERRORS.MissingParameter('token');
  let payload: JWTPayload;
  try {
    payload = await verifyToken(token, secret);
  } catch (err) {
    throw ERRORS.InvalidJWT(messageOf(err));
  }
  const p = payload as SignedToken;
  // Legacy tokens carry no scope: an `upsert` claim made them upload tokens.
  const scoped = scope === UPLOAD_SCOPE
    ? p.scope === UPLOAD_SCOPE || (p.scope === undefined && 'upsert' in p)
    : p.scope === DOWNLOAD_SCOPE || (p.scope === undefined && !('upsert' in p));
  if (!scoped) throw ERRORS.InvalidSignature(`Token is not scoped for ${scope}`);
  if (p.url !== url) throw ERRORS.InvalidSignature();
  if (typeof p.exp === 'number' && p.exp * 1000 < Date.now()) throw ERRORS.ExpiredSignature();
  return p;
}

/** Supabase caps relative expiries so the absolute `exp` stays a safe JWT time (`assertValidNumericJWTExpiration`). */
const MAX_ABSOLUTE_EXP = 2 ** 31 - 1;
export function assertValidExpiresIn(value: unknown): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  const seconds = Math.floor(n);
  if (!Number.isFinite(n) || !Number.isSafeInteger(seconds) || seconds < 1 || seconds > MAX_ABSOLUTE_EXP - Math.floor(Date.now() / 1000)) {
    throw ERRORS.InvalidParameter('expiresIn');
  }
  return seconds;
}
