import { asUser, type Claims } from '../../lib/db/index.ts';
import { failure, notOk, ok, type Result } from '../../lib/forms/index.ts';
import type { RemoveAddressesInput } from './maps.ts';

/** Removes a commune's imported addresses (RLS: the organization's admins). */
export async function removeAddresses(claims: Claims | null, input: RemoveAddressesInput): Promise<Result<{ count: number }>> {
  if (!claims) return notOk(failure(401, 'error.unauthorized'));
  const rows = await asUser(claims, (tx) => tx`delete from public.addresses where insee = ${input.insee} returning id`);
  return rows.length > 0 ? ok({ count: rows.length }) : notOk(failure(404, 'error.not_found'));
}
