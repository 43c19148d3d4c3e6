import { asUser } from '../../lib/db/index.ts';
import { guarded } from '../../lib/forms/db-errors.ts';
import { failure, notOk, ok, type Result } from '../../lib/forms/index.ts';
import { PROFILE_CONSTRAINT_FIELDS, type AccountContext, type PreferencesInput } from './accounts.ts';

/**
 * Saves the notification preferences as the signed-in person (RLS: own row only). Opting in to the
 * newsletter records when consent was given; a later save keeps the original date.
 */
export async function updatePreferences(ctx: AccountContext, input: PreferencesInput): Promise<Result<null>> {
  if (!ctx.user || !ctx.claims) return notOk(failure(401, 'error.unauthorized'));
  const r = await guarded(
    () =>
      asUser(
        ctx.claims,
        (tx) => tx`
          update public.profile_preferences
          set email_on_notification = ${input.email_on_notification},
              email_on_mention = ${input.email_on_mention},
              notifications_digest = ${input.notifications_digest},
              newsletter_opt_in_at = case when ${input.newsletter}::boolean then coalesce(newsletter_opt_in_at, now()) else null end
          where id = ${ctx.user?.id ?? ''}
          returning id`,
      ),
    PROFILE_CONSTRAINT_FIELDS,
  );
  if (!r.ok) return notOk(r.failure);
  if (r.value.length === 0) return notOk(failure(403, 'error.forbidden'));
  return ok(null);
}
