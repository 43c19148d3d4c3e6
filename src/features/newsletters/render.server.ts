import type { Sql, Tx } from '../../lib/db/index.ts';
import { interpolate } from '../../lib/i18n/catalog.ts';
import type { Locale } from '../../lib/i18n/locales.ts';
import { translated } from '../../lib/i18n/translated.ts';
import { composeTemplate, RECIPIENT_LINK, type EmailTemplate } from '../../lib/mail/compose.ts';
import { escapeHtml, renderEmailHtml } from '../../lib/mail/layout.ts';
import type { OutgoingMessage } from '../../lib/mail/smtp-batch.ts';
import { signUnsubscribe } from '../../lib/mail/unsubscribe.ts';
import { sanitizeHtml } from '../../lib/html/sanitize.ts';
import { resourceDefinition } from '../registry.ts';
import { newslettersCatalog } from './messages/index.ts';
import type { Block } from './newsletters.ts';

/*
 * A letter as it is sent, in one language: written once per language (the MJML frame compiled
 * once, the blocks' spaces and resources read once, as a signed-out visitor sees them), then
 * addressed to each recipient with their own unsubscribe link. The preview and the test send use
 * the very same rendering.
 */

export interface LetterSource {
  id: string;
  subject: Record<string, string | undefined>;
  blocks: Block[];
}

export interface RenderedLetter {
  locale: Locale;
  subject: string;
  /** HTML and text with the recipient's unsubscribe address still to fill in. */
  html: string;
  text: string;
}

export interface OrgForMail {
  name: unknown;
  defaultLocale: string;
  color: string | undefined;
}

/** Where each recipient's own unsubscribe address goes. */
export const RECIPIENT = RECIPIENT_LINK;

interface SpaceRow {
  id: string;
  kind: 'process' | 'assembly';
  slug: string;
  title: unknown;
  short_description: unknown;
}
interface ResourceRow {
  resource_type: string;
  resource_id: string;
  title: unknown;
  component_id: string;
  space_kind: 'process' | 'assembly';
  space_slug: string;
}

export interface LetterLookups {
  org: OrgForMail;
  spaces: Map<string, SpaceRow>;
  resources: Map<string, ResourceRow>;
}

/** What the blocks show, read once for the letter (public things only: private.newsletter_*). */
export async function loadLetterLookups(tx: Sql | Tx, letter: LetterSource): Promise<LetterLookups> {
  const spaceIds = letter.blocks.flatMap((b) => (b.type === 'spaces' ? b.ids : []));
  const items = letter.blocks.flatMap((b) => (b.type === 'resources' ? b.items : []));
  const [orgs, spaces, resources] = await Promise.all([
    tx<{ name: unknown; default_locale: string; colors: { primary?: string } }[]>`select name, default_locale, colors from public.organization limit 1`,
    spaceIds.length ? tx<SpaceRow[]>`select * from private.newsletter_spaces(${spaceIds}::uuid[])` : Promise.resolve([] as SpaceRow[]),
    items.length ? tx<ResourceRow[]>`select * from private.newsletter_resources(${tx.json(items)})` : Promise.resolve([] as ResourceRow[]),
  ]);
  const org = orgs[0];
  return {
    org: { name: org?.name ?? { fr: 'Décidons' }, defaultLocale: org?.default_locale ?? 'fr', color: org?.colors?.primary },
    spaces: new Map(spaces.map((s) => [s.id, s])),
    resources: new Map(resources.map((r) => [`${r.resource_type}:${r.resource_id}`, r])),
  };
}

const segment = (kind: 'process' | 'assembly') => (kind === 'process' ? 'processes' : 'assemblies');

