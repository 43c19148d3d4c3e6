import { z } from 'zod';
import type { Sql } from '../../src/lib/db/index.ts';
import { SmtpBatchSender } from '../../src/lib/mail/smtp-batch.ts';
import {
  buildNotificationEmail,
  claimPendingEmails,
  loadLookups,
  type MailSettings,
  type PendingNotificationEmail,
} from '../../src/features/notifications/emails.server.ts';
import { defineJob, type WorkerSettings } from '../job.ts';
import { drainOutbox, type DrainResult } from '../mail/outbox.ts';

const MAX_ATTEMPTS = 3;

export function mailSettings(settings: WorkerSettings | undefined): (MailSettings & { smtpUrl: string }) | null {
  if (!settings?.smtpUrl || !settings.siteUrl || !settings.jwtSecret) return null;
  return { smtpUrl: settings.smtpUrl, siteUrl: settings.siteUrl, sender: settings.smtpSender ?? 'noreply@decidons.localhost', secret: settings.jwtSecret };
}

/** Sends every pending notification email (at once and digests), exactly once each. */
export async function sendNotificationEmails(db: Sql, settings: MailSettings, sender: SmtpBatchSender): Promise<DrainResult> {
  return drainOutbox<PendingNotificationEmail>(db, sender, {
    reason: 'notifications.send-emails',
    claim: (tx, limit, after) => claimPendingEmails(tx, limit, after === null ? null : Number(after)),
    key: (row) => String(row.id),
    async render(tx, rows) {
      const lookups = await loadLookups(tx, rows);
      return Promise.all(rows.map((r) => buildNotificationEmail(r, lookups, settings)));
    },
    async record(tx, { sent, refused, skipped }) {
      if (sent.length) await tx`update public.notification_emails set status = 'sent', sent_at = now(), attempts = attempts + 1 where id = any (${sent.map((r) => r.id)}::bigint[])`;
      if (skipped.length) await tx`update public.notification_emails set status = 'skipped' where id = any (${skipped.map((r) => r.id)}::bigint[])`;
      for (const { row, error } of refused) {
        await tx`update public.notification_emails
                 set attempts = attempts + 1, error = ${error.slice(0, 500)},
                     status = case when attempts + 1 >= ${MAX_ATTEMPTS} then 'failed' else 'pending' end
                 where id = ${row.id}`;
      }
    },
    async refusedLate(conn, rows) {
      for (const { row, error } of rows) {
        await conn`update public.notification_emails set status = 'failed', error = ${error.slice(0, 500)} where id = ${row.id}`;
      }
    },
  });
}

export const sendEmailsJob = defineJob({
  queue: 'notifications.send-emails',
  payload: z.object({}).strict().nullish(),
  // At most one waiting (a burst of deliveries asks once); several may run, the row locks keep them apart.
  queueOptions: { policy: 'short', retryLimit: 20, retryDelay: 10, retryBackoff: true, retryDelayMax: 600, heartbeatSeconds: 10, expireInSeconds: 3600, deleteAfterSeconds: 60 * 60 },
  async run(_payload, { db, log, settings }) {
    const mail = mailSettings(settings);
    if (!mail) {
      log('no SMTP_URL, SITE_URL or secret: notification emails wait');
      return { sent: 0 };
    }
    const sender = new SmtpBatchSender(mail.smtpUrl, { connections: 8 });
    try {
      const r = await sendNotificationEmails(db, mail, sender);
      if (r.sent + r.refused > 0) log(`sent ${r.sent} email(s), ${r.refused} refused, ${r.skipped} skipped`);
      return r;
    } finally {
      await sender.close();
    }
  },
});
