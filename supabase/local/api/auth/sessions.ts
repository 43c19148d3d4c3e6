import { randomBytes, randomUUID } from 'node:crypto';
import { bearerToken } from '../http.ts';
import { type JwtClaims, signJwt, verifyJwt } from '../jwt.ts';
import type { AuthDeps, AuthRequest, ClientInfo, Db } from './context.ts';
import { badRequest, forbidden, unauthorized } from './errors.ts';
import { findUserById, isBanned, userJson, type UserRow } from './users.ts';
import { isUuid, NIL_UUID, type JsonObject } from './validate.ts';

/** The session (token) response of GoTrue (`AccessTokenResponse`, reference §A.2). */
export interface TokenResponse {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
  expires_at: number;
  refresh_token: string;
  user: JsonObject;
  weak_password?: { message: string; reasons: string[] };
}

/** Opaque, like GoTrue's v1 refresh tokens; clients never look inside. */
const newRefreshToken = () => randomBytes(18).toString('base64url');

const issuer = (deps: AuthDeps) => `${deps.config.supabaseUrl}/auth/v1`;

/** Signs the access token for a session: GoTrue's claims, `aud` as a string, `amr` newest first (§A.6). */
async function accessToken(db: Db, deps: AuthDeps, user: JsonObject, sessionId: string): Promise<{ token: string; expiresAt: number }> {
  const amr = await db<{ method: string; timestamp: number }[]>`
    select authentication_method as method, floor(extract(epoch from updated_at))::float8 as timestamp
    from auth.mfa_amr_claims where session_id = ${sessionId} order by updated_at desc`;
  const iat = Math.floor(Date.now() / 1000);
  const exp = iat + deps.config.auth.jwtExp;
  const claims = {
    iss: issuer(deps),
    sub: user.id,
    aud: user.aud,
    exp,
    iat,
    email: user.email,
    phone: user.phone,
    app_metadata: user.app_metadata,
    user_metadata: user.user_metadata,
    role: user.role,
    aal: 'aal1',
    amr: amr.map((a) => ({ method: a.method, timestamp: a.timestamp })),
    session_id: sessionId,
    is_anonymous: user.is_anonymous,
  };
  return { token: signJwt(claims, deps.config.jwtSecret), expiresAt: exp };
}

async function tokenResponse(db: Db, deps: AuthDeps, userId: string, sessionId: string, refreshToken: string): Promise<TokenResponse> {
  const user = await userJson(db, userId);
  const { token, expiresAt } = await accessToken(db, deps, user, sessionId);
  return {
    access_token: token,
    token_type: 'bearer',
    expires_in: deps.config.auth.jwtExp,
    expires_at: expiresAt,
    refresh_token: refreshToken,
    user,
  };
}

async function insertRefreshToken(db: Db, userId: string, sessionId: string, parent: string | null): Promise<string> {
  const token = newRefreshToken();
  await db`
    insert into auth.refresh_tokens (instance_id, token, user_id, revoked, parent, session_id, created_at, updated_at)
    values (${NIL_UUID}, ${token}, ${userId}, false, ${parent}, ${sessionId}, now(), now())`;
  return token;
}

/**
 * A new session for a user who just proved who they are, recorded with `method` as its `amr`
 * (`password`, `otp`, `magiclink`, `email/signup`, `recovery`…). Call inside a transaction.
 */
export async function startSession(db: Db, deps: AuthDeps, userId: string, method: string, client: ClientInfo): Promise<TokenResponse> {
  const sessionId = randomUUID();
  await db`
    insert into auth.sessions (id, user_id, created_at, updated_at, aal, user_agent, ip, not_after)
    values (${sessionId}, ${userId}, now(), now(), 'aal1', ${client.userAgent}, ${client.ip}::inet,
            case when ${deps.config.auth.sessionsTimebox}::int > 0 then now() + make_interval(secs => ${deps.config.auth.sessionsTimebox}::int) end)`;
  await db`
    insert into auth.mfa_amr_claims (id, session_id, created_at, updated_at, authentication_method)
    values (${randomUUID()}, ${sessionId}, now(), now(), ${method})
    on conflict (session_id, authentication_method) do update set updated_at = now()`;
  await db`update auth.users set last_sign_in_at = now(), updated_at = now() where id = ${userId}`;
  const refreshToken = await insertRefreshToken(db, userId, sessionId, null);
  return tokenResponse(db, deps, userId, sessionId, refreshToken);
}

interface RefreshRow {
  id: string;
  token: string;
  revoked: boolean;
  parent: string | null;
  session_id: string | null;
  in_reuse_window: boolean;
}

/**
 * Refresh-token rotation (reference §A.5). The session row is locked, so concurrent refreshes
 * with one token queue up: the first rotates, the others find the token's child active and get
 * that same child back. A revoked token presented later than the reuse interval revokes the whole
 * session family — once that has happened, nothing in the family can be revived.
 */
