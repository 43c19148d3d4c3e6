import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Config } from '../../../src/lib/config.ts';
import { header, sendEmpty, sendJson } from './http.ts';
import { type JwtClaims, verifyJwt } from './jwt.ts';

/**
 * What Kong does in front of a Supabase project (reference §0): CORS, the API key check, and one
 * mount per service prefix. Services plug in here: `/auth/v1` today, `/realtime/v1` (WebSocket
 * upgrades) and `/storage/v1` next, each a `Service` added to the list given to `createGateway`.
 */

export type KeyRole = 'anon' | 'service_role';

export interface ServiceContext {
  /** The path below the service prefix: `/token` for `/auth/v1/token`. */
  path: string;
  url: URL;
  /** The role the API key grants; undefined only on an open route called without a key. */
  keyRole: KeyRole | undefined;
}

export interface Service {
  /** e.g. `/auth/v1`. */
  prefix: string;
  /** Routes a browser navigates to (email links, OAuth), which carry no API key. */
  isOpenRoute?(path: string, method: string): boolean;
  handle(req: IncomingMessage, res: ServerResponse, ctx: ServiceContext): Promise<void>;
  /** WebSocket upgrades (Realtime); the key may come in the `apikey` query parameter. */
  upgrade?(req: IncomingMessage, socket: Duplex, head: Buffer, ctx: ServiceContext): void;
  close?(): Promise<void>;
}

const ALLOWED_HEADERS = [
  'authorization', 'apikey', 'x-client-info', 'content-type', 'accept', 'accept-profile', 'content-profile',
  'prefer', 'range', 'x-supabase-api-version', 'x-retry-count', 'x-upsert', 'cache-control', 'x-metadata',
  'traceparent', 'tracestate', 'baggage',
];
const EXPOSED_HEADERS = 'Content-Range, X-Total-Count, Link, X-Supabase-Api-Version, Content-Profile, Location, x-sb-error-code';

function corsHeaders(req: IncomingMessage): Record<string, string> {
  // Requested headers are echoed too: a dev server should not fail a preflight over a new client header.
  const requested = (header(req, 'access-control-request-headers') ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter((h) => /^[a-z0-9-]+$/.test(h));
  return {
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Allow-Methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS, HEAD',
    'Access-Control-Allow-Headers': [...new Set([...ALLOWED_HEADERS, ...requested])].join(', '),
    'Access-Control-Expose-Headers': EXPOSED_HEADERS,
    'Access-Control-Max-Age': '86400',
  };
}

/** The role an API key grants: the configured anon / service_role keys, or any key signed with the project secret. */
export function keyRole(key: string, config: Config): KeyRole | undefined {
  if (key === config.anonKey) return 'anon';
  if (key === config.serviceRoleKey) return 'service_role';
  const jwt = verifyJwt(key, config.jwtSecret);
  if (jwt.ok && (jwt.claims.role === 'anon' || jwt.claims.role === 'service_role')) return jwt.claims.role;
  return undefined;
}

/**
 * The claims a request runs with, from `Authorization: Bearer X` (§0 "gateway" step 2), for the
 * services that enforce it (REST, Storage, Realtime). Undefined means 401. Auth does not use this:
 * GoTrue reads the bearer itself so an expired token gets its own 403 `bad_jwt`.
 */
export function bearerClaims(token: string, config: Config): JwtClaims | undefined {
  if (token === config.anonKey) return { role: 'anon' };
  if (token === config.serviceRoleKey) return { role: 'service_role' };
  const jwt = verifyJwt(token, config.jwtSecret);
  return jwt.ok && typeof jwt.claims.role === 'string' ? jwt.claims : undefined;
}

type KeyCheck = { ok: true; role: KeyRole | undefined } | { ok: false; message: string };

function checkKey(url: URL, req: IncomingMessage, service: Service, path: string, config: Config): KeyCheck {
  const key = header(req, 'apikey') ?? url.searchParams.get('apikey') ?? undefined;
  const role = key ? keyRole(key, config) : undefined;
  if (service.isOpenRoute?.(path, req.method ?? 'GET')) return { ok: true, role };
  if (!key) return { ok: false, message: 'No API key found in request' };
  if (!role) return { ok: false, message: 'Invalid API key' };
  return { ok: true, role };
}

export function createGateway(opts: { config: Config; services: Service[]; log: (line: string) => void }) {
  const { config, services, log } = opts;

  function route(req: IncomingMessage): { service: Service; path: string; url: URL } | undefined {
    const url = new URL(req.url ?? '/', 'http://gateway.invalid');
    const service = services.find((s) => url.pathname === s.prefix || url.pathname.startsWith(`${s.prefix}/`));
    return service && { service, path: url.pathname.slice(service.prefix.length) || '/', url };
  }

  return {
    async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
      for (const [name, value] of Object.entries(corsHeaders(req))) res.setHeader(name, value);
      if (req.method === 'OPTIONS') return sendEmpty(res, 204);
      const target = route(req);
      if (!target) return sendJson(res, 404, { code: 'not_found', message: 'no Route matched with those values' });
      const key = checkKey(target.url, req, target.service, target.path, config);
      if (!key.ok) return sendJson(res, 401, { code: 'no_authorization', message: key.message });
      try {
        await target.service.handle(req, res, { path: target.path, url: target.url, keyRole: key.role });
      } catch (err) {
        log(`${req.method} ${target.url.pathname} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        if (!res.headersSent) sendJson(res, 500, { code: 'unexpected_failure', message: 'Unexpected failure, please check server logs for more information' });
        else res.destroy();
      }
    },

    upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
      const target = route(req);
      const key = target && checkKey(target.url, req, target.service, target.path, config);
      if (!target?.service.upgrade || !key?.ok) {
        socket.end(`HTTP/1.1 ${target?.service.upgrade ? '401 Unauthorized' : '404 Not Found'}\r\nConnection: close\r\n\r\n`);
        return;
      }
      target.service.upgrade(req, socket, head, { path: target.path, url: target.url, keyRole: key.role });
    },
  };
}
