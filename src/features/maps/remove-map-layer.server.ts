import { asUser, type Claims } from '../../lib/db/index.ts';
import { failure, notOk, ok, type Result } from '../../lib/forms/index.ts';
import type { RemoveLayerInput } from './maps.ts';

/** Removes a map layer (RLS: the organization's admins). */
export async function removeMapLayer(claims: Claims | null, input: RemoveLayerInput): Promise<Result<{ id: string }>> {
  if (!claims) return notOk(failure(401, 'error.unauthorized'));
  const rows = await asUser(claims, (tx) => tx`delete from public.map_layers where id = ${input.layer_id} returning id`);
  return rows[0] ? ok({ id: input.layer_id }) : notOk(failure(404, 'error.not_found'));
}
