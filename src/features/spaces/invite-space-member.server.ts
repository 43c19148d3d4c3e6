import { asUser } from '../../lib/db/index.ts';
import { guarded, Refusal } from '../../lib/forms/db-errors.ts';
import { failure, notOk, ok, type Result } from '../../lib/forms/index.ts';
import { createAdminClient } from '../../lib/supabase/admin.server.ts';
import { isSpaceAdmin } from './space-writes.server.ts';
import { ROLE_CONSTRAINTS, spaceHref, type InviteMemberInput, type SpaceContext, type SpaceKind } from './spaces.ts';

/**
 * Adds a private member to a space by email (RLS: the space's admins). Someone who already has
 * an account is added at once. An unknown address gets an invitation from the Auth server (admin
 * API, service-role key, server only): it creates the account, emails a link, and the new
 * account is added as a member right away, so the space is theirs as soon as they sign in.
 */
export async function inviteSpaceMember(ctx: SpaceContext, input: InviteMemberInput): Promise<Result<{ invited: boolean }>> {
  if (!ctx.claims) return notOk(failure(401, 'error.unauthorized'));
  const addMember = (userId: string) =>
    guarded(
      () =>
        asUser(ctx.claims, async (tx) => {
          await tx`insert into public.space_members (space_id, user_id) values (${input.space_id}, ${userId})`;
        }),
      ROLE_CONSTRAINTS,
    );

  const lookup = await guarded(() =>
    asUser(ctx.claims, async (tx) => {
      if (!(await isSpaceAdmin(tx, input.space_id))) throw new Refusal(failure(403, 'error.forbidden'));
      const [space] = await tx<{ kind: SpaceKind; slug: string }[]>`select kind, slug from public.spaces where id = ${input.space_id}`;
      if (!space) throw new Refusal(failure(404, 'error.not_found'));
      const [found] = await tx<{ id: string | null }[]>`select public.find_participant(${input.space_id}::uuid, ${input.email}) as id`;
      return { space, userId: found?.id ?? null };
    }),
  );
  if (!lookup.ok) return notOk(lookup.failure);

  if (lookup.value.userId) {
    const added = await addMember(lookup.value.userId);
    return added.ok ? ok({ invited: false }) : notOk(added.failure);
  }

  const { space } = lookup.value;
  const next = spaceHref(ctx.locale, space.kind, space.slug);
  const { data, error } = await createAdminClient().auth.admin.inviteUserByEmail(input.email, {
    redirectTo: `${ctx.siteUrl}/${ctx.locale}/sign-in?next=${encodeURIComponent(next)}`,
    data: { locale: ctx.locale },
  });
  if (error || !data.user) {
    if (error?.status === 429) return notOk(failure(429, 'error.rate_limited'));
    if (error?.code === 'email_exists' || error?.code === 'user_already_exists') {
      return notOk(failure(409, 'spaces.validation.member_retry', { field: 'email' }));
    }
    if (error?.status === 400 || error?.status === 422) return notOk(failure(422, 'validation.email', { field: 'email' }));
    console.error('[spaces] invitation failed:', error?.message ?? 'no user returned');
    return notOk(failure(503, 'error.unavailable'));
  }
  const added = await addMember(data.user.id);
  return added.ok ? ok({ invited: true }) : notOk(added.failure);
}