export async function refreshSession(deps: AuthDeps, presented: string, client: ClientInfo): Promise<TokenResponse> {
  const outcome = await deps.sql.begin(async (tx) => {
    const [first] = await tx<{ session_id: string | null }[]>`select session_id from auth.refresh_tokens where token = ${presented}`;
    if (!first) throw badRequest('refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found');
    const [session] = first.session_id
      ? await tx<{ id: string; user_id: string; expired: boolean }[]>`
          select id, user_id, coalesce(not_after < now(), false) as expired from auth.sessions where id = ${first.session_id} for update`
      : [];
    if (!session) throw badRequest('session_not_found', 'Invalid Refresh Token: No Valid Session Found');
    const [token] = await tx<RefreshRow[]>`
      select id, token, revoked, parent, session_id,
             updated_at + make_interval(secs => ${deps.config.auth.refreshTokenReuseInterval}) >= now() as in_reuse_window
      from auth.refresh_tokens where token = ${presented}`;
    if (!token) throw badRequest('refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found');
    const user = await findUserById(tx, session.user_id);
    if (!user) throw badRequest('session_not_found', 'Invalid Refresh Token: No Valid Session Found');
    if (isBanned(user)) throw badRequest('user_banned', 'Invalid Refresh Token: User Banned');
    if (session.expired) throw badRequest('session_expired', 'Invalid Refresh Token: Session Expired');

    let next: string;
    if (!token.revoked) {
      await tx`update auth.refresh_tokens set revoked = true, updated_at = now() where id = ${token.id}`;
      next = await insertRefreshToken(tx, user.id, session.id, token.token);
    } else {
      const [active] = await tx<{ token: string; parent: string | null }[]>`
        select token, parent from auth.refresh_tokens where session_id = ${session.id} and not revoked order by id desc limit 1`;
      if (active?.parent === token.token) next = active.token;
      else if (active && token.in_reuse_window) next = await insertRefreshToken(tx, user.id, session.id, token.token);
      else {
        await tx`update auth.refresh_tokens set revoked = true where session_id = ${session.id} and not revoked`;
        return { reused: true } as const;
      }
    }
    await tx`
      update auth.sessions set refreshed_at = now() at time zone 'utc', updated_at = now(),
             user_agent = ${client.userAgent}, ip = ${client.ip}::inet
      where id = ${session.id}`;
    return { response: await tokenResponse(tx, deps, user.id, session.id, next) } as const;
  });
  if ('reused' in outcome) throw badRequest('refresh_token_already_used', 'Invalid Refresh Token: Already Used');
  return outcome.response;
}

/** The verified claims of the request's bearer JWT (signature and `exp`, no leeway), or GoTrue's 401/403. */
export function requireBearerJwt(deps: AuthDeps, req: AuthRequest): JwtClaims {
  const token = bearerToken(req.raw);
  if (!token) throw unauthorized('no_authorization', 'This endpoint requires a valid Bearer token');
  const jwt = verifyJwt(token, deps.config.jwtSecret);
  if (!jwt.ok) throw forbidden('bad_jwt', `invalid JWT: unable to parse or verify signature, ${jwt.reason}`);
  return jwt.claims;
}

export interface Authenticated {
  user: UserRow;
  sessionId: string | undefined;
}

/**
 * GoTrue's `requireAuthentication`: a bearer JWT with a valid signature and `exp` (no leeway),
 * whose user exists and whose session, when it names one, still exists (§A.3 `getUser`).
 */
export async function authenticate(deps: AuthDeps, req: AuthRequest): Promise<Authenticated> {
  const { sub, session_id: sid } = requireBearerJwt(deps, req);
  if (typeof sub !== 'string' || sub === '') throw forbidden('bad_jwt', 'invalid claim: missing sub claim');
  if (!isUuid(sub)) throw badRequest('bad_jwt', 'invalid claim: sub claim must be a UUID');
  const user = await findUserById(deps.sql, sub);
  if (!user) throw forbidden('user_not_found', 'User from sub claim in JWT does not exist');
  if (sid === undefined || sid === null || sid === '' || sid === NIL_UUID) return { user, sessionId: undefined };
  if (typeof sid !== 'string' || !isUuid(sid)) throw forbidden('bad_jwt', 'invalid claim: session_id claim must be a UUID');
  const [session] = await deps.sql`select id from auth.sessions where id = ${sid}`;
  if (!session) throw forbidden('session_not_found', 'Session from session_id claim in JWT does not exist');
  return { user, sessionId: sid };
}

/** Ends sessions; GoTrue deletes them, which also drops their refresh tokens and amr claims. */
export async function logout(db: Db, userId: string, scope: 'global' | 'local' | 'others', sessionId: string | undefined): Promise<void> {
  // A token without a session (legacy) can only mean "everywhere", whatever the scope, as in GoTrue.
  if (sessionId && scope === 'local') await db`delete from auth.sessions where id = ${sessionId}`;
  else if (sessionId && scope === 'others') await db`delete from auth.sessions where user_id = ${userId} and id <> ${sessionId}`;
  else await db`delete from auth.sessions where user_id = ${userId}`;
}
