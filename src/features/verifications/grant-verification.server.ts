import { asUser, type Claims } from '../../lib/db/index.ts';
import { guarded, Refusal } from '../../lib/forms/db-errors.ts';
import { failure, notOk, ok, type Result } from '../../lib/forms/index.ts';
import type { GrantInput, RevokeInput } from './verifications.ts';

const CONSTRAINTS = {
  verifications_user_id_method_key: { field: 'person', key: 'verifications.error.already' },
  verifications_district_id_fkey: { field: 'district_id', key: 'validation.invalid_reference' },
};

/** An organization admin grants a verification at a help desk (RLS: organization admins; the action log records it). */
export async function grantVerification(claims: Claims | null, input: GrantInput): Promise<Result<{ granted: true }>> {
  if (!claims) return notOk(failure(401, 'error.unauthorized'));
  const r = await guarded(
    () =>
      asUser(claims, async (tx) => {
        const [who] = await tx<{ id: string | null }[]>`select public.verification_find_person(${input.person}) as id`;
        if (!who?.id) throw new Refusal(failure(422, 'verifications.error.person', { field: 'person' }));
        await tx`insert into public.verifications (user_id, method, district_id) values (${who.id}, 'direct', ${input.district_id})`;
      }),
    CONSTRAINTS,
  );
  return r.ok ? ok({ granted: true }) : notOk(r.failure);
}

/** An organization admin revokes a person's verification (a census line claimed is freed for its right owner). */
export async function revokeVerification(claims: Claims | null, input: RevokeInput): Promise<Result<{ revoked: number }>> {
  if (!claims) return notOk(failure(401, 'error.unauthorized'));
  const r = await guarded(() =>
    asUser(claims, async (tx) => {
      const [who] = await tx<{ id: string | null }[]>`select public.verification_find_person(${input.person}) as id`;
      if (!who?.id) throw new Refusal(failure(422, 'verifications.error.person', { field: 'person' }));
      const rows = await tx`delete from public.verifications where user_id = ${who.id} and method = ${input.method}`;
      if (rows.count === 0) throw new Refusal(failure(422, 'verifications.error.none', { field: 'person' }));
      return rows.count;
    }),
  );
  return r.ok ? ok({ revoked: r.value }) : notOk(r.failure);
}
