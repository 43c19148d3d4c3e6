import { asUser, type Claims, jsonb } from '../../lib/db/index.ts';
import { guarded, Refusal } from '../../lib/forms/db-errors.ts';
import { failure, notOk, ok, type Result } from '../../lib/forms/index.ts';
import type { SetAvatarInput, StoredImage } from './attachments.ts';
import { checkUpload } from './check-upload.server.ts';
import { objectName, putObjects, removeObjects, type StorageApi } from './storage.server.ts';

/**
 * A person's avatar (256×256, re-encoded without metadata), public like their profile: the bytes
 * under `profile/<their id>/` (the storage policy allows no one else), then the column.
 */
export async function setAvatar(ctx: { claims: Claims | null; storage: StorageApi }, input: SetAvatarInput): Promise<Result<{ userId: string }>> {
  const { claims } = ctx;
  if (!claims?.sub) return notOk(failure(401, 'error.unauthorized'));
  const userId = claims.sub;
  const checked = await checkUpload(input.file, { images: ['avatar'], documents: false });
  if (!checked.ok) return checked;
  if (checked.value.kind !== 'image') return notOk(failure(415, 'attachments.error.imageType', { field: 'file', params: { name: checked.value.fileName } }));
  const avatar = checked.value.renditions.avatar!;
  const image: StoredImage = { bucket: 'attachments', name: objectName('profile', userId, 'webp', '-avatar'), width: avatar.width, height: avatar.height };
  const stored = await putObjects(ctx.storage, 'attachments', [{ name: image.name, data: avatar.data, contentType: 'image/webp' }]);
  if (stored) return notOk(stored);
  const saved = await guarded(() => asUser(claims, async (tx) => {
    const rows = await tx`update public.profiles set avatar = ${jsonb(tx, image)} where id = ${userId} returning id`;
    if (!rows[0]) throw new Refusal(failure(403, 'error.forbidden'));
  }), { profiles_avatar: { field: 'file', key: 'validation.invalid' } });
  if (!saved.ok) {
    await removeObjects(ctx.storage, 'attachments', [image.name]);
    return saved;
  }
  return ok({ userId });
}
