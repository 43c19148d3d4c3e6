import { asUser, type Claims } from '../../lib/db/index.ts';
import type { TranslatedText } from '../../lib/i18n/translated.ts';
import { MANIFESTS } from '../registry.ts';
import type { ComponentView } from '../../lib/components/manifest.ts';
import type { Labels } from '../../lib/components/settings.ts';
import { isUuid } from '../../lib/ids.ts';

/*
 * Reads of components, as the visitor: RLS shows published components of visible spaces, and
 * unpublished ones to the space's admins and collaborators (a preview).
 */

interface ComponentRow {
  id: string;
  space_id: string;
  feature: string;
  name: TranslatedText;
  weight: number;
  published_at: Date | null;
}

const toView = (r: ComponentRow): ComponentView => ({
  id: r.id,
  spaceId: r.space_id,
  feature: r.feature,
  name: r.name,
  weight: r.weight,
  publishedAt: r.published_at,
});


/** The components of a space in their order; `publishedOnly` for what everyone sees. */
export async function listComponents(claims: Claims | null, spaceId: string, opts: { publishedOnly?: boolean } = {}): Promise<ComponentView[]> {
  if (!isUuid(spaceId)) return [];
  const rows = await asUser(
    claims,
    (tx) => tx<ComponentRow[]>`
      select id, space_id, feature, name, weight, published_at from public.components
      where space_id = ${spaceId} ${opts.publishedOnly ? tx`and published_at is not null` : tx``}
      order by weight, created_at, id`,
  );
  return rows.map(toView);
}

export interface ComponentWithSettings {
  component: ComponentView;
  /** As stored: read them against the manifest (`readSettings`) before use. */
  settings: unknown;
  phaseSettings: Record<string, unknown>;
}

/** A component with its raw settings, for its admin pages. */
export async function getComponent(claims: Claims | null, componentId: string): Promise<ComponentWithSettings | null> {
  if (!isUuid(componentId)) return null;
  const [r] = await asUser(
    claims,
    (tx) => tx<(ComponentRow & { settings: unknown; phase_settings: Record<string, unknown> })[]>`
      select id, space_id, feature, name, weight, published_at, settings, phase_settings
      from public.components where id = ${componentId}`,
  );
  return r ? { component: toView(r), settings: r.settings, phaseSettings: r.phase_settings } : null;
}

export interface ComponentInForce {
  component: ComponentView;
  settings: unknown;
  /** The settings of the space's active phase, else "default" (what `component_allows` reads). */
  activePhaseSettings: unknown;
}

/** A component of a given space as its public page needs it, with the settings in force now. */
export async function getComponentInForce(claims: Claims | null, spaceId: string, componentId: string): Promise<ComponentInForce | null> {
  if (!isUuid(componentId) || !isUuid(spaceId)) return null;
  const [r] = await asUser(
    claims,
    (tx) => tx<(ComponentRow & { settings: unknown; active_settings: unknown })[]>`
      select id, space_id, feature, name, weight, published_at, settings,
        private.component_phase_settings(id) as active_settings
      from public.components where id = ${componentId} and space_id = ${spaceId}`,
  );
  return r ? { component: toView(r), settings: r.settings, activePhaseSettings: r.active_settings } : null;
}

export interface FeatureStat {
  feature: string;
  key: string;
  label: Labels;
  value: number;
}

/**
 * The statistics every feature declares in its manifest, counted as the visitor over the given
 * visible components (grouped by feature).
 */
export async function computeFeatureStats(claims: Claims | null, idsByFeature: Readonly<Record<string, readonly string[]>>): Promise<FeatureStat[]> {
  return asUser(claims, async (tx) => {
    const out: FeatureStat[] = [];
    for (const m of MANIFESTS) {
      const ids = idsByFeature[m.key] ?? [];
      for (const s of m.stats) out.push({ feature: m.key, key: s.key, label: s.label, value: ids.length ? await s.count(tx, ids) : 0 });
    }
    return out;
  });
}
