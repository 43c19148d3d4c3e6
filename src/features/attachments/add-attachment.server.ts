import { randomUUID } from 'node:crypto';
import { asUser, type Claims, jsonb } from '../../lib/db/index.ts';
import { guarded } from '../../lib/forms/db-errors.ts';
import { failure, notOk, ok, type Result } from '../../lib/forms/index.ts';
import type { Locale } from '../../lib/i18n/locales.ts';
import { type AddAttachmentInput, titleFromFileName } from './attachments.ts';
import { checkUpload } from './check-upload.server.ts';
import { type Bucket, objectName, putObjects, removeObjects, type StorageApi } from './storage.server.ts';

/**
 * Attaches a file to a resource: may the person attach here (the registry's rule for this
 * resource type, asked as them)? Is the file what it claims (check-upload)? Then the bytes go to
 * Storage as them (the storage policies ask the same rule and the bucket of the space's privacy),
 * then the row, as them (RLS and the trigger check it all again, the uploader included). A refused
 * row removes the bytes it would have pointed at.
 */
export async function addAttachment(
  ctx: { claims: Claims | null; storage: StorageApi; locale: Locale },
  input: AddAttachmentInput,
): Promise<Result<{ id: string }>> {
  const { claims } = ctx;
  if (!claims) return notOk(failure(401, 'error.unauthorized'));
  const [place] = await asUser(claims, (tx) => tx<{ space: string | null; bucket: Bucket | null }[]>`
    select s.space, case when s.space is null then null else private.attachment_bucket(s.space) end as bucket
    from (select private.attachment_space(${input.resource_type}, ${input.resource_id}) as space) s`);
  if (!place?.space || !place.bucket) return notOk(failure(403, 'attachments.error.forbidden'));

  const checked = await checkUpload(input.file, { images: ['full', 'thumb'], documents: true });
  if (!checked.ok) return checked;
  const file = checked.value;
  const base = randomUUID();
  const main = objectName(input.resource_type, input.resource_id, file.kind === 'image' ? 'webp' : file.ext, '', base);
  const thumb = file.kind === 'image' ? objectName(input.resource_type, input.resource_id, 'webp', '-thumb', base) : null;
  const objects = file.kind === 'image'
    ? [
        { name: main, data: file.renditions.full!.data, contentType: 'image/webp' },
        { name: thumb!, data: file.renditions.thumb!.data, contentType: 'image/webp' },
      ]
    : [{ name: main, data: file.data, contentType: file.contentType }];
  const stored = await putObjects(ctx.storage, place.bucket, objects);
  if (stored) return notOk(stored);

  const title = input.title || titleFromFileName(file.fileName);
  const full = file.kind === 'image' ? file.renditions.full! : null;
  const small = file.kind === 'image' ? file.renditions.thumb! : null;
  const row = await guarded(() => asUser(claims, async (tx) => {
    const [r] = await tx<{ id: string }[]>`
      insert into public.attachments (resource_type, resource_id, collection_id, kind, title, file_name, content_type, byte_size,
        width, height, bucket_id, object_name, thumbnail_name, thumbnail_width, thumbnail_height, weight)
      values (${input.resource_type}, ${input.resource_id}, ${input.collection_id ?? null}, ${file.kind}, ${jsonb(tx, { [ctx.locale]: title })}, ${file.fileName},
        ${file.kind === 'image' ? 'image/webp' : file.contentType}, ${objects[0]!.data.length},
        ${full?.width ?? null}, ${full?.height ?? null}, ${place.bucket}, ${main}, ${thumb}, ${small?.width ?? null}, ${small?.height ?? null},
        (select coalesce(max(a.weight) + 1, 0) from public.attachments a where a.resource_type = ${input.resource_type} and a.resource_id = ${input.resource_id}))
      returning id`;
    return r!;
  }), {
    attachments_title: { field: 'title', key: 'attachments.error.titleTooLong' },
    attachments_bucket: { key: 'attachments.error.forbidden' },
    attachments_object_place: { key: 'attachments.error.forbidden' },
    attachments_collection_id_resource_type_resource_id_fkey: { field: 'collection_id', key: 'attachments.error.folderNotFound' },
  });
  if (!row.ok) {
    await removeObjects(ctx.storage, place.bucket, objects.map((o) => o.name));
    return row;
  }
  return ok({ id: row.value.id });
}
