import type { Claims, Tx } from '../db/index.ts';
import type { Locale } from '../i18n/locales.ts';
import type { TranslatedText } from '../i18n/translated.ts';
import type { NotificationKindDefinition } from '../notifications/kinds.ts';
import { SETTING_NAME, type AnySettings, type Labels, type SettingsDefinition } from './settings.ts';

/*
 * The component framework: every participatory feature is one component type, described by a
 * manifest the way Decidim's `component.rb` does (key, actions, global and per-phase settings,
 * stats, public pages). A component is one instance of a feature in a space. It lives in src/lib
 * (it names no feature) rather than in the components admin feature, which, like every feature,
 * builds on it: each feature's manifest imports it, and the admin imports the registry of manifests.
 */

/**
 * An action a feature's permissions use (`create`, `vote`, `comment`…) and the settings that gate
 * it: a global switch, a per-phase switch, a per-phase block. This must be the same mapping as
 * the feature's rows in `public.component_actions`, which `private.component_allows` reads; a
 * test compares both.
 */
export interface ActionDefinition {
  name: string;
  label: Labels;
  globalEnabledSetting?: string;
  phaseEnabledSetting?: string;
  phaseBlockedSetting?: string;
  /**
   * The action may require a verification (Decidim's authorizations): the component's settings
   * form offers the verification methods for it, stored in `components.permissions`, and
   * `private.component_allows` refuses people who hold none of them.
   */
  verifiable?: boolean;
}

/** A number a feature shows in statistics blocks (home, space pages), counted as the visitor. */
export interface StatDefinition {
  key: string;
  label: Labels;
  /** Counts among the given (visible) components of this feature. */
  count: (tx: Tx, componentIds: readonly string[]) => Promise<number>;
}

/** A component as its pages receive it. */
export interface ComponentView {
  id: string;
  spaceId: string;
  feature: string;
  name: TranslatedText;
  weight: number;
  publishedAt: Date | null;
}

/** The space a component lives in, as its pages need it (links, breadcrumbs). */
export interface SpaceRef {
  id: string;
  kind: 'process' | 'assembly';
  slug: string;
  title: TranslatedText;
  /** `/fr/processes/<slug>` */
  href: string;
}

/** What a feature's public page gets. */
export interface PublicPageProps {
  component: ComponentView;
  space: SpaceRef;
  /** Global settings, read against the manifest (defaults filled in). */
  settings: AnySettings;
  /** The settings of the space's active phase (or "default"), read against the manifest. */
  phaseSettings: AnySettings;
  locale: Locale;
  defaultLocale: string;
  claims: Claims | null;
  /** Present when the manifest asks for it (`visitorSeed: true`). */
  visitorSeed?: string | undefined;
}

/** What a feature's admin page (content management) gets. */
export interface AdminPageProps {
  component: ComponentView;
  space: SpaceRef;
  locale: Locale;
  defaultLocale: string;
  claims: Claims | null;
  /** The failed action's error, when the page is shown again after a refused post. */
  actionError?: unknown;
  /** The request, to put back what was typed after a refusal. */
  request: Request;
}

/**
 * What a resource can do on the shared layer. The first five are enforced by the database (the
 * feature's row in `public.resource_types` lists them, and the shared tables refuse the rest; a
 * test compares both; `versioned` resources keep their history in `public.versions`, `attachable`
 * ones take documents and images in `public.attachments`); the others
 * tell the shared pages and jobs what to offer: `evaluated` (the space's evaluators enter its admin pages), `moderated`
 * (it is hidden and shown again in the space's moderation queue), `logged` (admin changes go to
 * the action log), `exported` (open data and exports).
 */
export const RESOURCE_CAPABILITIES = [
  'commentable',
  'likeable',
  'followable',
  'reportable',
  'versioned',
  'attachable',
  'evaluated',
  'moderated',
  'logged',
  'exported',
] as const;
export type ResourceCapability = (typeof RESOURCE_CAPABILITIES)[number];
/** The capabilities the database enforces through `public.resource_types.capabilities`. */
export const DATABASE_CAPABILITIES: readonly ResourceCapability[] = ['commentable', 'likeable', 'followable', 'reportable', 'versioned', 'attachable'];

/** A resource type a feature registers (`public.resource_types.resource_type`) and what it can do. */
export interface ResourceDefinition {
  type: string;
  can: readonly ResourceCapability[];
  /** Its page, relative to its component's page (`proposals/<id>`): links from notifications. None: the component's page. */
  path?: (id: string) => string;
  /**
   * In the one search (its migration registers a `search_document` in `public.resource_types`):
   * the name of the type in the search page's filters, and the resource's address below its
   * component's when `path` above does not give it (`path` → `/<path>`; neither: the component's
   * page) — or, for a resource whose document names a parent (a comment), after its parent's
   * address (`#comment-<id>`).
   */
  search?: {
    label: Labels;
    path?: (resourceId: string) => string;
    /** The address of a parent that is no searchable type of its own (a project's budget), below the component's. */
    parentPath?: (parentId: string) => string;
  };
}

