import { failure, type Failure } from './index.ts';

/** What a named database constraint is about, in form terms: the field and the message key. */
export interface ConstraintField {
  field?: string;
  key: string;
}

export type ConstraintMap = Readonly<Record<string, ConstraintField>>;

/**
 * A Postgres error (as the `postgres` library reports it) turned into what a form shows. The
 * database has the last word on every write (constraints, RLS, triggers); this is how its "no"
 * reaches the person as a translated field error or a 403, never as a 500:
 *
 * - 23505 unique / 23514 check / 23503 foreign key / 23P01 exclusion: the constraint's field
 *   (from `constraints`), else a form-level 422;
 * - 42501 insufficient privilege (RLS `with check`, column grants, append-only triggers): 403;
 * - P0002 no data found (raised by helpers such as `activate_phase`): 404;
 * - 22xxx data exceptions (too long, bad date, bad uuid): 400.
 *
 * Anything else is a real server error and stays one (the caller rethrows).
 */
export function dbFailure(err: unknown, constraints: ConstraintMap = {}): Failure | undefined {
  if (!err || typeof err !== 'object') return undefined;
  const { code, constraint_name: constraint } = err as { code?: unknown; constraint_name?: unknown };
  if (typeof code !== 'string') return undefined;
  if (code === '23505' || code === '23514' || code === '23503' || code === '23P01') {
    const mapped = typeof constraint === 'string' ? constraints[constraint] : undefined;
    if (mapped) return failure(422, mapped.key, mapped.field ? { field: mapped.field } : {});
    return failure(422, code === '23503' ? 'validation.invalid_reference' : 'validation.invalid');
  }
  if (code === '42501') return failure(403, 'error.forbidden');
  if (code === 'P0002') return failure(404, 'error.not_found');
  if (code.startsWith('22')) return failure(400, 'validation.invalid');
  return undefined;
}

/**
 * Thrown inside a transaction to refuse and roll back everything done so far (a check that
 * only the second statement of a use case can make); `guarded` turns it into its Failure.
 */
export class Refusal extends Error {
  readonly failure: Failure;
  constructor(f: Failure) {
    super(f.message.key);
    this.name = 'Refusal';
    this.failure = f;
  }
}

/**
 * Runs a write and answers with a Failure for the errors above; others are rethrown. Keeps use
 * cases to one `try` shape: `const r = await guarded(() => …, MAP); if (!r.ok) return notOk(r.failure)`.
 */
export async function guarded<T>(
  write: () => Promise<T>,
  constraints: ConstraintMap = {},
): Promise<{ ok: true; value: T } | { ok: false; failure: Failure }> {
  try {
    return { ok: true, value: await write() };
  } catch (err) {
    if (err instanceof Refusal) return { ok: false, failure: err.failure };
    const f = dbFailure(err, constraints);
    if (f) return { ok: false, failure: f };
    throw err;
  }
}
