import type { Claims } from '../../lib/db/index.ts';
import type { Result } from '../../lib/forms/index.ts';
import type { PublishResultsInput } from './inputs.ts';
import { managerWrite, requireManager } from './write.server.ts';

/**
 * Publishes the results of the chosen questions (or withdraws them), live while answers are
 * taken or only afterwards. The aggregates only: free texts stay with the managers.
 */
export async function publishResults(claims: Claims | null, input: PublishResultsInput): Promise<Result<{ questionnaireId: string }>> {
  return managerWrite(claims, async (tx) => {
    await requireManager(tx, input.questionnaire_id);
    await tx`
      update public.form_questionnaires set
        results_published_at = case when ${input.publish} then coalesce(results_published_at, now()) end,
        results_live = ${input.live}
      where id = ${input.questionnaire_id}`;
    await tx`
      update public.form_questions set results_published = (id = any(${input.questions}::uuid[]))
      where questionnaire_id = ${input.questionnaire_id} and results_published is distinct from (id = any(${input.questions}::uuid[]))`;
    return { questionnaireId: input.questionnaire_id };
  });
}
