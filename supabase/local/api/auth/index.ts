import type { IncomingMessage, ServerResponse } from 'node:http';
import type postgres from 'postgres';
import type { Config } from '../../../../src/lib/config.ts';
import type { Service, ServiceContext } from '../gateway.ts';
import { sendEmpty, sendJson } from '../http.ts';
import { type AuthDeps, type AuthRequest, createAuthRequest, type Reply } from './context.ts';
import { trustedProxies } from './client-ip.ts';
import { API_VERSION, ApiError, errorBody } from './errors.ts';
import { createMailer } from './mailer.ts';
import { createRateLimits } from './rate-limit.ts';
import { createUser, deleteUser, generateLink, getUserById, invite, listUsers, updateUserById } from './routes/admin.ts';
import { health, jwks, oauthUnavailable, settings } from './routes/meta.ts';
import { otp } from './routes/otp.ts';
import { recover, resend } from './routes/recover.ts';
import { signup } from './routes/signup.ts';
import { token } from './routes/token.ts';
import { getUser, signOut, updateUser } from './routes/user.ts';
import { verifyGet, verifyPost } from './routes/verify.ts';

/** The GoTrue-compatible Auth API under `/auth/v1` (reference §A). */

type Handler = (req: AuthRequest, deps: AuthDeps) => Promise<Reply>;

interface Route {
  method: string;
  /** `/admin/users/:id`-style pattern. */
  pattern: string;
  handler: Handler;
}

const ROUTES: Route[] = [
  { method: 'GET', pattern: '/health', handler: health },
  { method: 'GET', pattern: '/settings', handler: settings },
  { method: 'GET', pattern: '/.well-known/jwks.json', handler: jwks },
  { method: 'POST', pattern: '/signup', handler: signup },
  { method: 'POST', pattern: '/token', handler: token },
  { method: 'POST', pattern: '/otp', handler: otp },
  { method: 'POST', pattern: '/magiclink', handler: otp },
  { method: 'GET', pattern: '/verify', handler: verifyGet },
  { method: 'POST', pattern: '/verify', handler: verifyPost },
  { method: 'GET', pattern: '/user', handler: getUser },
  { method: 'PUT', pattern: '/user', handler: updateUser },
  { method: 'POST', pattern: '/logout', handler: signOut },
  { method: 'POST', pattern: '/recover', handler: recover },
  { method: 'POST', pattern: '/resend', handler: resend },
  { method: 'GET', pattern: '/authorize', handler: oauthUnavailable },
  { method: 'GET', pattern: '/callback', handler: oauthUnavailable },
  { method: 'POST', pattern: '/callback', handler: oauthUnavailable },
  { method: 'GET', pattern: '/admin/users', handler: listUsers },
  { method: 'POST', pattern: '/admin/users', handler: createUser },
  { method: 'GET', pattern: '/admin/users/:id', handler: getUserById },
  { method: 'PUT', pattern: '/admin/users/:id', handler: updateUserById },
  { method: 'DELETE', pattern: '/admin/users/:id', handler: deleteUser },
  { method: 'POST', pattern: '/admin/generate_link', handler: generateLink },
  { method: 'POST', pattern: '/invite', handler: invite },
];

/** Browser-navigated routes, open without an API key as in Kong's config (§0). */
const OPEN_PATHS = new Set(['/verify', '/callback', '/authorize']);

function match(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/');
  const got = path.replace(/\/+$/, '').split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const g = got[i]!;
    if (w.startsWith(':')) {
      try {
        params[w.slice(1)] = decodeURIComponent(g);
      } catch {
        return undefined;
      }
    } else if (w !== g) return undefined;
  }
  return params;
}

function write(res: ServerResponse, reply: Reply): void {
  switch (reply.kind) {
    case 'json':
      return sendJson(res, reply.status, reply.body, reply.headers);
    case 'empty':
      return sendEmpty(res, reply.status);
    case 'redirect':
      return sendEmpty(res, 303, { Location: reply.location });
  }
}

function writeError(res: ServerResponse, err: ApiError): void {
  sendJson(res, err.status, errorBody(err), { ...err.headers, 'X-Supabase-Api-Version': API_VERSION, 'x-sb-error-code': err.code });
}

export function createAuthService(opts: { config: Config; sql: postgres.Sql; log: (line: string) => void }): Service {
  const mailer = createMailer(opts.config);
  const deps: AuthDeps = { config: opts.config, sql: opts.sql, mailer, limits: createRateLimits(opts.config), log: opts.log };
  const proxies = trustedProxies(opts.config.auth.trustedProxies);

  return {
    prefix: '/auth/v1',
    isOpenRoute: (path) => OPEN_PATHS.has(path.replace(/\/+$/, '')),

    async handle(raw: IncomingMessage, res: ServerResponse, ctx: ServiceContext): Promise<void> {
      const method = raw.method === 'HEAD' ? 'GET' : (raw.method ?? 'GET');
      const candidates = ROUTES.map((r) => ({ route: r, params: match(r.pattern, ctx.path) })).filter((c) => c.params);
      const hit = candidates.find((c) => c.route.method === method);
      if (!hit?.params) {
        const err = candidates.length
          ? new ApiError(405, 'validation_failed', `Method ${method} not allowed on ${ctx.path}`)
          : new ApiError(404, 'not_found', `No such endpoint: ${ctx.path}`);
        return writeError(res, err);
      }
      try {
        const req = createAuthRequest(raw, ctx.path, ctx.url, hit.params, proxies);
        write(res, await hit.route.handler(req, deps));
      } catch (err) {
        if (err instanceof ApiError) return writeError(res, err);
        // Anything else is a genuine fault (database down, bug): 500, which auth-js retries instead of signing out.
        opts.log(`${method} /auth/v1${ctx.path}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        return writeError(res, new ApiError(500, 'unexpected_failure', 'Unexpected failure, please check server logs for more information'));
      }
    },

    async close() {
      mailer.close();
    },
  };
}
