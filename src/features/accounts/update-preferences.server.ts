import { asUser } from '../../lib/db/index.ts';
import { failure, notOk, ok, type Result } from '../../lib/forms/index.ts';
import type { AccountContext, PreferencesInput } from './accounts.ts';
import { constraintFailure } from './update-profile.server.ts';

/**
 * Saves the notification preferences as the signed-in person (RLS: own row only). Opting in to the
 * newsletter records when consent was given; a later save keeps the original date.
 */
export async function updatePreferences(ctx: AccountContext, input: PreferencesInput): Promise<Result<null>> {
  if (!ctx.user || !ctx.claims) return notOk(failure(401, 'error.unauthorized'));
  try {
    const rows = await asUser(
      ctx.claims,
      (tx) => tx`
        update public.profile_preferences
        set email_on_notification = ${input.email_on_notification},
            email_on_mention = ${input.email_on_mention},
            notifications_digest = ${input.notifications_digest},
            newsletter_opt_in_at = case when ${input.newsletter}::boolean then coalesce(newsletter_opt_in_at, now()) else null end
        where id = ${ctx.user?.id ?? ''}
        returning id`,
    );
    if (rows.length === 0) return notOk(failure(403, 'error.forbidden'));
  } catch (err) {
    const f = constraintFailure(err);
    if (f) return notOk(f);
    throw err;
  }
  return ok(null);
}
