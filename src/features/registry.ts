import type { AccountSectionDefinition, AnyManifest, ModerationQueueDefinition, OpenDataSet, ResourceCapability, ResourceDefinition } from '../lib/components/manifest.ts';
import type { SpaceNoticeDefinition } from '../lib/components/manifest.ts';
import type { Labels } from '../lib/components/settings.ts';
import type { NotificationKindDefinition } from '../lib/notifications/kinds.ts';
import { blogManifest } from './blog/manifest.ts';
import { commentsNotificationKinds } from './comments/notifications.ts';
import { budgetsManifest } from './budgets/manifest.ts';
import { commentModeration, commentResource } from './comments/resource.ts';
import { debatesManifest } from './debates/manifest.ts';
import { newslettersLogLabels } from './newsletters/log-labels.ts';
import { pagesManifest } from './pages/manifest.ts';
import { proposalsManifest } from './proposals/manifest.ts';
import { surveysManifest } from './surveys/manifest.ts';
import { spacesNotificationKinds } from './spaces/notifications.ts';
import { spaceResources } from './spaces/resource.ts';

/**
 * Every component type the platform offers. A new feature adds its manifest here (and registers
 * itself and its actions in its migration: `component_features`, `component_actions`).
 */
export const MANIFESTS: readonly AnyManifest[] = [pagesManifest, proposalsManifest, surveysManifest, debatesManifest, blogManifest, budgetsManifest];

const byKey = new Map(MANIFESTS.map((m) => [m.key, m]));

export function getManifest(feature: string): AnyManifest | undefined {
  return byKey.get(feature);
}

export function isRegisteredFeature(feature: string): boolean {
  return byKey.has(feature);
}

/**
 * Every resource type on the shared layer, with the feature that registers it: the components'
 * (from their manifests) and the cross-cutting features' (comments). Shared pages and rules read
 * this instead of listing features; `public.resource_types` holds the same (a test compares).
 */
export const RESOURCES: readonly (ResourceDefinition & { feature: string })[] = [
  ...MANIFESTS.flatMap((m) => m.resources.map((r) => ({ ...r, feature: m.key }))),
  { ...commentResource, feature: 'comments' },
  ...spaceResources.map((r) => ({ ...r, feature: 'spaces' })),
];

/** The features with a resource type that can do this (e.g. `evaluated`: evaluators enter their admin). */
export function featuresThat(capability: ResourceCapability): string[] {
  return [...new Set(RESOURCES.filter((r) => r.can.includes(capability)).map((r) => r.feature))];
}

/** Every open data set, in the order of the manifests: the open data page and its routes. */
export const OPEN_DATA: readonly OpenDataSet[] = MANIFESTS.flatMap((m) => m.openData ?? []);

// The components' (their manifests) and the platform features' with logged tables of their own (newsletters).
const logLabels = new Map<string, Labels>([...MANIFESTS.flatMap((m) => Object.entries(m.logLabels ?? {})), ...Object.entries(newslettersLogLabels)]);

/** The action log's name for a feature table's rows, or undefined (the platform's own tables are in the admin's messages). */
export function featureLogLabel(table: string): Labels | undefined {
  return logLabels.get(table);
}

/** The sections of a space's moderation queue: comments first, then each component's. */
/** The sections features add to the person's account page. */
export const ACCOUNT_SECTIONS: readonly AccountSectionDefinition[] = MANIFESTS.flatMap((m) => (m.accountSection ? [m.accountSection] : []));

export const MODERATION_QUEUES: readonly ModerationQueueDefinition[] = [
  commentModeration,
  ...MANIFESTS.flatMap((m) => (m.moderation ? [m.moderation] : [])),
];

/**
 * Every kind of notification, with its texts: the spaces' and comments' own, then each
 * component's (its manifest's `notifications`). `public.notification_kinds` holds the same (a test compares).
 */
export const NOTIFICATION_KINDS: readonly NotificationKindDefinition[] = [
  ...spacesNotificationKinds,
  ...commentsNotificationKinds,
  ...MANIFESTS.flatMap((m) => m.notifications ?? []),
];

const kindsByKey = new Map(NOTIFICATION_KINDS.map((k) => [k.kind, k]));

export function notificationKind(kind: string): NotificationKindDefinition | undefined {
  return kindsByKey.get(kind);
}

const resourcesByType = new Map(RESOURCES.map((r) => [r.type, r]));

export function resourceDefinition(type: string): (ResourceDefinition & { feature: string }) | undefined {
  return resourcesByType.get(type);
}
/** The notices features show on every page of a space, for the signed-in person. */
export const SPACE_NOTICES: readonly SpaceNoticeDefinition[] = MANIFESTS.flatMap((m) => (m.spaceNotice ? [m.spaceNotice] : []));
