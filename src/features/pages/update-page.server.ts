import { asUser, type Claims, jsonb } from '../../lib/db/index.ts';
import { guarded, Refusal } from '../../lib/forms/db-errors.ts';
import { failure, notOk, type Result } from '../../lib/forms/index.ts';
import type { UpdatePageInput } from './pages.ts';

/**
 * Writes a page's body (RLS: the space's admins; the body arrives already sanitised by the
 * input schema). The page row is created on first save.
 */
export async function updatePage(claims: Claims | null, input: UpdatePageInput): Promise<Result<{ componentId: string }>> {
  if (!claims) return notOk(failure(401, 'error.unauthorized'));
  return guarded(
    () =>
      asUser(claims, async (tx) => {
        const [component] = await tx<{ feature: string }[]>`select feature from public.components where id = ${input.component_id}`;
        if (!component || component.feature !== 'pages') throw new Refusal(failure(404, 'error.not_found'));
        await tx`
          insert into public.pages (component_id, body) values (${input.component_id}, ${jsonb(tx, input.body)})
          on conflict (component_id) do update set body = excluded.body`;
        return { componentId: input.component_id };
      }),
    { pages_body_translated: { field: 'body', key: 'validation.invalid' }, pages_component_feature: { key: 'error.not_found' } },
  );
}
