import { guarded } from '../../lib/forms/db-errors.ts';
import { notOk, ok, type Result } from '../../lib/forms/index.ts';
import { BUDGETS_CONSTRAINTS } from './budgets.ts';

/** A deadlock (40P01) or serialisation failure (40001) gave the transaction up: safe to run again. */
function isRetryable(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '40P01' || code === '40001';
}

/**
 * Runs a budgets write: the database's named refusals become translated form messages (every
 * rule of the vote is the database's), and a transaction Postgres gave up to break a deadlock is
 * run again.
 */
export async function budgetsWrite<T>(write: () => Promise<T>): Promise<Result<T>> {
  for (let attempt = 1; ; attempt++) {
    try {
      const r = await guarded(write, BUDGETS_CONSTRAINTS);
      return r.ok ? ok(r.value) : notOk(r.failure);
    } catch (err) {
      if (attempt >= 5 || !isRetryable(err)) throw err;
    }
  }
}
