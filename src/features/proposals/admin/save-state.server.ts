import type { Claims } from '../../../lib/db/index.ts';
import { jsonb } from '../../../lib/db/index.ts';
import { Refusal } from '../../../lib/forms/db-errors.ts';
import { failure, type Result } from '../../../lib/forms/index.ts';
import type { SaveStateInput } from './inputs.ts';
import { adminWrite } from './write.server.ts';

/** Creates a custom state of the component, or changes one (space admins; RLS decides). */
export async function saveState(claims: Claims | null, input: SaveStateInput): Promise<Result<{ id: string }>> {
  return adminWrite(claims, async (tx) => {
    const [row] = input.state_id
      ? await tx<{ id: string }[]>`
          update public.proposal_states set token = ${input.token}, name = ${jsonb(tx, input.name)}, color = ${input.color},
            announcement = ${jsonb(tx, input.announcement)}
          where id = ${input.state_id} and component_id = ${input.component_id} returning id`
      : await tx<{ id: string }[]>`
          insert into public.proposal_states (component_id, token, name, color, announcement, weight)
          values (${input.component_id}, ${input.token}, ${jsonb(tx, input.name)}, ${input.color}, ${jsonb(tx, input.announcement)},
                  coalesce((select max(s.weight) + 1 from public.proposal_states s where s.component_id = ${input.component_id}), 0))
          returning id`;
    if (!row) throw new Refusal(failure(403, 'error.forbidden'));
    return { id: row.id };
  });
}
