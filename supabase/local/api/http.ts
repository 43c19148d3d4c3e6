import type { IncomingMessage, ServerResponse } from 'node:http';

/** Bytes accepted in a request body before answering 413; Supabase's own limits are far larger, but nothing here needs more. */
export const MAX_BODY_BYTES = 64 * 1024;
/** Past this the connection is dropped instead of drained: nobody legitimate sends that much. */
const MAX_DRAIN_BYTES = 8 * 1024 * 1024;

export class BodyTooLargeError extends Error {
  constructor() {
    super(`Request body is larger than ${MAX_BODY_BYTES} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

/**
 * Reads the whole body, up to `limit` bytes. An oversized body is still drained (up to a hard cap)
 * so the client reads our 413 instead of a reset connection.
 */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        tooLarge = true;
        chunks.length = 0;
        if (size > MAX_DRAIN_BYTES) req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => (tooLarge ? reject(new BodyTooLargeError()) : resolve(Buffer.concat(chunks))));
    req.on('error', reject);
    req.on('close', () => {
      if (tooLarge) reject(new BodyTooLargeError());
    });
  });
}

/**
 * JSON as Go's encoder writes it (GoTrue's responses): `<`, `>`, `&` and the JS line separators are
 * \u-escaped, so user-supplied markup stays inert even if a response is ever pasted into HTML.
 * These characters only occur inside JSON strings, so the escaping never changes the value.
 */
export function htmlSafeJson(body: unknown): string {
  return (JSON.stringify(body) ?? 'null').replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = htmlSafeJson(body);
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

export function sendEmpty(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  res.writeHead(status, headers);
  res.end();
}

export function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/** The token of an `Authorization: Bearer …` header, matched as loosely as GoTrue's `^(?:B|b)earer (\S+$)`. */
export function bearerToken(req: IncomingMessage): string | undefined {
  const m = /^[Bb]earer (\S+)$/.exec(header(req, 'authorization') ?? '');
  return m?.[1];
}
