import { asUser, type Claims, jsonb } from '../../lib/db/index.ts';
import { guarded } from '../../lib/forms/db-errors.ts';
import { failure, notOk, ok, type Result } from '../../lib/forms/index.ts';
import { type ImportLayerInput, MAX_IMPORT_BYTES, parseGeoJson } from './maps.ts';

/**
 * Imports an organization's GeoJSON as a layer of the platform's map (RLS: its admins): checked
 * and reduced by parseGeoJson, stored, then served in `/map/style.json` to every map.
 */
export async function importMapLayer(claims: Claims | null, input: ImportLayerInput): Promise<Result<{ id: string; count: number }>> {
  if (!claims) return notOk(failure(401, 'error.unauthorized'));
  if (input.file.size > MAX_IMPORT_BYTES) return notOk(failure(413, 'maps.error.tooLarge', { field: 'file' }));
  const parsed = parseGeoJson(await input.file.text());
  if (!parsed.ok) return notOk(failure(422, parsed.error.key, { field: 'file', ...(parsed.error.params ? { params: parsed.error.params } : {}) }));
  const features = parsed.value;
  return guarded(() => asUser(claims, async (tx) => {
    const [row] = await tx<{ id: string }[]>`
      insert into public.map_layers (name, kind, data, feature_count, weight)
      values (${input.name}, ${input.kind}, ${jsonb(tx, { type: 'FeatureCollection', features })}, ${features.length},
              (select coalesce(max(weight) + 1, 0) from public.map_layers))
      returning id`;
    return { id: row!.id, count: features.length };
  }), { map_layers_name: { field: 'name', key: 'maps.error.name' }, map_layers_size: { field: 'file', key: 'maps.error.tooLarge' } })
    .then((r) => (r.ok ? ok(r.value) : r));
}
