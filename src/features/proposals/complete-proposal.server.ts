import type { Claims } from '../../lib/db/index.ts';
import { Refusal } from '../../lib/forms/db-errors.ts';
import { failure, type Result } from '../../lib/forms/index.ts';
import type { CompleteProposalInput } from './inputs.ts';
import { gateProposal, participate, type ProposalRef } from './participate.server.ts';

/**
 * The wizard's second step: the taxonomy (one of the space's) and the place, an address with a
 * point. The database refuses a place where the component is not geolocated and a point out of
 * range; the edit window applies to published proposals as for the text.
 */
export async function completeProposal(claims: Claims | null, input: CompleteProposalInput): Promise<Result<ProposalRef>> {
  return participate(claims, async (tx, ctx) => {
    const g = await gateProposal(tx, input.proposal_id, null);
    ctx.settings = g.settings;
    if (!g.author) throw new Refusal(failure(403, 'error.forbidden'));
    if (g.withdrawn) throw new Refusal(failure(422, 'proposals.error.withdrawn'));
    if (input.taxonomy_id) {
      const [t] = await tx`
        select 1 from public.taxonomies t
        where t.id = ${input.taxonomy_id}
          and exists (select 1 from public.space_taxonomies s where s.space_id = ${g.space_id} and s.taxonomy_id in (t.id, t.parent_id))`;
      if (!t) throw new Refusal(failure(422, 'validation.invalid_reference', { field: 'taxonomy_id' }));
    }
    if ((input.latitude !== undefined || input.address) && g.settings['geocoding_enabled'] === false) {
      throw new Refusal(failure(422, 'proposals.error.geocoding', { field: 'address' }));
    }
    await tx`
      update public.proposals set taxonomy_id = ${input.taxonomy_id ?? null}, address = ${input.address ?? null},
        latitude = ${input.latitude ?? null}, longitude = ${input.longitude ?? null}
      where id = ${input.proposal_id}`;
    return { id: g.id, componentId: g.component_id, published: g.published };
  });
}
