import type { Claims } from '../../lib/db/index.ts';
import { Refusal } from '../../lib/forms/db-errors.ts';
import { failure, type Result } from '../../lib/forms/index.ts';
import type { CreateDebateInput } from './inputs.ts';
import { participate, type DebateRef } from './participate.server.ts';

/**
 * A participant opens a debate where the active phase lets them (the database checks the phase,
 * sets the author and refuses what is not theirs to set); asking first only turns a closed phase
 * into a clear message.
 */
export async function createDebate(claims: Claims | null, input: CreateDebateInput): Promise<Result<DebateRef>> {
  return participate(claims, async (tx) => {
    const [c] = await tx<{ visible: boolean; allowed: boolean; feature: string }[]>`
      select coalesce(private.can_view_component(id), false) as visible, coalesce(private.component_allows(id, 'create'), false) as allowed, feature
      from public.components where id = ${input.component_id}`;
    if (!c || !c.visible || c.feature !== 'debates') throw new Refusal(failure(404, 'error.not_found'));
    if (!c.allowed) throw new Refusal(failure(403, 'debates.error.creationClosed'));
    const [row] = await tx<{ id: string }[]>`
      insert into public.debates (component_id, title, description, taxonomy_id)
      values (${input.component_id}, ${input.title}, ${input.description}, ${input.taxonomy_id})
      returning id`;
    return { id: row!.id, componentId: input.component_id };
  });
}
