import type { Claims } from '../../../lib/db/index.ts';
import { Refusal } from '../../../lib/forms/db-errors.ts';
import { failure, type Result } from '../../../lib/forms/index.ts';
import type { OfficialProposalInput } from './inputs.ts';
import { adminWrite } from './write.server.ts';

/**
 * An official proposal, authored by the organization: space admins, where the component enables
 * them (the insert trigger and RLS refuse anyone else).
 */
export async function createOfficialProposal(claims: Claims | null, input: OfficialProposalInput): Promise<Result<{ id: string }>> {
  return adminWrite(claims, async (tx) => {
    const [c] = await tx<{ admin: boolean; enabled: boolean }[]>`
      select private.has_space_role(c.space_id, 'admin') as admin,
        coalesce(c.settings ->> 'official_proposals_enabled', 'true') = 'true' as enabled
      from public.components c where c.id = ${input.component_id} and c.feature = 'proposals'`;
    if (!c) throw new Refusal(failure(404, 'error.not_found'));
    if (!c.admin) throw new Refusal(failure(403, 'error.forbidden'));
    if (!c.enabled) throw new Refusal(failure(403, 'proposals.admin.error.officialDisabled'));
    const [row] = await tx<{ id: string }[]>`
      insert into public.proposals (component_id, official, title, body, address, published_at)
      values (${input.component_id}, true, ${input.title}, ${input.body}, ${input.address}, now()) returning id`;
    return { id: row!.id };
  });
}
