import type { Claims } from '../../../lib/db/index.ts';
import type { Result } from '../../../lib/forms/index.ts';
import type { PublishAnswersInput } from './inputs.ts';
import { adminWrite } from './write.server.ts';

/** Publishes the waiting answers of the ticked proposals (Decidim's bulk "publish answers"). */
export async function publishAnswers(claims: Claims | null, input: PublishAnswersInput): Promise<Result<{ count: number }>> {
  return adminWrite(claims, async (tx) => {
    const [row] = await tx<{ n: number }[]>`
      select public.publish_proposal_answers(array(
        select p.id from public.proposals p where p.id = any (${input.ids}::uuid[]) and p.component_id = ${input.component_id})) as n`;
    return { count: row?.n ?? 0 };
  });
}
