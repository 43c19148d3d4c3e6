import type { Locale } from '../../lib/i18n/locales.ts';
import { translated } from '../../lib/i18n/translated.ts';
import { dataText, interpolate, type NotificationFacts } from '../../lib/notifications/kinds.ts';
import { notificationKind, resourceDefinition } from '../registry.ts';
import { notificationsCatalog } from './messages/index.ts';

/*
 * A notification's line and link, from what it holds and the kinds' declarations in the
 * registry: the same for the bell's page and the emails (pure, no server imports).
 */

export interface SpaceLink {
  id: string;
  kind: 'process' | 'assembly';
  slug: string;
  title: unknown;
}

export interface NotificationRow extends NotificationFacts {
  id: string;
  createdAt: Date;
  readAt: Date | null;
}

export interface RenderContext {
  locale: Locale;
  defaultLocale: string;
  spaces: ReadonlyMap<string, SpaceLink>;
  /** Names of the people who acted, by id. */
  actors: ReadonlyMap<string, string>;
}

export interface RenderedNotification {
  id: string;
  /** Plain text (escape it where it goes). */
  text: string;
  /** A path on the site (`/fr/processes/…`). */
  href: string;
  title: string;
  spaceTitle: string;
  /** Its space's id ('' when none): digests group by it. */
  spaceId: string;
  /** Notifications about the same resource share it (the page groups them). */
  groupKey: string;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** The path of a registered resource's page under its component's, or of the component itself. */
export function componentPath(space: SpaceLink, locale: Locale, componentId?: string, resourcePath?: string): string {
  const base = `/${locale}/${space.kind === 'process' ? 'processes' : 'assemblies'}/${space.slug}`;
  if (!componentId) return base;
  return `${base}/f/${componentId}${resourcePath ? `/${resourcePath}` : ''}`;
}

export function renderNotification(n: NotificationRow, ctx: RenderContext): RenderedNotification {
  const { locale, defaultLocale } = ctx;
  const def = notificationKind(n.kind);
  const data = n.data;
  const space = str(data['space_id']) ? ctx.spaces.get(data['space_id'] as string) : undefined;
  const title = dataText(data['title'], locale, defaultLocale) ?? '';
  const spaceTitle = space ? translated(space.title, locale, defaultLocale) : '';
  const actorId = str(data['actor_id']);
  const values: Record<string, string> = {};
  for (const [k, v] of Object.entries(data)) {
    const text = dataText(v, locale, defaultLocale);
    if (text !== undefined) values[k] = text;
  }
  for (const [k, v] of Object.entries(def?.vars?.(data) ?? {})) values[k] = typeof v === 'string' ? v : v[locale];
  values['title'] = title;
  values['space'] = spaceTitle;
  values['actor'] = (actorId && ctx.actors.get(actorId)) || notificationsCatalog[locale]['notifications.someone'];
  const text = interpolate(def ? def.message[locale] : notificationsCatalog[locale]['notifications.generic'], values);

  const target = def?.target?.(n) ?? (n.resourceType && n.resourceId ? { type: n.resourceType, id: n.resourceId } : null);
  const componentId = str(data['component_id']);
  let href = `/${locale}/`;
  if (space) {
    const path = target ? resourceDefinition(target.type)?.path?.(target.id) : undefined;
    const own = path === undefined ? def?.path?.(n) : null;
    if (own) {
      const [rel, anchor] = own.split('#');
      href = componentPath(space, locale, componentId, rel) + (anchor ? `#${anchor}` : '');
    } else {
      href = componentPath(space, locale, componentId, path) + (target?.anchor ? `#${target.anchor}` : '');
    }
  }
  return {
    id: n.id,
    text,
    href,
    title,
    spaceTitle,
    spaceId: space?.id ?? '',
    groupKey: n.resourceType && n.resourceId ? `${n.resourceType}:${n.resourceId}` : `space:${space?.id ?? ''}:${n.kind}`,
  };
}
