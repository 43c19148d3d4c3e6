import { asUser, type Claims } from '../../lib/db/index.ts';
import { guarded, Refusal } from '../../lib/forms/db-errors.ts';
import { failure, notOk, ok, type Result } from '../../lib/forms/index.ts';
import type { DeleteAttachmentInput } from './attachments.ts';
import { removeObjects, type StorageApi } from './storage.server.ts';

/**
 * Removes an attachment: the row as the person (RLS: whoever may attach files to the resource,
 * and the space's admins), then its bytes with their client (the storage policy asks the same);
 * bytes that cannot go now are left to the purge job (the row's delete trigger listed them).
 */
export async function deleteAttachment(
  ctx: { claims: Claims | null; storage: StorageApi },
  input: DeleteAttachmentInput,
): Promise<Result<{ resourceType: string; resourceId: string }>> {
  const { claims } = ctx;
  if (!claims) return notOk(failure(401, 'error.unauthorized'));
  const gone = await guarded(() => asUser(claims, async (tx) => {
    const rows = await tx<{ resource_type: string; resource_id: string; bucket_id: string; object_name: string; thumbnail_name: string | null }[]>`
      delete from public.attachments where id = ${input.attachment_id}
      returning resource_type, resource_id, bucket_id, object_name, thumbnail_name`;
    if (!rows[0]) throw new Refusal(failure(404, 'attachments.error.notFound'));
    return rows[0];
  }));
  if (!gone.ok) return gone;
  const r = gone.value;
  await removeObjects(ctx.storage, r.bucket_id, [r.object_name, r.thumbnail_name]);
  return ok({ resourceType: r.resource_type, resourceId: r.resource_id });
}
