import { asUser, type Claims } from '../../lib/db/index.ts';
import { guarded, Refusal } from '../../lib/forms/db-errors.ts';
import { failure, notOk, type Result } from '../../lib/forms/index.ts';
import type { DeleteCollectionInput } from './attachments.ts';

/** Removes a folder, as the person (RLS: who may attach files, the space's admins); its files stay, outside any folder. */
export async function deleteCollection(ctx: { claims: Claims | null }, input: DeleteCollectionInput): Promise<Result<{ id: string }>> {
  const { claims } = ctx;
  if (!claims) return notOk(failure(401, 'error.unauthorized'));
  return guarded(() => asUser(claims, async (tx) => {
    const [row] = await tx<{ id: string }[]>`delete from public.attachment_collections where id = ${input.collection_id} returning id`;
    if (!row) throw new Refusal(failure(404, 'attachments.error.folderNotFound'));
    return row;
  }));
}
