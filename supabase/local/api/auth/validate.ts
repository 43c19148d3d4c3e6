import type { Body } from './context.ts';
import { unprocessable, validationFailed, weakPassword } from './errors.ts';

/**
 * Body field readers. GoTrue decodes bodies into typed structs; here every field is checked for type
 * and size before it reaches SQL, so hostile input ends as a 4xx, never as a database error.
 * `null` counts as absent, as a Go zero value would.
 */

const DEFAULT_MAX_LENGTH = 4096;
export const MAX_METADATA_BYTES = 16 * 1024;
/** bcrypt only reads 72 bytes; GoTrue refuses longer passwords rather than silently truncating them. */
export const MAX_PASSWORD_BYTES = 72;

export type JsonObject = Record<string, unknown>;

export const isJsonObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

export function optString(body: Body, key: string, maxLength = DEFAULT_MAX_LENGTH): string | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw validationFailed(`${key} must be a string`);
  if (v.length > maxLength) throw validationFailed(`${key} is too long`);
  return v;
}

export function optBool(body: Body, key: string): boolean | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw validationFailed(`${key} must be a boolean`);
  return v;
}

export function optObject(body: Body, key: string): JsonObject | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (!isJsonObject(v)) throw validationFailed(`${key} must be a JSON object`);
  return v;
}

/** Metadata lands in the JWT and in the session cookie, so it is kept small. */
export function checkMetadataSize(key: string, value: JsonObject): JsonObject {
  if (Buffer.byteLength(JSON.stringify(value)) > MAX_METADATA_BYTES) {
    throw validationFailed(`${key} is too large (limit ${MAX_METADATA_BYTES} bytes)`);
  }
  return value;
}

export function optMetadata(body: Body, key: string): JsonObject | undefined {
  const v = optObject(body, key);
  return v && checkMetadataSize(key, v);
}

/**
 * GoTrue's merge: keys set to null are removed, others replace. `Object.fromEntries` keeps a
 * `__proto__` key as plain data instead of touching the prototype.
 */
export function mergeMetadata(current: unknown, updates: JsonObject): JsonObject {
  const merged = new Map(Object.entries(isJsonObject(current) ? current : {}));
  for (const [k, v] of Object.entries(updates)) {
    if (v === null) merged.delete(k);
    else merged.set(k, v);
  }
  return Object.fromEntries(merged);
}

// The format check GoTrue uses (github.com/badoux/checkmail).
const EMAIL_FORMAT =
  /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;

/** Validates and lower-cases an address, with GoTrue's messages. */
export function normaliseEmail(raw: string | undefined): string {
  const email = (raw ?? '').trim();
  if (email === '') throw validationFailed('An email address is required');
  if (email.length > 255) throw validationFailed('An email address is too long');
  if (!EMAIL_FORMAT.test(email)) throw validationFailed('Unable to validate email address: invalid format');
  return email.toLowerCase();
}

export function checkPasswordLength(password: string): void {
  if (Buffer.byteLength(password, 'utf8') > MAX_PASSWORD_BYTES) {
    throw validationFailed(`Password cannot be longer than ${MAX_PASSWORD_BYTES} characters`);
  }
}

export function weakPasswordReasons(password: string, minLength: number): string[] {
  return [...password].length < minLength ? ['length'] : [];
}

export const weakPasswordMessage = (minLength: number) => `Password should be at least ${minLength} characters.`;

export function checkPasswordStrength(password: string, minLength: number): void {
  checkPasswordLength(password);
  const reasons = weakPasswordReasons(password, minLength);
  if (reasons.length) throw weakPassword(weakPasswordMessage(minLength), reasons);
}

/** E.164 as GoTrue accepts it: separators dropped, 5 to 15 digits. */
export function normalisePhone(raw: string): string {
  const phone = raw.replace(/[^0-9]/g, '');
  if (!/^[1-9]\d{4,14}$/.test(phone)) throw validationFailed('Invalid phone number format (E.164 required)');
  return phone;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (v: string) => UUID.test(v);
export const NIL_UUID = '00000000-0000-0000-0000-000000000000';

const DURATION_UNITS: Record<string, number> = { ns: 1e-9, us: 1e-6, 'µs': 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/** Go's time.ParseDuration, which GoTrue uses for `ban_duration` ("24h", "1h30m"). Returns seconds. */
export function parseGoDuration(raw: string): number {
  if (raw === '0') return 0;
  const m = /^([+-]?)((?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))+)$/.exec(raw);
  if (!m) throw validationFailed(`invalid format for ban duration: time: invalid duration "${raw}"`);
  let total = 0;
  for (const [, n, unit] of (m[2] ?? '').matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g)) {
    total += Number(n) * (DURATION_UNITS[unit ?? ''] ?? 0);
  }
  // Go keeps durations in int64 nanoseconds (about 292 years) and rejects anything longer.
  if (total > 9.2e9) throw validationFailed(`invalid format for ban duration: time: invalid duration "${raw}"`);
  return m[1] === '-' ? -total : total;
}

export const phoneUnsupported = () => unprocessable('phone_provider_disabled', 'Phone logins are disabled');
