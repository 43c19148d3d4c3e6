import { randomUUID } from 'node:crypto';
import type postgres from 'postgres';
import { asUser, type Claims, type Tx } from '../../src/lib/db/index.ts';

/** Claims of a signed-in user, as the web app builds them from the session. */
export const userClaims = (sub: string): Claims => ({ role: 'authenticated', sub, aud: 'authenticated' });

/** A user created the way sign-up does (auth.users row; the trigger creates the profile). */
export async function createUser(sql: postgres.Sql, label: string): Promise<string> {
  const id = randomUUID();
  const email = `${label}-${id.slice(0, 8)}@example.org`;
  await sql`insert into auth.users (id, aud, role, email, raw_user_meta_data, raw_app_meta_data, created_at, updated_at)
            values (${id}, 'authenticated', 'authenticated', ${email}, ${sql.json({ name: label })}, '{}', now(), now())`;
  return id;
}

/** A short random tag for slugs and names, so test files sharing the database never collide. */
export function uniqueTag(): string {
  return Math.random().toString(36).slice(2, 8);
}

class Rollback<T> extends Error {
  readonly value: T;
  constructor(value: T) {
    super('rollback');
    this.value = value;
  }
}

export type Attempt<T> = { ok: true; value: T } | { ok: false; error: postgres.PostgresError };

/**
 * Runs `fn` as the user the claims describe (null: anonymous) in a transaction that is always
 * rolled back, so a matrix of attempts leaves the shared fixtures as they were.
 */
export async function attempt<T>(sql: postgres.Sql, claims: Claims | null, fn: (tx: Tx) => Promise<T>): Promise<Attempt<T>> {
  try {
    await asUser(claims, async (tx) => {
      throw new Rollback(await fn(tx));
    }, sql);
  } catch (err) {
    if (err instanceof Rollback) return { ok: true, value: err.value as T };
    if (err && typeof err === 'object' && 'code' in err) return { ok: false, error: err as postgres.PostgresError };
    throw err;
  }
  throw new Error('unreachable');
}

/**
 * What became of a write:
 * - `ok`: it changed at least one row;
 * - `refused`: row-level security said no (a `with check` failure, or no row the user may touch);
 * - `denied`: the role has no privilege on the table or column at all.
 */
export type Outcome = 'ok' | 'refused' | 'denied';

export async function outcomeOf(
  sql: postgres.Sql,
  claims: Claims | null,
  write: (tx: Tx) => Promise<{ count: number }>,
): Promise<Outcome> {
  const r = await attempt(sql, claims, write);
  if (r.ok) return r.value.count > 0 ? 'ok' : 'refused';
  if (r.error.code === '42501' && /^permission denied/.test(r.error.message)) return 'denied';
  if (r.error.code === '42501' && /row-level security/.test(r.error.message)) return 'refused';
  throw r.error;
}

/** The Postgres error a statement ends with, for tests that expect a refusal. */
export async function errorOf(sql: postgres.Sql, claims: Claims | null, fn: (tx: Tx) => Promise<unknown>): Promise<postgres.PostgresError> {
  const r = await attempt(sql, claims, fn);
  if (r.ok) throw new Error('expected the statement to fail, it succeeded');
  return r.error;
}
