import { asUser, type Claims } from '../../lib/db/index.ts';
import { failure, notOk, ok, type Result } from '../../lib/forms/index.ts';
import type { StoredImage } from './attachments.ts';
import { removeObjects, type StorageApi } from './storage.server.ts';

/** Takes a person's avatar down: the column, then the bytes. */
export async function removeAvatar(ctx: { claims: Claims | null; storage: StorageApi }): Promise<Result<{ userId: string }>> {
  const { claims } = ctx;
  if (!claims?.sub) return notOk(failure(401, 'error.unauthorized'));
  const userId = claims.sub;
  const was = await asUser(claims, async (tx) => {
    const [before] = await tx<{ avatar: StoredImage | null }[]>`select avatar from public.profiles where id = ${userId}`;
    await tx`update public.profiles set avatar = null where id = ${userId}`;
    return before?.avatar ?? null;
  });
  if (was) await removeObjects(ctx.storage, was.bucket, [was.name]);
  return ok({ userId });
}
