import type { IncomingMessage } from 'node:http';
import type postgres from 'postgres';
import type { Config } from '../../../../src/lib/config.ts';
import { BodyTooLargeError, MAX_BODY_BYTES, header, readBody } from '../http.ts';
import { clientIp, type TrustedProxies } from './client-ip.ts';
import { ApiError, badRequest, validationFailed } from './errors.ts';
import type { Mailer } from './mailer.ts';
import type { RateLimits } from './rate-limit.ts';

/** Everything a route needs besides the request. */
export interface AuthDeps {
  config: Config;
  sql: postgres.Sql;
  mailer: Mailer;
  limits: RateLimits;
  log: (line: string) => void;
}

export type Db = postgres.Sql | postgres.TransactionSql;
export type Body = Record<string, unknown>;

/**
 * A jsonb parameter. postgres.js serialises whatever is bound to a jsonb slot itself, so binding
 * already-stringified JSON would store a JSON string instead of an object.
 */
export const jsonb = (db: Db, value: Record<string, unknown>) => db.json(value as postgres.JSONValue);

export interface ClientInfo {
  ip: string;
  userAgent: string;
}

export interface AuthRequest {
  method: string;
  /** Below `/auth/v1`, e.g. `/token`. */
  path: string;
  query: URLSearchParams;
  raw: IncomingMessage;
  client: ClientInfo;
  /** Path parameters of the matched route (`:id`). */
  readonly params: Record<string, string>;
  /** The JSON body as an object; `{}` when empty. Read once, cached. */
  body(): Promise<Body>;
  /** Whether the request carried any body bytes (admin DELETE accepts none). */
  hasBody(): Promise<boolean>;
}

export type Reply =
  | { kind: 'json'; status: number; body: unknown; headers?: Record<string, string> }
  | { kind: 'empty'; status: number }
  | { kind: 'redirect'; location: string };

export const json = (body: unknown, status = 200, headers?: Record<string, string>): Reply =>
  headers ? { kind: 'json', status, body, headers } : { kind: 'json', status, body };
export const noContent = (): Reply => ({ kind: 'empty', status: 204 });
/** GoTrue answers email links with 303 so the browser follows with a GET. */
export const redirect = (location: string): Reply => ({ kind: 'redirect', location });

/** Nesting deeper than this is refused: Postgres and JSON.stringify both recurse, and no real metadata needs it. */
const MAX_DEPTH = 32;

function checkJsonValue(value: unknown, depth: number): void {
  if (depth > MAX_DEPTH) throw validationFailed('Request body is nested too deeply');
  if (typeof value === 'string') {
    // Postgres text and jsonb cannot hold U+0000; refusing here keeps it a 400 instead of a database error.
    if (value.includes('\u0000')) throw validationFailed('Request body must not contain NUL characters');
  } else if (Array.isArray(value)) {
    for (const v of value) checkJsonValue(v, depth + 1);
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      checkJsonValue(k, depth + 1);
      checkJsonValue(v, depth + 1);
    }
  }
}

export function parseJsonObject(bytes: Buffer): Body {
  const text = bytes.toString('utf8');
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw badRequest('bad_json', `Could not parse request body as JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (parsed === null) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw badRequest('bad_json', 'Could not parse request body as JSON: expected a JSON object');
  }
  checkJsonValue(parsed, 0);
  return parsed as Body;
}

export function createAuthRequest(
  raw: IncomingMessage,
  path: string,
  url: URL,
  params: Record<string, string>,
  proxies: TrustedProxies,
): AuthRequest {
  // Query values reach SQL too (a link's token, an admin filter); Postgres text cannot hold U+0000.
  if ([...url.searchParams.values(), ...Object.values(params)].some((v) => v.includes('\u0000'))) {
    throw validationFailed('Request parameters must not contain NUL characters');
  }
  let bytes: Promise<Buffer> | undefined;
  let parsed: Body | undefined;
  const read = () => {
    bytes ??= readBody(raw).catch((err: unknown) => {
      if (err instanceof BodyTooLargeError) {
        throw new ApiError(413, 'validation_failed', `Request body too large (limit ${MAX_BODY_BYTES} bytes)`);
      }
      throw err;
    });
    return bytes;
  };
  return {
    method: raw.method ?? 'GET',
    path,
    query: url.searchParams,
    raw,
    client: { ip: clientIp(raw, proxies), userAgent: (header(raw, 'user-agent') ?? '').slice(0, 1000) },
    params,
    async body() {
      parsed ??= parseJsonObject(await read());
      return parsed;
    },
    async hasBody() {
      return (await read()).length > 0;
    },
  };
}
