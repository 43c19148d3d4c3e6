import { asUser, type Claims } from '../../lib/db/index.ts';
import { guarded, Refusal } from '../../lib/forms/db-errors.ts';
import { failure, notOk, ok, type Result } from '../../lib/forms/index.ts';
import type { RemoveSpaceHeroInput, StoredImage } from './attachments.ts';
import { removeObjects, type StorageApi } from './storage.server.ts';

/** Takes a space's uploaded hero image down (its admins): the row first, then the bytes. */
export async function removeSpaceHero(ctx: { claims: Claims | null; storage: StorageApi }, input: RemoveSpaceHeroInput): Promise<Result<{ spaceId: string }>> {
  const { claims } = ctx;
  if (!claims) return notOk(failure(401, 'error.unauthorized'));
  const done = await guarded(() => asUser(claims, async (tx) => {
    const [before] = await tx<{ hero_image: StoredImage | null }[]>`select hero_image from public.spaces where id = ${input.space_id}`;
    const rows = await tx`update public.spaces set hero_image = null where id = ${input.space_id} returning id`;
    if (!rows[0]) throw new Refusal(failure(403, 'error.forbidden'));
    return before?.hero_image ?? null;
  }));
  if (!done.ok) return done;
  const was = done.value;
  if (was) await removeObjects(ctx.storage, was.bucket, [was.name, was.card?.name]);
  return ok({ spaceId: input.space_id });
}
