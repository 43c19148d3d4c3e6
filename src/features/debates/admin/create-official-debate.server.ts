import type { Claims } from '../../../lib/db/index.ts';
import { jsonb } from '../../../lib/db/index.ts';
import { Refusal } from '../../../lib/forms/db-errors.ts';
import { failure, type Result } from '../../../lib/forms/index.ts';
import type { CreateOfficialDebateInput } from '../inputs.ts';
import { participate, type DebateRef } from '../participate.server.ts';

/**
 * The organization opens an official debate: open-ended, or timed (start and end typed as wall
 * clock times in the organization's time zone, which the database turns into instants).
 */
export async function createOfficialDebate(claims: Claims | null, input: CreateOfficialDebateInput): Promise<Result<DebateRef>> {
  return participate(claims, async (tx) => {
    const [c] = await tx<{ feature: string; admin: boolean }[]>`
      select feature, coalesce(private.has_space_role(space_id, 'admin'), false) as admin from public.components where id = ${input.component_id}`;
    if (!c || c.feature !== 'debates') throw new Refusal(failure(404, 'error.not_found'));
    if (!c.admin) throw new Refusal(failure(403, 'error.forbidden'));
    const [row] = await tx<{ id: string }[]>`
      insert into public.debates (component_id, official, title, description, taxonomy_id, starts_at, ends_at, instructions, information_updates)
      values (${input.component_id}, true, ${input.title}, ${input.description}, ${input.taxonomy_id},
        ${input.starts_at}::timestamp at time zone (select time_zone from public.organization limit 1),
        ${input.ends_at}::timestamp at time zone (select time_zone from public.organization limit 1),
        ${jsonb(tx, input.instructions)}, ${jsonb(tx, input.information_updates)})
      returning id`;
    return { id: row!.id, componentId: input.component_id };
  });
}