/** The open data page's options, as `/open-data/<key>.csv` and `.json`. */
export type OpenDataFormat = 'csv' | 'json';
export interface OpenDataContext {
  origin: string;
  locale: Locale;
  defaultLocale: string;
}
/**
 * A data set a feature publishes as open data (read as an anonymous visitor, so RLS keeps out
 * whatever is not public). The open data page and its routes list these from the registry.
 */
export interface OpenDataSet {
  /** The file name: `/open-data/<key>.csv`. */
  key: string;
  label: Labels;
  hint: Labels;
  /** Loaded only when the file is asked for (manifests stay importable anywhere). */
  load: () => Promise<{ openDataResponse: (format: OpenDataFormat, ctx: OpenDataContext) => Promise<Response> }>;
}

/** What a feature's section of a space's moderation queue gets. */
export interface ModerationSectionProps {
  spaceId: string;
  /** The space's public address (`/fr/processes/<slug>`), for links to the resources. */
  publicBase: string;
  /** The queue page, which the section's forms post to and come back to. */
  here: string;
  locale: Locale;
  defaultLocale: string;
  claims: Claims | null;
}

/**
 * A feature's section of a space's moderation queue (its `moderated` resources): the queue page
 * lists the sections of the registry and needs nothing else from the feature.
 */
export interface ModerationQueueDefinition {
  key: string;
  /** The Astro action its hide / make-visible forms post to, `<namespace>.<name>` (e.g. `comments.hideComment`). */
  hideAction: string;
  /** Where on the queue page to come back to after that action, from the action's `{ id }` (default: the top). */
  anchor?: (id: string) => string;
  section: () => Promise<{ default: AstroComponent }>;
}

/**
 * A section a feature adds to the person's account page (an evaluator's assignments, say): `read`
 * answers its title and data for this person, or null when it has nothing for them (then it is
 * neither shown nor listed in the page's contents); `Component` renders it with `{ id, title,
 * data, locale }`. Loaded only by the account page.
 */
export interface AccountSectionDefinition {
  /** The section's anchor on the page. */
  key: string;
  load: () => Promise<{
    read: (claims: Claims | null, locale: Locale) => Promise<{ title: string; data: unknown } | null>;
    Component: AstroComponent;
  }>;
}

/**
 * A notice a feature shows on every page of a space for the signed-in person (a ballot still to
 * confirm, say): `read` answers its data for this person and space, or null when there is
 * nothing to say; `Component` renders it with `{ data, locale }`. Loaded only for signed-in
 * people on the space's pages. The component gets `{ data, locale, defaultLocale, spaceHref }`.
 */
export interface SpaceNoticeDefinition {
  key: string;
  load: () => Promise<{
    read: (claims: Claims, spaceId: string, locale: Locale) => Promise<unknown>;
    Component: AstroComponent;
  }>;
}

// Astro components, loaded only when a page needs them (manifests stay importable anywhere).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AstroComponent = (props: any) => unknown;

