import { asUser, type Claims } from '../../lib/db/index.ts';
import { guarded, Refusal } from '../../lib/forms/db-errors.ts';
import { failure, notOk, type Result } from '../../lib/forms/index.ts';
import type { MoveAttachmentInput } from './attachments.ts';

/**
 * Puts a file in one of its resource's folders (or in none), as the person (RLS: who may attach
 * files, the space's admins). A folder of another resource is refused by the foreign key, which
 * names the resource too.
 */
export async function moveAttachment(ctx: { claims: Claims | null }, input: MoveAttachmentInput): Promise<Result<{ id: string }>> {
  const { claims } = ctx;
  if (!claims) return notOk(failure(401, 'error.unauthorized'));
  return guarded(() => asUser(claims, async (tx) => {
    const [row] = await tx<{ id: string }[]>`update public.attachments set collection_id = ${input.collection_id} where id = ${input.attachment_id} returning id`;
    if (!row) throw new Refusal(failure(404, 'attachments.error.notFound'));
    return row;
  }), { attachments_collection_id_resource_type_resource_id_fkey: { field: 'collection_id', key: 'attachments.error.folderNotFound' } });
}
