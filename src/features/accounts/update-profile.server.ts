import { asUser } from '../../lib/db/index.ts';
import { failure, notOk, ok, type Failure, type Result } from '../../lib/forms/index.ts';
import { PROFILE_CONSTRAINT_FIELDS, type AccountContext, type ProfileInput } from './accounts.ts';

/** A Postgres error as the `postgres` library reports it (code and, for constraints, its name). */
export function constraintFailure(err: unknown): Failure | undefined {
  if (!err || typeof err !== 'object') return undefined;
  const { code, constraint_name: constraint } = err as { code?: unknown; constraint_name?: unknown };
  if (code === '23505' || code === '23514') {
    const mapped = typeof constraint === 'string' ? PROFILE_CONSTRAINT_FIELDS[constraint] : undefined;
    if (mapped) return failure(422, mapped.key, { field: mapped.field });
    return failure(422, 'validation.invalid');
  }
  // Value too long / not valid for its type: the input was wrong, not the server.
  if (code === '22001' || code === '22P02' || code === '22021') return failure(400, 'validation.invalid');
  return undefined;
}

/**
 * Saves the public profile as the signed-in person (RLS: only their own row, only the editable
 * columns). A nickname someone else has is a field error, as is any check the database refuses.
 */
export async function updateProfile(ctx: AccountContext, input: ProfileInput): Promise<Result<{ locale: ProfileInput['locale'] }>> {
  if (!ctx.user || !ctx.claims) return notOk(failure(401, 'error.unauthorized'));
  try {
    const rows = await asUser(
      ctx.claims,
      (tx) => tx`
        update public.profiles
        set name = ${input.name}, nickname = ${input.nickname}, locale = ${input.locale},
            bio = ${input.bio ?? ''}, avatar_url = ${input.avatar_url ?? null}
        where id = ${ctx.user?.id ?? ''}
        returning id`,
    );
    if (rows.length === 0) return notOk(failure(403, 'error.forbidden'));
  } catch (err) {
    const f = constraintFailure(err);
    if (f) return notOk(f);
    throw err;
  }
  return ok({ locale: input.locale });
}
