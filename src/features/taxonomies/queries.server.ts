import { asUser, type Claims } from '../../lib/db/index.ts';
import type { TranslatedText } from '../../lib/i18n/translated.ts';
import { flattenTree, type TaxonomyNode } from './taxonomies.ts';

/** Every taxonomy as a flattened tree (taxonomies are public). */
export async function listTaxonomyTree(claims: Claims | null): Promise<TaxonomyNode[]> {
  const rows = await asUser(
    claims,
    (tx) => tx<{ id: string; parent_id: string | null; name: TranslatedText; weight: number }[]>`
      select id, parent_id, name, weight from public.taxonomies order by weight, created_at limit 2000`,
  );
  return flattenTree(rows.map((r) => ({ id: r.id, parentId: r.parent_id, name: r.name, weight: r.weight })));
}
