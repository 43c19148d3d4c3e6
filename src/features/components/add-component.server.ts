import { asUser, type Claims, jsonb } from '../../lib/db/index.ts';
import { guarded } from '../../lib/forms/db-errors.ts';
import { failure, notOk, ok, type Result } from '../../lib/forms/index.ts';
import { getManifest } from '../registry.ts';
import { COMPONENT_CONSTRAINTS, DEFAULT_PHASE_KEY, type AddComponentInput } from './components.ts';
import { defaultSettings } from '../../lib/components/settings.ts';

/**
 * Adds a component of a registered feature to a space, unpublished, at the end, with the
 * feature's default settings globally, for every phase of the space and for "default" (RLS: the
 * space's admins).
 */
export async function addComponent(claims: Claims | null, input: AddComponentInput): Promise<Result<{ id: string }>> {
  if (!claims) return notOk(failure(401, 'error.unauthorized'));
  const manifest = getManifest(input.feature);
  if (!manifest) return notOk(failure(422, 'validation.invalid_choice', { field: 'feature' }));
  const r = await guarded(
    () =>
      asUser(claims, async (tx) => {
        const phases = await tx<{ id: string }[]>`select id from public.phases where space_id = ${input.space_id}`;
        const phaseDefaults = defaultSettings(manifest.settings.phase);
        const phaseSettings: Record<string, unknown> = { [DEFAULT_PHASE_KEY]: phaseDefaults };
        for (const p of phases) phaseSettings[p.id] = phaseDefaults;
        const [row] = await tx<{ id: string }[]>`
          insert into public.components (space_id, feature, name, weight, settings, phase_settings)
          values (${input.space_id}, ${manifest.key}, ${jsonb(tx, input.name)},
            (select coalesce(max(c.weight), -1) + 1 from public.components c where c.space_id = ${input.space_id}),
            ${jsonb(tx, defaultSettings(manifest.settings.global))}, ${jsonb(tx, phaseSettings)})
          returning id`;
        if (!row) throw new Error('insert returned no row');
        return { id: row.id };
      }),
    COMPONENT_CONSTRAINTS,
  );
  return r.ok ? ok(r.value) : notOk(r.failure);
}
