import type { Claims } from '../db/index.ts';

/**
 * The payload of a JWT, without checking the signature: call it only on a token the Auth server
 * has just accepted (`auth.getUser(token)`), to hand its claims to `asUser`.
 */
export function decodeJwtPayload(token: string): Claims | null {
  const part = token.split('.')[1];
  if (!part) return null;
  try {
    const json = Buffer.from(part, 'base64url').toString('utf8');
    const payload: unknown = JSON.parse(json);
    if (!payload || typeof payload !== 'object' || typeof (payload as { role?: unknown }).role !== 'string') return null;
    return payload as Claims;
  } catch {
    return null;
  }
}

/** The authentication methods of a session (`amr`), newest first, as GoTrue puts them in the JWT. */
export function authMethods(claims: Claims | null | undefined): { method: string; timestamp: number }[] {
  const amr = claims?.['amr'];
  if (!Array.isArray(amr)) return [];
  return amr
    .filter((m): m is { method: string; timestamp: number } =>
      !!m && typeof m === 'object' && typeof (m as { method?: unknown }).method === 'string',
    )
    .map((m) => ({ method: m.method, timestamp: Number(m.timestamp) || 0 }))
    .sort((a, b) => b.timestamp - a.timestamp);
}
