import { createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from 'jose';
import type { Claims } from '../src/lib/db/index.ts';

/**
 * The Supabase access token, verified as Supabase's own services verify it: HS256 with the project's
 * JWT secret (the local API, and projects still on the legacy secret), or the project's JWKS for
 * asymmetric signing keys (ES256/RS256, Supabase's default for new projects). `jose` does the crypto.
 */

export type TokenRefusal = 'token-missing' | 'token-invalid' | 'token-expired' | 'token-not-a-user';

export type TokenResult = { ok: true; claims: Claims; expiresAt: number | undefined } | { ok: false; reason: TokenRefusal };

export interface TokenVerifier {
  verify(token: string | null | undefined): Promise<TokenResult>;
}

export function tokenVerifier(opts: { jwtSecret: string; jwksUrl?: string | undefined }): TokenVerifier {
  const secret = new TextEncoder().encode(opts.jwtSecret);
  const jwks = opts.jwksUrl ? createRemoteJWKSet(new URL(opts.jwksUrl)) : undefined;
  return {
    async verify(token) {
      if (!token) return { ok: false, reason: 'token-missing' };
      let payload: JWTPayload;
      try {
        const { alg } = decodeProtectedHeader(token);
        if (alg === 'HS256') {
          ({ payload } = await jwtVerify(token, secret, { algorithms: ['HS256'] }));
        } else if (jwks) {
          ({ payload } = await jwtVerify(token, jwks, { algorithms: ['ES256', 'RS256', 'EdDSA'] }));
        } else {
          return { ok: false, reason: 'token-invalid' };
        }
      } catch (err) {
        return { ok: false, reason: err instanceof errors.JWTExpired ? 'token-expired' : 'token-invalid' };
      }
      // The anon and service keys are valid tokens too; co-editing is for signed-in people only.
      if (payload.role !== 'authenticated' || typeof payload.sub !== 'string' || !payload.sub) {
        return { ok: false, reason: 'token-not-a-user' };
      }
      return { ok: true, claims: payload as Claims, expiresAt: typeof payload.exp === 'number' ? payload.exp * 1000 : undefined };
    },
  };
}