/** The letter in one language, for everyone reading it in that language. */
export async function renderLetter(letter: LetterSource, locale: Locale, lookups: LetterLookups, siteUrl: string): Promise<RenderedLetter> {
  const dict = newslettersCatalog[locale];
  const t = (key: keyof typeof dict, params?: Record<string, string>) => interpolate(dict[key], params);
  const tr = (v: unknown) => translated(v, locale, lookups.org.defaultLocale);
  const orgName = tr(lookups.org.name) || 'Décidons';
  const subject = tr(letter.subject);
  const html: string[] = [`<h1>${escapeHtml(subject)}</h1>`];
  const text: string[] = [subject, ''];
  for (const b of letter.blocks) {
    if (b.type === 'text') {
      const body = sanitizeHtml(tr(b.html));
      if (!body) continue;
      html.push(body);
      text.push(body.replace(/<\/(p|h2|h3|h4|li|blockquote)>/g, '\n').replace(/<br\s*\/?>/g, '\n').replace(/<[^>]*>/g, '').replace(/&#(\d+);/g, (_m, n: string) => String.fromCharCode(Number(n))).replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/\n{3,}/g, '\n\n').trim(), '');
    } else if (b.type === 'image') {
      html.push(`<p><img src="${escapeHtml(b.url)}" alt="${escapeHtml(tr(b.alt))}" style="max-width:100%;height:auto;display:block" /></p>`);
      if (tr(b.alt)) text.push(`[${tr(b.alt)}]`, '');
    } else if (b.type === 'spaces') {
      const rows = b.ids.map((id) => lookups.spaces.get(id)).filter((s): s is SpaceRow => !!s);
      if (rows.length === 0) continue;
      html.push('<ul>');
      for (const s of rows) {
        const href = `${siteUrl}/${locale}/${segment(s.kind)}/${s.slug}`;
        const summary = sanitizeHtml(tr(s.short_description)).replace(/<[^>]*>/g, '').trim();
        html.push(`<li><a href="${escapeHtml(href)}"><strong>${escapeHtml(tr(s.title))}</strong></a>${summary ? `<br />${escapeHtml(summary)}` : ''}</li>`);
        text.push(`- ${tr(s.title)}: ${href}`);
      }
      html.push('</ul>');
      text.push('');
    } else if (b.type === 'resources') {
      const rows = b.items.map((i) => lookups.resources.get(`${i.type}:${i.id}`)).filter((r): r is ResourceRow => !!r);
      if (rows.length === 0) continue;
      html.push('<ul>');
      for (const r of rows) {
        const path = resourceDefinition(r.resource_type)?.path?.(r.resource_id);
        const href = `${siteUrl}/${locale}/${segment(r.space_kind)}/${r.space_slug}/f/${r.component_id}${path ? `/${path}` : ''}`;
        html.push(`<li><a href="${escapeHtml(href)}">${escapeHtml(tr(r.title))}</a></li>`);
        text.push(`- ${tr(r.title)}: ${href}`);
      }
      html.push('</ul>');
      text.push('');
    }
  }
  const signature = t('newsletters.email.signature', { org: orgName });
  const reason = t('newsletters.email.reason', { org: orgName });
  const rendered = await renderEmailHtml(
    { lang: locale, orgName, color: lookups.org.color },
    { preheader: subject, content: html.join('\n'), reason, signature, unsubscribe: { url: RECIPIENT, label: t('newsletters.email.unsubscribe') } },
  );
  text.push(signature, '', '--', reason, t('newsletters.email.unsubscribe'), RECIPIENT);
  return { locale, subject, html: rendered, text: text.join('\n') + '\n' };
}

export interface Recipient {
  userId: string;
  email: string;
}

/** The letter in one language as a message written once, to address to each of its readers. */
export async function letterTemplate(rendered: RenderedLetter, settings: { siteUrl: string; sender: string; orgName: string }): Promise<EmailTemplate> {
  const host = new URL(settings.siteUrl).hostname;
  return composeTemplate({
    fromName: settings.orgName,
    fromAddress: settings.sender,
    subject: rendered.subject,
    html: rendered.html,
    text: rendered.text,
    language: rendered.locale,
    headers: { 'List-Id': `<newsletter.${host}>`, Precedence: 'bulk' },
  });
}

/** The letter addressed to one person: their unsubscribe link (page and RFC 8058 one-click). */
export function addressLetter(
  letterId: string,
  locale: Locale,
  template: EmailTemplate,
  to: Recipient,
  settings: { siteUrl: string; sender: string; secret: string },
): OutgoingMessage {
  const token = encodeURIComponent(signUnsubscribe(settings.secret, { person: to.userId, scope: `newsletter:${letterId}` }));
  const raw = template.address({
    to: to.email,
    messageId: `<newsletter-${letterId}-${to.userId}@${new URL(settings.siteUrl).hostname}>`,
    oneClickUrl: `${settings.siteUrl}/api/unsubscribe?token=${token}`,
    link: `${settings.siteUrl}/${locale}/unsubscribe?token=${token}`,
  });
  return { from: settings.sender, to: to.email, raw };
}
