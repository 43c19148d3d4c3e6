import { asUser, type Claims } from '../../lib/db/index.ts';
import { SURVEY_OWNER, type Survey } from './surveys.ts';

/** A surveys component's survey, as the visitor may see it (RLS: visible components), or null. */
export async function getSurvey(claims: Claims | null, componentId: string): Promise<Survey | null> {
  const [row] = await asUser(
    claims,
    (tx) => tx<{ component_id: string; starts_at: Date | null; ends_at: Date | null; questionnaire_id: string | null }[]>`
      select s.component_id, s.starts_at, s.ends_at,
        (select q.id from public.form_questionnaires q where q.owner_type = ${SURVEY_OWNER} and q.owner_id = s.component_id) as questionnaire_id
      from public.surveys s where s.component_id = ${componentId}`,
  );
  if (!row?.questionnaire_id) return null;
  return { componentId: row.component_id, questionnaireId: row.questionnaire_id, startsAt: row.starts_at, endsAt: row.ends_at };
}
