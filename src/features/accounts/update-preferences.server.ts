import { asUser } from '../../lib/db/index.ts';
import { guarded } from '../../lib/forms/db-errors.ts';
import { failure, notOk, ok, type Result } from '../../lib/forms/index.ts';
import { PROFILE_CONSTRAINT_FIELDS, type AccountContext, type PreferencesInput } from './accounts.ts';

/**
 * Saves the notification preferences as the signed-in person (RLS: own row only): the general
 * choice, and the email rhythm of each kind of notification (core notifications'
 * `notification_settings`). Opting in to the newsletter records when consent was given; a later
 * save keeps the original date.
 */
export async function updatePreferences(ctx: AccountContext, input: PreferencesInput): Promise<Result<null>> {
  if (!ctx.user || !ctx.claims) return notOk(failure(401, 'error.unauthorized'));
  const kinds = (input.email_kinds ?? []).map((v) => {
    const at = v.lastIndexOf(':');
    return { kind: v.slice(0, at), email: v.slice(at + 1) };
  });
  const chosen = kinds.filter((k) => k.email !== 'default');
  const r = await guarded(
    () =>
      asUser(ctx.claims, async (tx) => {
        const rows = await tx`
          update public.profile_preferences
          set email_on_notification = ${input.email_on_notification},
              email_on_mention = ${input.email_on_mention},
              notifications_digest = ${input.notifications_digest},
              newsletter_opt_in_at = case when ${input.newsletter}::boolean then coalesce(newsletter_opt_in_at, now()) else null end,
              newsletter_answered_at = coalesce(newsletter_answered_at, now())
          where id = ${ctx.user?.id ?? ''}
          returning id`;
        // Each kind: its own rhythm, or back to the general choice (RLS: the person's own rows).
        if (kinds.length > 0) {
          await tx`delete from public.notification_settings
                   where kind = any (${kinds.filter((k) => k.email === 'default').map((k) => k.kind)}::text[])`;
          if (chosen.length > 0) {
            await tx`insert into public.notification_settings (kind, email)
                     select * from unnest(${chosen.map((k) => k.kind)}::text[], ${chosen.map((k) => k.email)}::text[])
                     on conflict (user_id, kind) do update set email = excluded.email`;
          }
        }
        return rows;
      }),
    PROFILE_CONSTRAINT_FIELDS,
  );
  if (!r.ok) return notOk(r.failure);
  if (r.value.length === 0) return notOk(failure(403, 'error.forbidden'));
  return ok(null);
}
