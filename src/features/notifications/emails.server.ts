import type { Sql } from '../../lib/db/index.ts';
import { formatCalendarDate } from '../../lib/i18n/dates.ts';
import { isLocale, type Locale } from '../../lib/i18n/locales.ts';
import { pluralForm } from '../../lib/i18n/plural.ts';
import { translated } from '../../lib/i18n/translated.ts';
import { interpolate } from '../../lib/i18n/catalog.ts';
import { composeEmail } from '../../lib/mail/compose.ts';
import { escapeHtml, renderEmailHtml } from '../../lib/mail/layout.ts';
import type { OutgoingMessage } from '../../lib/mail/smtp-batch.ts';
import { signUnsubscribe } from '../../lib/mail/unsubscribe.ts';
import { notificationKind } from '../registry.ts';
import { notificationsCatalog, type NotificationsKey } from './messages/index.ts';
import { renderNotification, type NotificationRow, type RenderContext, type RenderedNotification, type SpaceLink } from './render.ts';

/*
 * The emails of notifications, from the rows `public.notification_emails` holds (one per
 * notification sent at once, one digest per person and period): the person's language, the
 * organization's name as the sender's and in the signature, HTML (the MJML frame) and text, a
 * link to each resource, and an unsubscribe link that needs no sign-in (plus RFC 8058's
 * one-click headers). Used by the `notifications.send-emails` job.
 */

export interface MailSettings {
  siteUrl: string;
  sender: string;
  secret: string;
}

/** A pending email as the job claims it. */
export interface PendingNotificationEmail {
  id: number;
  userId: string;
  frequency: 'immediate' | 'daily' | 'weekly';
  /** YYYY-MM-DD for a digest. */
  period: string | null;
  email: string | null;
  locale: Locale;
  name: string;
  items: NotificationRow[];
}

interface Org {
  name: unknown;
  defaultLocale: string;
  color: string | undefined;
}

export interface EmailLookups {
  org: Org;
  spaces: Map<string, SpaceLink>;
  actors: Map<string, string>;
}

/** Claims up to `limit` pending emails (locked until the caller's transaction ends), with their notifications. */
export async function claimPendingEmails(tx: Sql, limit: number, after: number | null = null): Promise<PendingNotificationEmail[]> {
  const rows = await tx<
    { id: string; user_id: string; frequency: 'immediate' | 'daily' | 'weekly'; period: string | null; email: string | null; locale: string; name: string; items: RawItem[] }[]
  >`select * from private.claim_notification_emails(${limit}, ${after}::bigint)`;
  return rows.map((r) => ({
    id: Number(r.id),
    userId: r.user_id,
    frequency: r.frequency,
    period: r.period,
    email: r.email,
    locale: isLocale(r.locale) ? r.locale : 'fr',
    name: r.name,
    items: r.items.map(toRow),
  }));
}

interface RawItem {
  id: string;
  kind: string;
  resource_type: string | null;
  resource_id: string | null;
  data: Record<string, unknown>;
  created_at: string;
  read_at: string | null;
}

function toRow(i: RawItem): NotificationRow {
  return {
    id: i.id,
    kind: i.kind,
    resourceType: i.resource_type,
    resourceId: i.resource_id,
    data: i.data ?? {},
    createdAt: new Date(i.created_at),
    readAt: i.read_at ? new Date(i.read_at) : null,
  };
}

/** What rendering a batch needs, read once for the batch: the organization, spaces, actors' names. */
export async function loadLookups(tx: Sql, emails: readonly PendingNotificationEmail[]): Promise<EmailLookups> {
  const items = emails.flatMap((e) => e.items);
  const spaceIds = [...new Set(items.map((i) => i.data['space_id']).filter((v): v is string => typeof v === 'string'))];
  const actorIds = [...new Set(items.map((i) => i.data['actor_id']).filter((v): v is string => typeof v === 'string'))];
  const [orgs, spaces, actors] = await Promise.all([
    tx<{ name: unknown; default_locale: string; colors: { primary?: string } }[]>`select name, default_locale, colors from public.organization limit 1`,
    spaceIds.length
      ? tx<{ id: string; kind: 'process' | 'assembly'; slug: string; title: unknown }[]>`select id, kind, slug, title from public.spaces where id = any (${spaceIds}::uuid[])`
      : Promise.resolve([]),
    actorIds.length ? tx<{ id: string; name: string }[]>`select id, name from public.profiles where id = any (${actorIds}::uuid[])` : Promise.resolve([]),
  ]);
  const org = orgs[0];
  return {
    org: { name: org?.name ?? { fr: 'Décidons' }, defaultLocale: org?.default_locale ?? 'fr', color: org?.colors?.primary },
    spaces: new Map(spaces.map((s) => [s.id, s])),
    actors: new Map(actors.map((a) => [a.id, a.name])),
  };
}

type T = (key: NotificationsKey, params?: Record<string, string | number>) => string;

function translator(locale: Locale): T {
  const dict = notificationsCatalog[locale];
  return (key, params) => interpolate(dict[key], params);
}

function grouped(rendered: RenderedNotification[]): RenderedNotification[][] {
  const groups = new Map<string, RenderedNotification[]>();
  for (const r of rendered) {
    const g = groups.get(r.groupKey);
    if (g) g.push(r);
    else groups.set(r.groupKey, [r]);
  }
  return [...groups.values()];
}

