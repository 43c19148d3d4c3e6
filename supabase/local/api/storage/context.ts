import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type postgres from 'postgres';
import type { Config } from '../../../../src/lib/config.ts';
import { BodyTooLargeError, header, readBody, sendJson } from '../http.ts';
import { type Caller, callerOf } from './caller.ts';
import type { RequestInfo } from './db.ts';
import { ERRORS, StorageHttpError } from './errors.ts';
import type { FileStore } from './files.ts';

export interface StorageDeps {
  config: Config;
  sql: postgres.Sql;
  files: FileStore;
  log: (line: string) => void;
  /** The instance's upload limit in bytes (Storage's `FILE_SIZE_LIMIT`); a bucket may only lower it. */
  maxFileSize: number;
}

export interface StorageRequest {
  method: string;
  /** Below `/storage/v1`. */
  path: string;
  url: URL;
  raw: IncomingMessage;
  res: ServerResponse;
  deps: StorageDeps;
  /** The `*` of the route, decoded: the object's name. */
  rest: string;
  /** `:bucket` of the route, decoded. */
  bucket: string;
  /** The caller from the bearer token; `optional` serves public buckets to anyone. */
  caller(opts?: { optional?: boolean }): Promise<Caller>;
  info(operation: string): RequestInfo;
  json(): Promise<Record<string, unknown>>;
}

export function createRequest(raw: IncomingMessage, res: ServerResponse, path: string, url: URL, deps: StorageDeps): StorageRequest {
  let body: Promise<Record<string, unknown>> | undefined;
  return {
    method: raw.method ?? 'GET',
    path,
    url,
    raw,
    res,
    deps,
    rest: '',
    bucket: '',
    caller: (opts) => callerOf(raw, deps.config.jwtSecret, opts),
    info(operation) {
      const headers: Record<string, string> = {};
      for (const name of ['user-agent', 'x-client-info', 'content-type', 'x-upsert']) {
        const v = header(raw, name);
        if (v) headers[name] = v;
      }
      return { method: raw.method ?? 'GET', path: url.pathname, headers, operation };
    },
    json() {
      body ??= (async () => {
        let buf: Buffer;
        try {
          buf = await readBody(raw);
        } catch (err) {
          if (err instanceof BodyTooLargeError) throw new StorageHttpError({ code: 'EntityTooLarge', statusCode: 413, message: 'Request body is too large', error: 'Payload Too Large' }).withStatus(413);
          throw err;
        }
        if (buf.length === 0) return {};
        let v: unknown;
        try {
          v = JSON.parse(buf.toString('utf8'));
        } catch {
          throw ERRORS.Validation("Body is not valid JSON but content-type is set to 'application/json'");
        }
        if (!v || typeof v !== 'object' || Array.isArray(v)) throw ERRORS.Validation('body must be object');
        return v as Record<string, unknown>;
      })();
      return body;
    },
  };
}

export function sendError(res: ServerResponse, err: StorageHttpError): void {
  sendJson(res, err.httpStatus, err.body());
}

export const md5ETag = (data: Uint8Array) => `"${createHash('md5').update(data).digest('hex')}"`;

/** Body field readers: a wrong type is Fastify's schema error, as Storage answers it. */
export const str = (body: Record<string, unknown>, name: string, opts: { required?: boolean } = {}): string | undefined => {
  const v = body[name];
  if (v === undefined || v === null) {
    if (opts.required) throw ERRORS.Validation(`body must have required property '${name}'`);
    return undefined;
  }
  if (typeof v !== 'string') throw ERRORS.Validation(`body/${name} must be string`);
  return v;
};