export interface ComponentManifest<G extends SettingsDefinition = SettingsDefinition, P extends SettingsDefinition = SettingsDefinition> {
  /** The feature key: `public.component_features.feature`, the folder name, the actions namespace. */
  key: string;
  /** An SVG path (24×24 viewBox) drawn with a stroke. */
  icon: string;
  name: Labels;
  description: Labels;
  actions: readonly ActionDefinition[];
  settings: { global: G; phase: P };
  stats: readonly StatDefinition[];
  /** The resource types the feature's migration registers, with what each can do. */
  resources: readonly ResourceDefinition[];
  /** Open data the feature publishes (its `exported` resources). */
  openData?: readonly OpenDataSet[];
  /**
   * How the action log names the rows of the feature's tables it records (`log_admin_change`
   * triggers in its migrations), by table: `{ pages: { fr: 'Contenu de page', en: 'Page content' } }`.
   */
  logLabels?: Readonly<Record<string, Labels>>;
  /** The feature's section of a space's moderation queue. */
  moderation?: ModerationQueueDefinition;
  /** A section of the person's account page, if the feature has one. */
  accountSection?: AccountSectionDefinition;
  /** The kinds of notification its migrations register (`public.notification_kinds`), with their texts. */
  notifications?: readonly NotificationKindDefinition[];
  /** A notice on every page of a space, for the signed-in person. */
  spaceNotice?: SpaceNoticeDefinition;
  publicPage: () => Promise<{ default: AstroComponent }>;
  /** The feature's own content management (a body to write, answers to give…), if any. */
  adminPage?: () => Promise<{ default: AstroComponent }>;
  /**
   * The public page lists things in a random order that must not reshuffle between visits: the
   * component page hands it a per-visitor seed (a session cookie, set before the page renders —
   * a feature's component cannot set cookies once the response has started).
   */
  visitorSeed?: boolean;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyManifest = ComponentManifest<any, any>;

/**
 * Checks a manifest when it is defined, so a mistake fails at start-up and in tests rather than
 * silently in a permission: setting names are identifiers, and every gating setting an action
 * names exists, is a boolean, and sits on the right side (global or per-phase).
 */
export function defineManifest<G extends SettingsDefinition, P extends SettingsDefinition>(m: ComponentManifest<G, P>): ComponentManifest<G, P> {
  const problems = manifestProblems(m);
  if (problems.length > 0) throw new Error(`Invalid manifest "${m.key}":\n  ${problems.join('\n  ')}`);
  return m;
}

export function manifestProblems(m: AnyManifest): string[] {
  const problems: string[] = [];
  if (!/^[a-z][a-z_]{1,39}$/.test(m.key)) problems.push(`key "${m.key}" must match ^[a-z][a-z_]{1,39}$`);
  for (const [side, def] of [['global', m.settings.global], ['phase', m.settings.phase]] as const) {
    for (const [name, d] of Object.entries(def as SettingsDefinition)) {
      if (!SETTING_NAME.test(name)) problems.push(`${side} setting "${name}" is not an identifier`);
      if (d.type === 'integer' && (d.default < d.min || d.default > d.max)) problems.push(`${side} setting "${name}": default out of range`);
      if (d.type === 'enum' && !d.values.includes(d.default)) problems.push(`${side} setting "${name}": default is not one of its values`);
    }
  }
  for (const r of m.resources) {
    if (!/^[a-z][a-z_]{1,39}$/.test(r.type)) problems.push(`resource type "${r.type}" must match ^[a-z][a-z_]{1,39}$`);
    for (const c of r.can) if (!RESOURCE_CAPABILITIES.includes(c)) problems.push(`resource type "${r.type}": unknown capability "${c}"`);
  }
  const seen = new Set<string>();
  for (const a of m.actions) {
    if (!/^[a-z][a-z_]{1,39}$/.test(a.name)) problems.push(`action "${a.name}" must match ^[a-z][a-z_]{1,39}$`);
    if (seen.has(a.name)) problems.push(`action "${a.name}" is declared twice`);
    seen.add(a.name);
    const check = (setting: string | undefined, side: 'global' | 'phase') => {
      if (setting === undefined) return;
      const def = (side === 'global' ? m.settings.global : m.settings.phase) as SettingsDefinition;
      if (def[setting]?.type !== 'boolean') problems.push(`action "${a.name}": ${side} setting "${setting}" is not a boolean ${side} setting`);
    };
    check(a.globalEnabledSetting, 'global');
    check(a.phaseEnabledSetting, 'phase');
    check(a.phaseBlockedSetting, 'phase');
  }
  return problems;
}

/** A row of `public.component_actions`. */
export interface ComponentActionRow {
  feature: string;
  action: string;
  global_enabled_setting: string | null;
  phase_enabled_setting: string | null;
  phase_blocked_setting: string | null;
}

/**
 * The differences between what the manifests declare and what the database's `component_actions`
 * rows say (the database gates actions in RLS, the code shows buttons: both must agree). Empty
 * when they match. Features the database knows but no manifest declares are reported too.
 */
export function actionMismatches(manifests: readonly AnyManifest[], rows: readonly ComponentActionRow[], dbFeatures: readonly string[]): string[] {
  const out: string[] = [];
  const keys = new Set(manifests.map((m) => m.key));
  for (const f of dbFeatures) if (!keys.has(f)) out.push(`feature "${f}" is in the database but has no manifest`);
  for (const m of manifests) {
    if (!dbFeatures.includes(m.key)) out.push(`feature "${m.key}" has a manifest but is not in public.component_features`);
    const dbRows = rows.filter((r) => r.feature === m.key);
    for (const a of m.actions) {
      const r = dbRows.find((x) => x.action === a.name);
      if (!r) {
        out.push(`${m.key}.${a.name}: declared in the manifest, missing from component_actions`);
        continue;
      }
      const pairs: [string, string | null, string | undefined][] = [
        ['global_enabled_setting', r.global_enabled_setting, a.globalEnabledSetting],
        ['phase_enabled_setting', r.phase_enabled_setting, a.phaseEnabledSetting],
        ['phase_blocked_setting', r.phase_blocked_setting, a.phaseBlockedSetting],
      ];
      for (const [col, db, code] of pairs) {
        if ((db ?? undefined) !== code) out.push(`${m.key}.${a.name}: ${col} is ${db ?? 'null'} in the database, ${code ?? 'none'} in the manifest`);
      }
    }
    for (const r of dbRows) {
      if (!m.actions.some((a) => a.name === r.action)) out.push(`${m.key}.${r.action}: in component_actions, not declared in the manifest`);
    }
  }
  return out;
}
