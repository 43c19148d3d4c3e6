import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';
import { header } from '../http.ts';

/**
 * The caller's address, as a deployment behind a proxy works it out. The socket's address is the
 * caller; only when that caller is a trusted proxy (`AUTH_TRUSTED_PROXIES`: the site itself,
 * loopback by default) is `X-Forwarded-For` read, from the right, hop by hop, until the first
 * address that is not a trusted proxy: that one is the client. Anybody else can write whatever
 * they like in the header, so for them it is ignored — otherwise one caller could take as many
 * rate-limit buckets as it invents addresses.
 */
export interface TrustedProxies {
  has(ip: string): boolean;
}

/** Parses `127.0.0.0/8`, `::1`, `10.1.2.3` (validated by the config schema already). */
export function trustedProxies(ranges: readonly string[]): TrustedProxies {
  const list = new BlockList();
  for (const range of ranges) {
    const [address = '', prefix] = range.split('/');
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(prefix), family);
  }
  return {
    has(ip: string): boolean {
      const family = isIP(ip);
      if (family === 0) return false;
      return list.check(ip, family === 6 ? 'ipv6' : 'ipv4');
    },
  };
}

/** A valid address in the form Postgres's `inet` takes: no IPv6 zone id, IPv4-mapped IPv6 unwrapped. */
export function normaliseIp(candidate: string | undefined): string | undefined {
  let ip = candidate?.trim().split('%')[0];
  if (!ip) return undefined;
  // `[::1]:1234` and `1.2.3.4:5678` (some proxies add the port).
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(ip);
  if (bracketed) ip = bracketed[1]!;
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(ip)) ip = ip.slice(0, ip.lastIndexOf(':'));
  const mapped = /^::ffff:(\d{1,3}(\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) ip = mapped[1]!;
  return isIP(ip) ? ip : undefined;
}

export function clientIp(req: IncomingMessage, trusted: TrustedProxies): string {
  let client = normaliseIp(req.socket.remoteAddress) ?? '127.0.0.1';
  if (!trusted.has(client)) return client;
  // Node joins repeated X-Forwarded-For headers with commas, in order.
  const hops = (header(req, 'x-forwarded-for') ?? '')
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean);
  while (hops.length > 0 && trusted.has(client)) {
    const hop = normaliseIp(hops.pop());
    // A malformed hop: stop at the last address we can vouch for.
    if (!hop) break;
    client = hop;
  }
  return client;
}