/**
 * The message for one pending email, or null when there is nothing to send (no address left, or
 * every notification it held was deleted by its reader meanwhile).
 */
export async function buildNotificationEmail(e: PendingNotificationEmail, lookups: EmailLookups, settings: MailSettings): Promise<OutgoingMessage | null> {
  if (!e.email || e.items.length === 0) return null;
  const locale = e.locale;
  const t = translator(locale);
  const orgName = translated(lookups.org.name, locale, lookups.org.defaultLocale) || 'Décidons';
  const ctx: RenderContext = { locale, defaultLocale: lookups.org.defaultLocale, spaces: lookups.spaces, actors: lookups.actors };
  const rendered = e.items.map((n) => renderNotification(n, ctx));
  const abs = (path: string) => `${settings.siteUrl}${path}`;
  const digest = e.frequency !== 'immediate';
  const firstKind = e.items[0]!.kind;
  const scope = digest ? 'notifications' : `kind:${firstKind}`;
  const token = signUnsubscribe(settings.secret, { person: e.userId, scope });
  const unsubscribePage = abs(`/${locale}/unsubscribe?token=${encodeURIComponent(token)}`);
  const oneClick = abs(`/api/unsubscribe?token=${encodeURIComponent(token)}`);
  const preferences = abs(`/${locale}/account#notifications`);
  const unsubscribeLabel = digest ? t('notifications.email.unsubscribeAll') : t('notifications.email.unsubscribeKind');

  let subject: string;
  let content: string;
  let text: string;
  if (!digest) {
    const r = rendered[0]!;
    subject = r.text.length > 150 ? `${r.text.slice(0, 147)}…` : r.text;
    content = `<p>${escapeHtml(t('notifications.email.greeting', { name: e.name }))}</p>
<p>${escapeHtml(r.text)}</p>
<p><a href="${escapeHtml(abs(r.href))}">${escapeHtml(t('notifications.email.open'))}</a></p>`;
    text = `${t('notifications.email.greeting', { name: e.name })}\n\n${r.text}\n${abs(r.href)}\n`;
  } else {
    const date = formatCalendarDate(e.period, locale, 'dateLong');
    const forms = e.frequency === 'daily'
      ? { one: t('notifications.email.dailySubject.one'), other: t('notifications.email.dailySubject.other') }
      : { one: t('notifications.email.weeklySubject.one'), other: t('notifications.email.weeklySubject.other') };
    subject = pluralForm(locale, forms, rendered.length, { date });
    // By space (a heading each, in the order of their latest news), then by resource within it.
    const bySpace = new Map<string, RenderedNotification[][]>();
    for (const g of grouped(rendered)) {
      const key = g[0]!.spaceId;
      const list = bySpace.get(key);
      if (list) list.push(g);
      else bySpace.set(key, [g]);
    }
    const sections = [...bySpace.entries()];
    content = `<p>${escapeHtml(t('notifications.email.digestIntro', { name: e.name }))}</p>\n` +
      sections
        .map(([spaceId, groups]) => {
          const space = spaceId ? groups[0]![0]!.spaceTitle : '';
          const items = groups
            .map((g) => {
              const head = g[0]!;
              return `<h3>${escapeHtml(head.title || head.spaceTitle)}</h3>\n<ul>\n${g.map((r) => `<li><a href="${escapeHtml(abs(r.href))}">${escapeHtml(r.text)}</a></li>`).join('\n')}\n</ul>`;
            })
            .join('\n');
          return space ? `<h2>${escapeHtml(space)}</h2>\n${items}` : items;
        })
        .join('\n');
    text = `${t('notifications.email.digestIntro', { name: e.name })}\n\n` +
      sections
        .map(([spaceId, groups]) => {
          const space = spaceId ? groups[0]![0]!.spaceTitle : '';
          const items = groups
            .map((g) => {
              const head = g[0]!;
              return `### ${head.title || head.spaceTitle}\n${g.map((r) => `- ${r.text}\n  ${abs(r.href)}`).join('\n')}`;
            })
            .join('\n\n');
          return space ? `## ${space}\n\n${items}` : items;
        })
        .join('\n\n') + '\n';
  }
  const signature = t('notifications.email.signature', { org: orgName });
  const reason = digest ? t('notifications.email.reasonDigest', { org: orgName }) : t('notifications.email.reason', { org: orgName });
  const html = await renderEmailHtml(
    { lang: locale, orgName, color: lookups.org.color },
    { preheader: subject, content, reason, signature, unsubscribe: { url: unsubscribePage, label: unsubscribeLabel } },
  );
  text += `\n${signature}\n\n--\n${reason}\n${unsubscribeLabel}\n${unsubscribePage}\n${t('notifications.email.preferences', { url: preferences })}\n`;
  const raw = await composeEmail({
    fromName: orgName,
    fromAddress: settings.sender,
    to: e.email,
    subject,
    text,
    html,
    language: locale,
    unsubscribe: { oneClickUrl: oneClick },
    messageId: `<notification-email-${e.id}@${new URL(settings.siteUrl).hostname}>`,
    headers: { 'X-Decidons-Notification': digest ? `digest-${e.frequency}` : (notificationKind(firstKind)?.kind ?? firstKind) },
  });
  return { from: settings.sender, to: e.email, raw };
}
