import { createClient } from '@supabase/supabase-js';
import sharp from 'sharp';
import { inject } from 'vitest';
import type { Claims } from '../../src/lib/db/index.ts';
import { signJwt } from '../../supabase/local/api/jwt.ts';
import { userClaims } from '../db/fixtures.ts';

/**
 * Shared by the attachments tests: the app's own modules pointed at the test stack, a person's
 * Storage client (supabase-js with an access token signed by the project, as Auth issues them),
 * and the files people upload, hostile ones included.
 */

export function useTestStack(): void {
  const stack = inject('stack');
  Object.assign(process.env, {
    DATABASE_URL: stack.databaseUrl,
    SUPABASE_URL: stack.supabaseUrl,
    SUPABASE_ANON_KEY: stack.anonKey,
    SUPABASE_SERVICE_ROLE_KEY: stack.serviceRoleKey,
    SUPABASE_JWT_SECRET: stack.jwtSecret,
  });
}

export function storageOf(userId: string | null) {
  const stack = inject('stack');
  const now = Math.floor(Date.now() / 1000);
  const token = userId ? signJwt({ sub: userId, role: 'authenticated', aud: 'authenticated', iat: now, exp: now + 3600 }, stack.jwtSecret) : stack.anonKey;
  return createClient(stack.supabaseUrl, stack.anonKey, {
    auth: { persistSession: false, autoRefreshToken: false },
    global: { headers: { Authorization: `Bearer ${token}` } },
  }).storage;
}

export interface Actor {
  id: string | null;
  claims: Claims | null;
  storage: ReturnType<typeof storageOf>;
}
export const actor = (id: string | null): Actor => ({ id, claims: id ? userClaims(id) : null, storage: storageOf(id) });

/** A camera photo: 3000×2000 JPEG with EXIF, the GPS position included. */
export async function cameraPhoto(): Promise<Buffer> {
  return sharp({ create: { width: 3000, height: 2000, channels: 3, background: '#4a7c59', noise: { type: 'gaussian', mean: 120, sigma: 30 } } })
    .jpeg({ quality: 80 })
    .withExif({
      IFD0: { Make: 'Decidons', Model: 'Test Camera', Copyright: 'Léa Dupont' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '47/1 23/1 4567/100', GPSLongitudeRef: 'E', GPSLongitude: '0/1 41/1 1234/100' },
    })
    .toBuffer();
}

export const file = (data: Uint8Array | string, name: string, type = '') =>
  new File([typeof data === 'string' ? data : new Uint8Array(data)], name, { type });

/** A minimal valid PDF. */
export const PDF = `%PDF-1.4
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj
trailer << /Root 1 0 R >>
%%EOF
`;
