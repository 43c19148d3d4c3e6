import { asUser, type Claims } from '../../lib/db/index.ts';
import { failure, notOk, ok, type Result } from '../../lib/forms/index.ts';

/** The person's answer to the newsletter question (asked once of accounts that never answered). */
export async function answerNewsletter(claims: Claims | null, yes: boolean): Promise<Result<{ yes: boolean }>> {
  if (!claims?.sub) return notOk(failure(401, 'error.unauthorized'));
  const rows = await asUser(claims, (tx) => tx`
    update public.profile_preferences
    set newsletter_opt_in_at = case when ${yes}::boolean then coalesce(newsletter_opt_in_at, now()) else null end,
        newsletter_answered_at = now()
    where id = ${claims.sub ?? null} returning id`);
  return rows.length === 0 ? notOk(failure(403, 'error.forbidden')) : ok({ yes });
}
