import type { AnyManifest } from '../lib/components/manifest.ts';
import { pagesManifest } from './pages/manifest.ts';
import { proposalsManifest } from './proposals/manifest.ts';

/**
 * Every component type the platform offers. A new feature adds its manifest here (and registers
 * itself and its actions in its migration: `component_features`, `component_actions`).
 */
export const MANIFESTS: readonly AnyManifest[] = [pagesManifest, proposalsManifest];

const byKey = new Map(MANIFESTS.map((m) => [m.key, m]));

export function getManifest(feature: string): AnyManifest | undefined {
  return byKey.get(feature);
}

export function isRegisteredFeature(feature: string): boolean {
  return byKey.has(feature);
}
