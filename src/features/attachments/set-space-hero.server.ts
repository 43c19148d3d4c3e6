import { randomUUID } from 'node:crypto';
import { asUser, type Claims, jsonb } from '../../lib/db/index.ts';
import { guarded, Refusal } from '../../lib/forms/db-errors.ts';
import { failure, notOk, ok, type Result } from '../../lib/forms/index.ts';
import type { SetSpaceHeroInput, StoredImage } from './attachments.ts';
import { checkUpload } from './check-upload.server.ts';
import { type Bucket, objectName, putObjects, removeObjects, type StorageApi } from './storage.server.ts';

/**
 * A space's hero image, uploaded by its admins: the banner of its page (1600×640) and the picture
 * of its card (640×320), re-encoded without metadata, in the bucket of the space's privacy. The
 * image it replaces goes to the purge job (the column's trigger).
 */
export async function setSpaceHero(ctx: { claims: Claims | null; storage: StorageApi }, input: SetSpaceHeroInput): Promise<Result<{ spaceId: string }>> {
  const { claims } = ctx;
  if (!claims) return notOk(failure(401, 'error.unauthorized'));
  const [place] = await asUser(claims, (tx) => tx<{ admin: boolean; bucket: Bucket }[]>`
    select private.has_space_role(${input.space_id}, 'admin') as admin, private.attachment_bucket(${input.space_id}) as bucket`);
  if (!place?.admin) return notOk(failure(403, 'error.forbidden'));
  const checked = await checkUpload(input.file, { images: ['hero', 'heroCard'], documents: false });
  if (!checked.ok) return checked;
  if (checked.value.kind !== 'image') return notOk(failure(415, 'attachments.error.imageType', { field: 'file', params: { name: checked.value.fileName } }));
  const { hero, heroCard } = checked.value.renditions;
  const base = randomUUID();
  const image: StoredImage = {
    bucket: place.bucket,
    name: objectName('space', input.space_id, 'webp', '-hero', base),
    width: hero!.width,
    height: hero!.height,
    card: { name: objectName('space', input.space_id, 'webp', '-card', base), width: heroCard!.width, height: heroCard!.height },
  };
  const stored = await putObjects(ctx.storage, place.bucket, [
    { name: image.name, data: hero!.data, contentType: 'image/webp' },
    { name: image.card!.name, data: heroCard!.data, contentType: 'image/webp' },
  ]);
  if (stored) return notOk(stored);
  const saved = await guarded(() => asUser(claims, async (tx) => {
    const rows = await tx`update public.spaces set hero_image = ${jsonb(tx, image)} where id = ${input.space_id} returning id`;
    if (!rows[0]) throw new Refusal(failure(403, 'error.forbidden'));
  }), { spaces_hero_image: { field: 'file', key: 'validation.invalid' } });
  if (!saved.ok) {
    await removeObjects(ctx.storage, place.bucket, [image.name, image.card!.name]);
    return saved;
  }
  return ok({ spaceId: input.space_id });
}
