import { z } from 'zod';
import type { ConstraintMap } from '../../lib/forms/db-errors.ts';
import { integerInput, translatedInput, uuidInput } from '../../lib/forms/fields.ts';
import type { TranslatedText } from '../../lib/i18n/translated.ts';

/*
 * Taxonomies: hierarchical categories and territorial scopes ("Quartiers" → "Centre-ville",
 * "Les Tanneurs"…) that spaces are tagged with and that lists filter by.
 */

export const TAXONOMY_NAME_MAX = 200;

const fields = {
  name: translatedInput({ required: true, max: TAXONOMY_NAME_MAX }),
  parent_id: uuidInput.nullish().transform((v) => v ?? null),
  weight: integerInput(-10000, 10000).default(0),
};
export const createTaxonomyInput = z.object(fields);
export type CreateTaxonomyInput = z.infer<typeof createTaxonomyInput>;
export const updateTaxonomyInput = z.object({ taxonomy_id: uuidInput, ...fields });
export type UpdateTaxonomyInput = z.infer<typeof updateTaxonomyInput>;
export const deleteTaxonomyInput = z.object({ taxonomy_id: uuidInput });
export type DeleteTaxonomyInput = z.infer<typeof deleteTaxonomyInput>;

export const TAXONOMY_CONSTRAINTS: ConstraintMap = {
  taxonomies_name_translated: { field: 'name', key: 'validation.required' },
  taxonomies_not_own_parent: { field: 'parent_id', key: 'taxonomies.validation.parent_cycle' },
  taxonomies_parent_id_fkey: { field: 'parent_id', key: 'validation.invalid_reference' },
  taxonomies_parent_no_cycle: { field: 'parent_id', key: 'taxonomies.validation.parent_cycle' },
};

export interface Taxonomy {
  id: string;
  parentId: string | null;
  name: TranslatedText;
  weight: number;
}

/** A taxonomy in a flattened tree: depth 0 for roots, children right after their parent. */
export interface TaxonomyNode extends Taxonomy {
  depth: number;
  /** Ids of this node and every descendant (to refuse a descendant as parent). */
  subtree: string[];
}

/**
 * A select's options for a flattened tree (flattenTree), each name indented by its depth, after an
 * optional first choice (none, any): every form and filter that picks a taxonomy lists them so.
 */
export function taxonomyOptions(
  nodes: readonly Pick<TaxonomyNode, 'id' | 'name' | 'depth'>[],
  name: (text: TranslatedText) => string,
  first?: string,
): { value: string; label: string }[] {
  const options = nodes.map((n) => ({ value: n.id, label: `${'— '.repeat(n.depth)}${name(n.name)}` }));
  return first === undefined ? options : [{ value: '', label: first }, ...options];
}

/** Orders taxonomies as a tree (by weight, then name order given), depth-first. Orphans become roots. */
export function flattenTree(all: readonly Taxonomy[]): TaxonomyNode[] {
  const ids = new Set(all.map((t) => t.id));
  const children = new Map<string | null, Taxonomy[]>();
  for (const t of all) {
    const parent = t.parentId && ids.has(t.parentId) ? t.parentId : null;
    const list = children.get(parent) ?? [];
    list.push(t);
    children.set(parent, list);
  }
  for (const list of children.values()) list.sort((a, b) => a.weight - b.weight);
  const out: TaxonomyNode[] = [];
  const seen = new Set<string>();
  const walk = (parent: string | null, depth: number): string[] => {
    const collected: string[] = [];
    for (const t of children.get(parent) ?? []) {
      if (seen.has(t.id)) continue;
      seen.add(t.id);
      const node: TaxonomyNode = { ...t, depth, subtree: [t.id] };
      out.push(node);
      node.subtree.push(...walk(t.id, depth + 1));
      collected.push(...node.subtree);
    }
    return collected;
  };
  walk(null, 0);
  return out;
}

export const TAXONOMY_STATUSES = ['created', 'saved', 'deleted'] as const;
export type TaxonomyStatus = (typeof TAXONOMY_STATUSES)[number];
export function isTaxonomyStatus(v: unknown): v is TaxonomyStatus {
  return typeof v === 'string' && (TAXONOMY_STATUSES as readonly string[]).includes(v);
}
