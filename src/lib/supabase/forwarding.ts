import { isIP } from 'node:net';
import type { SupabaseClient } from '@supabase/supabase-js';

/**
 * What the site's server-side Supabase clients add to each call to the Auth server: the
 * browser's address as `X-Forwarded-For` (replacing anything the browser itself may have sent),
 * and, from a 429 answer, its `Retry-After`, so a form can say when to try again.
 */

export interface RetryHint {
  seconds: number | undefined;
}

const hints = new WeakMap<SupabaseClient, RetryHint>();

export function rememberRetryAfter(client: SupabaseClient, hint: RetryHint): void {
  hints.set(client, hint);
}

/** Seconds the Auth server asked to wait in its last 429 answer to this client, if it said. */
export function retryAfterSeconds(client: SupabaseClient): number | undefined {
  return hints.get(client)?.seconds;
}

/** `Retry-After` as seconds (a number, or an HTTP date); undefined when absent or nonsense. */
export function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Math.min(Number(trimmed), 86_400);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.min(Math.max(0, Math.ceil((date - Date.now()) / 1000)), 86_400);
}

/** Only a syntactically valid address is forwarded (IPv4-mapped IPv6 unwrapped, zone id removed). */
export function forwardableAddress(address: string | undefined): string | undefined {
  let ip = address?.trim().split('%')[0];
  if (!ip) return undefined;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) ip = mapped[1];
  return ip && isIP(ip) ? ip : undefined;
}

export function forwardingFetch(clientAddress: string | undefined, hint: RetryHint): typeof fetch {
  const forwarded = forwardableAddress(clientAddress);
  return async (input, init) => {
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    if (forwarded) headers.set('X-Forwarded-For', forwarded);
    else headers.delete('X-Forwarded-For');
    const res = await fetch(input, { ...init, headers });
    if (res.status === 429) hint.seconds = parseRetryAfter(res.headers.get('retry-after'));
    return res;
  };
}
