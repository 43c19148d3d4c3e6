import { asUser } from '../../lib/db/index.ts';
import { guarded, Refusal } from '../../lib/forms/db-errors.ts';
import { failure, notOk, type Result } from '../../lib/forms/index.ts';
import { isSpaceAdmin } from './space-writes.server.ts';
import { ROLE_CONSTRAINTS, type GrantRoleInput, type SpaceContext } from './spaces.ts';

/**
 * Gives a role in a space (admin, moderator, collaborator, evaluator) to an existing participant,
 * found by email or nickname (RLS: the space's admins). An unknown person is a field error:
 * roles go to accounts, invitations are for private members.
 */
export async function grantSpaceRole(ctx: SpaceContext, input: GrantRoleInput): Promise<Result<{ userId: string }>> {
  if (!ctx.claims) return notOk(failure(401, 'error.unauthorized'));
  return guarded(
    () =>
      asUser(ctx.claims, async (tx) => {
        if (!(await isSpaceAdmin(tx, input.space_id))) throw new Refusal(failure(403, 'error.forbidden'));
        const [found] = await tx<{ id: string | null }[]>`select public.find_participant(${input.space_id}::uuid, ${input.identifier}) as id`;
        if (!found?.id) throw new Refusal(failure(422, 'spaces.validation.participant_unknown', { field: 'identifier' }));
        await tx`insert into public.space_roles (space_id, user_id, role) values (${input.space_id}, ${found.id}, ${input.role})`;
        return { userId: found.id };
      }),
    ROLE_CONSTRAINTS,
  );
}
