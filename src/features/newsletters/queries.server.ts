import { asUser, type Claims } from '../../lib/db/index.ts';
import type { TranslatedText } from '../../lib/i18n/translated.ts';
import type { Audience, Block, Newsletter, NewsletterStatus } from './newsletters.ts';

interface Row {
  id: string;
  subject: TranslatedText;
  blocks: Block[];
  audience: Partial<Audience>;
  status: NewsletterStatus;
  scheduled_at: Date | null;
  sending_started_at: Date | null;
  sent_at: Date | null;
  recipients_count: number | null;
  delivered_count: number;
  failed_count: number;
  unsubscribed: number;
  updated_at: Date;
}

function toLetter(r: Row): Newsletter {
  return {
    id: r.id,
    subject: r.subject,
    blocks: Array.isArray(r.blocks) ? r.blocks : [],
    audience: { scope: r.audience.scope ?? 'all', spaces: r.audience.spaces ?? [], taxonomies: r.audience.taxonomies ?? [], verifications: r.audience.verifications ?? [] },
    status: r.status,
    scheduledAt: r.scheduled_at,
    sendingStartedAt: r.sending_started_at,
    sentAt: r.sent_at,
    recipients: r.recipients_count,
    delivered: r.delivered_count,
    failed: r.failed_count,
    unsubscribed: r.unsubscribed,
    updatedAt: r.updated_at,
  };
}

/** Every letter, newest first (RLS: the organization's admins only). */
export async function listNewsletters(claims: Claims | null): Promise<Newsletter[]> {
  const rows = await asUser(claims, (tx) => tx<Row[]>`
    select l.*, (select count(*)::int from public.newsletter_unsubscribes u where u.newsletter_id = l.id) as unsubscribed
    from public.newsletters l order by coalesce(l.sent_at, l.scheduled_at, l.updated_at) desc`);
  return rows.map(toLetter);
}

export async function getNewsletter(claims: Claims | null, id: string): Promise<Newsletter | null> {
  if (!/^[0-9a-f-]{36}$/.test(id)) return null;
  const [row] = await asUser(claims, (tx) => tx<Row[]>`
    select l.*, (select count(*)::int from public.newsletter_unsubscribes u where u.newsletter_id = l.id) as unsubscribed
    from public.newsletters l where l.id = ${id}`);
  return row ? toLetter(row) : null;
}

/** How many people an audience reaches now (the database counts, for organization admins only). */
export async function audienceCount(claims: Claims | null, audience: Audience): Promise<number> {
  const [row] = await asUser(claims, (tx) => tx<{ n: number }[]>`select public.newsletter_audience_count(${tx.json({ ...audience })}) as n`);
  return row?.n ?? 0;
}

export interface AudienceOptions {
  spaces: { id: string; kind: 'process' | 'assembly'; title: TranslatedText; published: boolean }[];
  taxonomies: { id: string; name: TranslatedText; parentId: string | null }[];
  /** The verification methods people may hold (core verifications). */
  verifications: string[];
}

/** The spaces, taxonomies and verification methods an audience may name (as the admin sees them). */
export async function audienceOptions(claims: Claims | null): Promise<AudienceOptions> {
  return asUser(claims, async (tx) => {
    const [spaces, taxonomies, methods] = await Promise.all([
      tx<{ id: string; kind: 'process' | 'assembly'; title: TranslatedText; published: boolean }[]>`
        select id, kind, title, published_at is not null as published from public.spaces order by kind desc, weight, created_at`,
      tx<{ id: string; name: TranslatedText; parent_id: string | null }[]>`select id, name, parent_id from public.taxonomies order by parent_id nulls first, weight`,
      tx<{ method: string }[]>`select method from public.verification_methods order by method`,
    ]);
    return {
      spaces,
      taxonomies: taxonomies.map((t) => ({ id: t.id, name: t.name, parentId: t.parent_id })),
      verifications: methods.map((m) => m.method),
    };
  });
}

/** Has the signed-in person answered the newsletter question yet? (RLS: their own preferences.) */
export async function newsletterAnswered(claims: Claims | null): Promise<boolean> {
  if (!claims?.sub) return true;
  const [row] = await asUser(claims, (tx) => tx<{ answered: boolean }[]>`
    select newsletter_answered_at is not null as answered from public.profile_preferences where id = ${claims.sub ?? null}`);
  return row?.answered ?? true;
}
