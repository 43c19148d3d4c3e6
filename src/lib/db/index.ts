import postgres from 'postgres';
import { getConfig } from '../config.ts';

export type Sql = postgres.Sql;
export type Tx = postgres.TransactionSql;

/**
 * The JWT claims Postgres sees, as PostgREST sets them on Supabase. `role` decides the database
 * role the transaction runs as; `sub` is what `auth.uid()` returns.
 */
export interface Claims {
  role: string;
  sub?: string;
  email?: string;
  session_id?: string;
  aal?: string;
  [key: string]: unknown;
}

export const ANON_CLAIMS: Claims = Object.freeze({ role: 'anon' });

let pool: Sql | undefined;

/** One pool per process, created on first use. */
export function sql(): Sql {
  pool ??= postgres(getConfig().databaseUrl, {
    max: 10,
    idle_timeout: 30,
    // A database that is down or restarting must turn into a 503 page quickly, not a hung request.
    connect_timeout: 5,
    onnotice: () => {},
    // Supabase's pooler runs in transaction mode; no prepared-statement state across transactions.
    prepare: false,
    connection: { application_name: 'decidons-web' },
  });
  return pool;
}

export async function closeDb(): Promise<void> {
  const p = pool;
  pool = undefined;
  await p?.end({ timeout: 5 });
}

/** Only these roles can be reached through asUser; a forged `service_role` claim falls back to anon. */
function roleFor(claims: Claims | null | undefined): 'anon' | 'authenticated' {
  return claims?.role === 'authenticated' && typeof claims.sub === 'string' ? 'authenticated' : 'anon';
}

/**
 * Runs `fn` in a transaction as the user the claims describe, exactly as PostgREST does on Supabase:
 * `role` and `request.jwt.claims` are set for this transaction only, so row-level security decides
 * what the user may read and write. Signed-out visitors run as `anon`.
 */
export async function asUser<T>(claims: Claims | null | undefined, fn: (tx: Tx) => Promise<T>, db: Sql = sql()): Promise<T> {
  const role = roleFor(claims);
  const json = JSON.stringify(role === 'anon' ? { ...(claims ?? {}), role: 'anon' } : claims);
  return db.begin(async (tx) => {
    await tx`select set_config('role', ${role}, true), set_config('request.jwt.claims', ${json}, true)`;
    return fn(tx);
  }) as Promise<T>;
}

/**
 * System work only (workers, seeding, sign-up bookkeeping): runs as `service_role`, which bypasses
 * row-level security. The `reason` is recorded in the session so it shows in `pg_stat_activity`
 * and logs; never call this with a user's request as the only justification.
 */
export async function asServiceRole<T>(reason: string, fn: (tx: Tx) => Promise<T>, db: Sql = sql()): Promise<T> {
  return db.begin(async (tx) => {
    await tx`select set_config('role', 'service_role', true), set_config('request.jwt.claims', ${JSON.stringify({ role: 'service_role' })}, true), set_config('application_name', ${`decidons-service: ${reason}`.slice(0, 63)}, true)`;
    return fn(tx);
  }) as Promise<T>;
}

/**
 * A value for a jsonb column. It goes as a typed JSON parameter: a pre-serialised string cast with
 * `::jsonb` would be serialised again and stored as a JSON string, not an object.
 */
export function jsonb(tx: Sql | Tx, value: unknown) {
  return tx.json(value as postgres.JSONValue);
}

/**
 * True when `err` says the database cannot be reached right now (down, restarting, starting up,
 * shutting down, too many connections) rather than that a query was wrong: the site answers 503
 * "maintenance" for these, and 500 for the rest.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code !== 'string') continue;
    // Node's socket errors and postgres.js's own connection codes.
    if (['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'CONNECT_TIMEOUT', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED'].includes(code)) return true;
    // SQLSTATE 57P01-57P03 (admin/crash shutdown, cannot connect now), 53300 (too many connections), 08xxx (connection exceptions).
    if (/^(57P0[123]|53300|08...)$/.test(code)) return true;
  }
  return false;
}
