import { asUser, type Claims } from '../../lib/db/index.ts';
import { guarded, Refusal } from '../../lib/forms/db-errors.ts';
import { failure, notOk, type Result } from '../../lib/forms/index.ts';
import type { UpdateSurveyInput } from './surveys.ts';

/**
 * The survey's answering window (RLS: the space's admins). The admin types local times: the
 * database reads them in the organization's time zone.
 */
export async function updateSurvey(claims: Claims | null, input: UpdateSurveyInput): Promise<Result<{ componentId: string }>> {
  if (!claims) return notOk(failure(401, 'error.unauthorized'));
  return guarded(
    () =>
      asUser(claims, async (tx) => {
        const done = await tx`
          update public.surveys set
            starts_at = ${input.starts_at}::timestamp at time zone (select o.time_zone from public.organization o limit 1),
            ends_at = ${input.ends_at}::timestamp at time zone (select o.time_zone from public.organization o limit 1)
          where component_id = ${input.component_id}`;
        if (done.count === 0) throw new Refusal(failure(403, 'error.forbidden'));
        return { componentId: input.component_id };
      }),
    { surveys_dates: { field: 'ends_at', key: 'surveys.error.dates' } },
  );
}
