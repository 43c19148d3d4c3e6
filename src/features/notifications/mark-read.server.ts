import { asUser, type Claims } from '../../lib/db/index.ts';
import { failure, notOk, ok, type Result } from '../../lib/forms/index.ts';
import type { MarkReadInput } from './notifications.ts';

/** Marks one of the person's notifications read (RLS: their own only; someone else's is "not found"). */
export async function markRead(claims: Claims | null, input: MarkReadInput): Promise<Result<{ id: string }>> {
  if (!claims?.sub) return notOk(failure(401, 'error.unauthorized'));
  const rows = await asUser(claims, (tx) => tx`
    update public.notifications set read_at = coalesce(read_at, now()) where id = ${input.id} returning id`);
  return rows.length === 0 ? notOk(failure(404, 'error.not_found')) : ok({ id: input.id });
}

/** Marks every unread notification of the person read, in one statement. */
export async function markAllRead(claims: Claims | null): Promise<Result<{ count: number }>> {
  if (!claims?.sub) return notOk(failure(401, 'error.unauthorized'));
  const r = await asUser(claims, (tx) => tx`update public.notifications set read_at = now() where user_id = ${claims.sub ?? null} and read_at is null`);
  return ok({ count: r.count });
}
