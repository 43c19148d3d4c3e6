import { asUser, type Claims } from '../../lib/db/index.ts';
import type { TranslatedText } from '../../lib/i18n/translated.ts';
import type { AttachmentView, CollectionView, ImageLink, StoredImage } from './attachments.ts';
import { objectUrls, type ObjectRef, type StorageApi } from './storage.server.ts';

/**
 * A resource's attachments as the visitor may see them (RLS on attachments: where the resource is
 * seen), with their URLs (public files computed, private ones signed for this visitor), and
 * whether the visitor may attach files there.
 */
export interface AttachmentsOf {
  items: AttachmentView[];
  /** The resource's folders, in their order, with how many of the visitor's files each holds. */
  collections: CollectionView[];
  canAttach: boolean;
}

interface Row {
  id: string;
  kind: 'image' | 'document';
  title: TranslatedText;
  file_name: string;
  content_type: string;
  byte_size: string;
  width: number | null;
  height: number | null;
  bucket_id: string;
  object_name: string;
  thumbnail_name: string | null;
  thumbnail_width: number | null;
  thumbnail_height: number | null;
  collection_id: string | null;
  collection_name: TranslatedText | null;
}

export async function listAttachments(
  ctx: { claims: Claims | null; storage: StorageApi },
  resourceType: string,
  resourceId: string,
): Promise<AttachmentsOf> {
  const { rows, collections, canAttach } = await asUser(ctx.claims, async (tx) => {
    const rows = await tx<Row[]>`
      select a.id, a.kind, a.title, a.file_name, a.content_type, a.byte_size::text, a.width, a.height, a.bucket_id, a.object_name,
             a.thumbnail_name, a.thumbnail_width, a.thumbnail_height, a.collection_id, c.name as collection_name
      from public.attachments a left join public.attachment_collections c on c.id = a.collection_id
      where a.resource_type = ${resourceType} and a.resource_id = ${resourceId}
      order by c.weight nulls first, a.weight, a.created_at`;
    const collections = await tx<{ id: string; name: TranslatedText }[]>`
      select c.id, c.name from public.attachment_collections c
      where c.resource_type = ${resourceType} and c.resource_id = ${resourceId} order by c.weight, c.created_at`;
    const [can] = ctx.claims
      ? await tx<{ ok: boolean }[]>`select private.attachment_space(${resourceType}, ${resourceId}) is not null as ok`
      : [{ ok: false }];
    return { rows, collections, canAttach: can?.ok ?? false };
  });
  const refs: ObjectRef[] = rows.flatMap((r) => [
    { bucket: r.bucket_id, name: r.object_name },
    { bucket: r.bucket_id, name: r.object_name, download: r.file_name },
    { bucket: r.bucket_id, name: r.thumbnail_name ?? r.object_name },
  ]);
  const urls = refs.length ? await objectUrls(ctx.storage, refs) : [];
  const items: AttachmentView[] = [];
  rows.forEach((r, i) => {
    const [url, downloadUrl, thumbUrl] = [urls[i * 3], urls[i * 3 + 1], urls[i * 3 + 2]];
    if (!url || !downloadUrl) return;
    items.push({
      id: r.id,
      kind: r.kind,
      title: r.title,
      fileName: r.file_name,
      contentType: r.content_type,
      byteSize: Number(r.byte_size),
      width: r.width,
      height: r.height,
      url,
      downloadUrl,
      thumbnail: r.kind === 'image' && thumbUrl && r.thumbnail_width && r.thumbnail_height
        ? { url: thumbUrl, width: r.thumbnail_width, height: r.thumbnail_height }
        : null,
      collection: r.collection_id && r.collection_name ? { id: r.collection_id, name: r.collection_name } : null,
    });
  });
  const counts = new Map<string, number>();
  for (const i of items) if (i.collection) counts.set(i.collection.id, (counts.get(i.collection.id) ?? 0) + 1);
  return { items, collections: collections.map((c) => ({ id: c.id, name: c.name, count: counts.get(c.id) ?? 0 })), canAttach };
}

/** A stored image's URL for this visitor (a private space's hero is signed for its members only). */
export async function storedImageLinks(storage: StorageApi, image: StoredImage | null): Promise<{ main: ImageLink; card: ImageLink } | null> {
  if (!image) return null;
  const card = image.card ?? { name: image.name, width: image.width, height: image.height };
  const [main, small] = await objectUrls(storage, [{ bucket: image.bucket, name: image.name }, { bucket: image.bucket, name: card.name }]);
  if (!main || !small) return null;
  return { main: { url: main, width: image.width, height: image.height }, card: { url: small, width: card.width, height: card.height } };
}

/** The signed-in person's avatar, if they uploaded one. */
export async function getAvatar(claims: Claims | null): Promise<StoredImage | null> {
  if (!claims?.sub) return null;
  const [row] = await asUser(claims, (tx) => tx<{ avatar: StoredImage | null }[]>`select avatar from public.profiles where id = ${claims.sub!}`);
  return row?.avatar ?? null;
}
