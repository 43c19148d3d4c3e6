import { asUser, type Claims } from '../../lib/db/index.ts';
import type { Locale } from '../../lib/i18n/locales.ts';
import { PAGE_SIZE } from './notifications.ts';
import { renderNotification, type NotificationRow, type RenderedNotification, type SpaceLink } from './render.ts';

/** The signed-in person's unread notifications (RLS: their own rows only). */
export async function unreadCount(claims: Claims | null): Promise<number> {
  if (!claims?.sub) return 0;
  const [row] = await asUser(claims, (tx) => tx<{ n: number }[]>`
    select count(*)::int as n from public.notifications where user_id = ${claims.sub ?? null} and read_at is null`);
  return row?.n ?? 0;
}

export interface NotificationGroup {
  key: string;
  title: string;
  spaceTitle: string;
  href: string;
  items: (RenderedNotification & { createdAt: Date; read: boolean })[];
}

export interface NotificationsPage {
  groups: NotificationGroup[];
  unread: number;
  /** The cursor of the next (older) page, if any. */
  older: string | null;
  timeZone: string;
}

/**
 * A page of the person's notifications, newest first, grouped by resource (a group sits where
 * its newest notification is). `before`: the cursor of an older page (`<iso date>_<id>`).
 */
export async function listNotifications(claims: Claims | null, locale: Locale, before?: string | null): Promise<NotificationsPage> {
  const sub = claims?.sub;
  if (!claims || !sub) return { groups: [], unread: 0, older: null, timeZone: 'Europe/Paris' };
  const cursor = parseCursor(before);
  return asUser(claims, async (tx) => {
    const rows = await tx<{ id: string; kind: string; resource_type: string | null; resource_id: string | null; data: Record<string, unknown>; created_at: Date; read_at: Date | null }[]>`
      select id, kind, resource_type, resource_id, data, created_at, read_at
      from public.notifications
      where user_id = ${sub}
        and (${cursor?.at ?? null}::timestamptz is null or (created_at, id) < (${cursor?.at ?? null}::timestamptz, ${cursor?.id ?? null}::uuid))
      order by created_at desc, id desc
      limit ${PAGE_SIZE + 1}`;
    const more = rows.length > PAGE_SIZE;
    const page = rows.slice(0, PAGE_SIZE);
    const spaceIds = [...new Set(page.map((r) => r.data['space_id']).filter((v): v is string => typeof v === 'string'))];
    const actorIds = [...new Set(page.map((r) => r.data['actor_id']).filter((v): v is string => typeof v === 'string'))];
    // Spaces the person can no longer see (made private since) give no link: RLS leaves them out.
    const [spaces, actors, [org], [count]] = await Promise.all([
      spaceIds.length ? tx<SpaceLink[]>`select id, kind, slug, title from public.spaces where id = any (${spaceIds}::uuid[])` : Promise.resolve([] as SpaceLink[]),
      actorIds.length ? tx<{ id: string; name: string }[]>`select id, name from public.profiles where id = any (${actorIds}::uuid[])` : Promise.resolve([]),
      tx<{ default_locale: string; time_zone: string }[]>`select default_locale, time_zone from public.organization limit 1`,
      tx<{ n: number }[]>`select count(*)::int as n from public.notifications where user_id = ${sub} and read_at is null`,
    ]);
    const ctx = {
      locale,
      defaultLocale: org?.default_locale ?? 'fr',
      spaces: new Map(spaces.map((s) => [s.id, s])),
      actors: new Map(actors.map((a) => [a.id, a.name])),
    };
    const groups = new Map<string, NotificationGroup>();
    for (const r of page) {
      const row: NotificationRow = { id: r.id, kind: r.kind, resourceType: r.resource_type, resourceId: r.resource_id, data: r.data ?? {}, createdAt: r.created_at, readAt: r.read_at };
      const rendered = renderNotification(row, ctx);
      const item = { ...rendered, createdAt: r.created_at, read: r.read_at !== null };
      const g = groups.get(rendered.groupKey);
      if (g) g.items.push(item);
      else groups.set(rendered.groupKey, { key: rendered.groupKey, title: rendered.title, spaceTitle: rendered.spaceTitle, href: rendered.href.split('#')[0]!, items: [item] });
    }
    const last = page[page.length - 1];
    return {
      groups: [...groups.values()],
      unread: count?.n ?? 0,
      older: more && last ? `${last.created_at.toISOString()}_${last.id}` : null,
      timeZone: org?.time_zone ?? 'Europe/Paris',
    };
  });
}

function parseCursor(raw: string | null | undefined): { at: string; id: string } | null {
  if (!raw) return null;
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?Z)_([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/.exec(raw);
  return m ? { at: m[1]!, id: m[2]! } : null;
}

/** Does the person follow this space? */
export async function followsSpace(claims: Claims | null, spaceId: string): Promise<boolean> {
  if (!claims?.sub) return false;
  const rows = await asUser(claims, (tx) => tx`select 1 from public.space_follows where space_id = ${spaceId} and user_id = ${claims.sub ?? null}`);
  return rows.length > 0;
}

/** The person's email frequency per kind, where they chose one. */
export async function myNotificationSettings(claims: Claims | null): Promise<Record<string, string>> {
  if (!claims?.sub) return {};
  const rows = await asUser(claims, (tx) => tx<{ kind: string; email: string }[]>`select kind, email from public.notification_settings where user_id = ${claims.sub ?? null}`);
  return Object.fromEntries(rows.map((r) => [r.kind, r.email]));
}
