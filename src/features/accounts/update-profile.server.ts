import { asUser } from '../../lib/db/index.ts';
import { guarded } from '../../lib/forms/db-errors.ts';
import { failure, notOk, ok, type Result } from '../../lib/forms/index.ts';
import { PROFILE_CONSTRAINT_FIELDS, type AccountContext, type ProfileInput } from './accounts.ts';

/**
 * Saves the public profile as the signed-in person (RLS: only their own row, only the editable
 * columns). A nickname someone else has is a field error, as is any check the database refuses.
 */
export async function updateProfile(ctx: AccountContext, input: ProfileInput): Promise<Result<{ locale: ProfileInput['locale'] }>> {
  if (!ctx.user || !ctx.claims) return notOk(failure(401, 'error.unauthorized'));
  const r = await guarded(
    () =>
      asUser(
        ctx.claims,
        (tx) => tx`
          update public.profiles
          set name = ${input.name}, nickname = ${input.nickname}, locale = ${input.locale},
              bio = ${input.bio ?? ''}, avatar_url = ${input.avatar_url ?? null}
          where id = ${ctx.user?.id ?? ''}
          returning id`,
      ),
    PROFILE_CONSTRAINT_FIELDS,
  );
  if (!r.ok) return notOk(r.failure);
  if (r.value.length === 0) return notOk(failure(403, 'error.forbidden'));
  return ok({ locale: input.locale });
}
