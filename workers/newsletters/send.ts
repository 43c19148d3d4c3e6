import { z } from 'zod';
import { asServiceRole, type Sql } from '../../src/lib/db/index.ts';
import type { Locale } from '../../src/lib/i18n/locales.ts';
import { isLocale } from '../../src/lib/i18n/locales.ts';
import { translated } from '../../src/lib/i18n/translated.ts';
import type { OutgoingMessage, SmtpBatchSender } from '../../src/lib/mail/smtp-batch.ts';
import { SmtpBatchSender as Sender } from '../../src/lib/mail/smtp-batch.ts';
import type { Block } from '../../src/features/newsletters/newsletters.ts';
import { addressLetter, letterTemplate, loadLetterLookups, renderLetter, type LetterLookups } from '../../src/features/newsletters/render.server.ts';
import type { EmailTemplate } from '../../src/lib/mail/compose.ts';
import { defineJob } from '../job.ts';
import { drainOutbox, type DrainResult } from '../mail/outbox.ts';
import { mailSettings } from '../notifications/send-emails.ts';

/** The channel a letter's scheduling notifies (`newsletters_notify_scheduled`), with its id. */
export const NEWSLETTERS_CHANNEL = 'decidons_newsletters';

/** Letters whose time has come start (their deliveries written); returns every letter being sent. */
export async function startDueNewsletters(db: Sql): Promise<{ started: string[]; sending: string[] }> {
  return asServiceRole('newsletters.dispatch', async (tx) => {
    const started = (await tx<{ id: string }[]>`select private.start_due_newsletters() as id`).map((r) => r.id);
    const sending = (await tx<{ id: string }[]>`select private.sending_newsletters() as id`).map((r) => r.id);
    return { started, sending };
  }, db);
}

interface Delivery {
  user_id: string;
  email: string | null;
  locale: string;
  name: string;
}

/**
 * Sends a letter's pending deliveries, exactly once each (workers/mail/outbox.ts): written once
 * per language, addressed to each recipient, in batches as wide as the sender; marks the letter
 * sent when nothing is pending. `onBatch` follows the progress (the bench, the crash drill).
 */
export async function sendNewsletter(
  db: Sql,
  letterId: string,
  settings: { siteUrl: string; sender: string; secret: string },
  sender: SmtpBatchSender,
  opts: { onBatch?: (r: DrainResult) => void | Promise<void>; maxBatches?: number } = {},
): Promise<DrainResult & { finished: boolean }> {
  const letter = await asServiceRole('newsletters.send', async (tx) => {
    const [row] = await tx<{ id: string; subject: Record<string, string>; blocks: Block[]; status: string }[]>`
      select id, subject, blocks, status from public.newsletters where id = ${letterId}`;
    if (!row || row.status !== 'sending') return null;
    return { row, lookups: await loadLetterLookups(tx, row) };
  }, db);
  if (!letter) return { sent: 0, refused: 0, skipped: 0, batches: 0, finished: false };
  const { row, lookups } = letter;
  // Written once per language, addressed to each reader.
  const templates = new Map<Locale, Promise<EmailTemplate>>();
  const inLocale = (l: Locale) => {
    let t = templates.get(l);
    if (!t) {
      const orgName = translated(lookups.org.name, l, lookups.org.defaultLocale) || 'Décidons';
      t = renderLetter(row, l, lookups as LetterLookups, settings.siteUrl).then((r) => letterTemplate(r, { ...settings, orgName }));
      templates.set(l, t);
    }
    return t;
  };
  const result = await drainOutbox<Delivery>(
    db,
    sender,
    {
      reason: 'newsletters.send',
      claim: (tx, limit, after) => tx<Delivery[]>`select * from private.claim_newsletter_deliveries(${letterId}, ${limit}, ${after}::uuid)`,
      key: (d) => d.user_id,
      async render(_tx, rows) {
        return Promise.all(
          rows.map(async (d): Promise<OutgoingMessage | null> => {
            if (!d.email) return null;
            const locale: Locale = isLocale(d.locale) ? d.locale : 'fr';
            try {
              return addressLetter(letterId, locale, await inLocale(locale), { userId: d.user_id, email: d.email }, settings);
            } catch {
              // An address a header cannot carry as is (not plain ASCII): recorded as failed.
              return null;
            }
          }),
        );
      },
      async record(tx, { sent, refused, skipped }) {
        const refusedAll = [...refused.map((r) => r.row.user_id), ...skipped.map((s) => s.user_id)];
        const errors = [...refused.map((r) => r.error), ...skipped.map(() => 'no address')];
        await tx`select private.record_newsletter_batch(${letterId}, ${sent.map((s) => s.user_id)}::uuid[], ${refusedAll}::uuid[], ${errors}::text[])`;
      },
      async refusedLate(conn, rows) {
        for (const { row: d, error } of rows) await conn`select private.record_newsletter_refusal(${letterId}, ${d.user_id}, ${error})`;
      },
    },
    opts,
  );
  const [done] = await asServiceRole('newsletters.send', (tx) => tx<{ finished: boolean | null }[]>`select private.finish_newsletter(${letterId}) as finished`, db);
  return { ...result, finished: done?.finished === true };
}

export const dispatchJob = defineJob({
  queue: 'newsletters.dispatch',
  payload: z.object({ letters: z.array(z.string()).max(100).optional() }).strict().nullish(),
  // Every minute (scheduled letters), when an admin sends one (NOTIFY), and at start (a restart
  // resumes the letters that were being sent).
  schedule: { cron: '* * * * *' },
  trigger: { channel: NEWSLETTERS_CHANNEL, payload: (heard) => ({ letters: heard.slice(0, 100) }) },
  runAtStart: true,
  queueOptions: { policy: 'stately', retryLimit: 3, retryDelay: 10, expireInSeconds: 300, deleteAfterSeconds: 60 * 60 },
  async run(_payload, { db, log, send }) {
    const { started, sending } = await startDueNewsletters(db);
    if (started.length) log(`started ${started.length} letter(s)`);
    for (const id of sending) await send?.('newsletters.send', { newsletter: id }, { singletonKey: id });
    return { started, sending };
  },
});

export const sendNewsletterJob = defineJob({
  queue: 'newsletters.send',
  payload: z.object({ newsletter: z.uuid() }).strict(),
  // One waiting per letter; a killed worker's job is failed by its missing heartbeat and retried.
  queueOptions: { policy: 'short', retryLimit: 50, retryDelay: 5, heartbeatSeconds: 10, expireInSeconds: 4 * 3600, deleteAfterSeconds: 24 * 3600 },
  async run(payload, { db, log, settings }) {
    const mail = mailSettings(settings);
    if (!mail) {
      log('no SMTP_URL, SITE_URL or secret: letters wait');
      return { sent: 0 };
    }
    const sender = new Sender(mail.smtpUrl, { connections: 16 });
    try {
      const r = await sendNewsletter(db, payload.newsletter, mail, sender);
      log(`letter ${payload.newsletter}: ${r.sent} sent, ${r.refused} refused${r.finished ? ', finished' : ''}`);
      return r;
    } finally {
      await sender.close();
    }
  },
});
