import { z } from 'zod';
import { asServiceRole, type Sql } from '../../src/lib/db/index.ts';
import { defineJob } from '../job.ts';

export interface PurgeOptions {
  /** Rows of each table per batch (one transaction each). */
  batch?: number;
  /** Postgres intervals: how long delivered events, read notifications and finished emails are kept. */
  eventsAfter?: string;
  readAfter?: string;
  emailsAfter?: string;
}

export interface PurgeResult {
  events: number;
  notifications: number;
  emails: number;
  batches: number;
}

/**
 * Deletes what notifications no longer need (`private.purge_notifications`): batch after batch,
 * each its own short transaction, until a batch finds less than a full one of each.
 */
export async function purgeNotifications(db: Sql, opts: PurgeOptions = {}): Promise<PurgeResult> {
  const batch = opts.batch ?? 5000;
  const total: PurgeResult = { events: 0, notifications: 0, emails: 0, batches: 0 };
  for (;;) {
    const [r] = await asServiceRole('notifications.purge', (tx) => tx<{ events: number; notifications: number; emails: number }[]>`
      select * from private.purge_notifications(${batch}, ${opts.eventsAfter ?? '30 days'}::interval,
                                                 ${opts.readAfter ?? '90 days'}::interval, ${opts.emailsAfter ?? '30 days'}::interval)`, db);
    total.batches++;
    total.events += r!.events;
    total.notifications += r!.notifications;
    total.emails += r!.emails;
    if (r!.events < batch && r!.notifications < batch && r!.emails < batch) return total;
  }
}

export const purgeJob = defineJob({
  queue: 'notifications.purge',
  payload: z.object({}).strict().nullish(),
  // Daily, at night in the organization's usual time zone.
  schedule: { cron: '17 3 * * *', tz: 'Europe/Paris' },
  queueOptions: { policy: 'stately', retryLimit: 2, retryDelay: 300, expireInSeconds: 3600, deleteAfterSeconds: 7 * 24 * 3600 },
  async run(_payload, { db, log }) {
    const r = await purgeNotifications(db);
    if (r.events + r.notifications + r.emails > 0) log(`purged ${r.events} event(s), ${r.notifications} read notification(s), ${r.emails} email row(s)`);
    return r;
  },
});
