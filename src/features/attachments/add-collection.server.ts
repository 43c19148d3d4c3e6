import { asUser, type Claims, jsonb } from '../../lib/db/index.ts';
import { guarded, Refusal } from '../../lib/forms/db-errors.ts';
import { failure, notOk, type Result } from '../../lib/forms/index.ts';
import type { Locale } from '../../lib/i18n/locales.ts';
import type { AddCollectionInput } from './attachments.ts';

/**
 * Adds a folder to a resource's files, as the person: whoever may attach files there (the
 * registry's rule, asked by the insert policy through the row's trigger), last in the order.
 */
export async function addCollection(
  ctx: { claims: Claims | null; locale: Locale },
  input: AddCollectionInput,
): Promise<Result<{ id: string }>> {
  const { claims } = ctx;
  if (!claims) return notOk(failure(401, 'error.unauthorized'));
  return guarded(() => asUser(claims, async (tx) => {
    const [can] = await tx<{ ok: boolean }[]>`select private.attachment_space(${input.resource_type}, ${input.resource_id}) is not null as ok`;
    if (!can?.ok) throw new Refusal(failure(403, 'attachments.error.forbidden'));
    const [row] = await tx<{ id: string }[]>`
      insert into public.attachment_collections (resource_type, resource_id, name, weight)
      values (${input.resource_type}, ${input.resource_id}, ${jsonb(tx, { [ctx.locale]: input.name })},
        (select coalesce(max(c.weight) + 1, 0) from public.attachment_collections c
         where c.resource_type = ${input.resource_type} and c.resource_id = ${input.resource_id}))
      returning id`;
    return row!;
  }), { attachment_collections_name: { field: 'name', key: 'attachments.error.folderName' } });
}
