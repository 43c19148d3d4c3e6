import type { Claims } from '../../lib/db/index.ts';
import { Refusal } from '../../lib/forms/db-errors.ts';
import { failure, type Result } from '../../lib/forms/index.ts';
import type { CreateProposalInput } from './inputs.ts';
import { participate, type ProposalRef } from './participate.server.ts';

/**
 * The wizard's first step: a draft (published_at null) with a title and a body, seen by its
 * author only. The database checks that creation is open in the active phase, the body's length
 * and sets the author; the proposals-per-participant limit applies when it is published.
 */
export async function createProposal(claims: Claims | null, input: CreateProposalInput): Promise<Result<ProposalRef>> {
  return participate(claims, async (tx, ctx) => {
    const [c] = await tx<{ visible: boolean; allowed: boolean; feature: string; settings: Record<string, unknown> }[]>`
      select coalesce(private.can_view_component(id), false) as visible, coalesce(private.component_allows(id, 'create'), false) as allowed,
        feature, settings
      from public.components where id = ${input.component_id}`;
    if (!c || !c.visible || c.feature !== 'proposals') throw new Refusal(failure(404, 'error.not_found'));
    ctx.settings = c.settings;
    if (!c.allowed) throw new Refusal(failure(403, 'proposals.error.closed'));
    const [row] = await tx<{ id: string }[]>`
      insert into public.proposals (component_id, title, body) values (${input.component_id}, ${input.title}, ${input.body})
      returning id`;
    return { id: row!.id, componentId: input.component_id };
  });
}
