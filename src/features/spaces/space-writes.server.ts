import type { Tx } from '../../lib/db/index.ts';
import { failure, type Failure } from '../../lib/forms/index.ts';

/*
 * Pieces shared by the space use cases (not a use case itself).
 */

/** Replaces a space's taxonomies with `ids` (RLS: space admins tag and untag their space). */
export async function setSpaceTaxonomies(tx: Tx, spaceId: string, ids: readonly string[]): Promise<void> {
  const unique = [...new Set(ids)];
  await tx`delete from public.space_taxonomies where space_id = ${spaceId} and not (taxonomy_id = any(${unique}::uuid[]))`;
  if (unique.length > 0) {
    await tx`
      insert into public.space_taxonomies (space_id, taxonomy_id)
      select ${spaceId}, t from unnest(${unique}::uuid[]) t
      on conflict do nothing`;
  }
}

/**
 * Why a write touched no row: the row is visible but not the person's to change (403), or it
 * is not there for them at all (404). RLS filters silently; people deserve to know which.
 */
export async function missingOrForbidden(tx: Tx, table: 'spaces' | 'phases' | 'components', id: string): Promise<Failure> {
  const rows = await tx`select 1 from ${tx('public.' + table)} where id = ${id}`;
  return rows.length > 0 ? failure(403, 'error.forbidden') : failure(404, 'error.not_found');
}

/** Whether the current user administers the space (organization admins administer all). */
export async function isSpaceAdmin(tx: Tx, spaceId: string): Promise<boolean> {
  const [row] = await tx<{ ok: boolean }[]>`select private.has_space_role(${spaceId}::uuid, 'admin') as ok`;
  return row?.ok === true;
}
