import { z } from 'zod';
import { asServiceRole, type Sql } from '../../src/lib/db/index.ts';
import { defineJob } from '../job.ts';
import { deliverNotificationEvents } from './deliver.ts';

/**
 * Builds the digests of the periods that have ended (yesterday, last week, in the organization's
 * time zone): for each, every person's pending notifications in one statement, one email each.
 * Idempotent: a period already built builds nothing more.
 */
export async function buildDueDigests(db: Sql, at: Date = new Date()): Promise<{ frequency: string; period: string; built: number }[]> {
  return asServiceRole('notifications.digests', async (tx) => {
    const periods = await tx<{ frequency: string; period: string; ends_at: Date }[]>`
      select frequency, period::text as period, ends_at from private.ended_digest_periods(${at})`;
    const out: { frequency: string; period: string; built: number }[] = [];
    for (const p of periods) {
      const [row] = await tx<{ n: number }[]>`select private.build_notification_digests(${p.frequency}, ${p.period}::date, ${p.ends_at}) as n`;
      out.push({ frequency: p.frequency, period: p.period, built: row?.n ?? 0 });
    }
    return out;
  }, db);
}

/**
 * Every minute: what no listener heard (events raised while no worker ran) is delivered, the
 * digests of ended periods are built, and pending emails get a sender.
 */
export const sweepJob = defineJob({
  queue: 'notifications.sweep',
  payload: z.object({}).strict().nullish(),
  schedule: { cron: '* * * * *' },
  runAtStart: true,
  queueOptions: { policy: 'stately', retryLimit: 2, retryDelay: 10, expireInSeconds: 300, deleteAfterSeconds: 60 * 60 },
  async run(_payload, { db, log, send }) {
    const delivered = await deliverNotificationEvents(db);
    const digests = await buildDueDigests(db);
    const built = digests.reduce((n, d) => n + d.built, 0);
    const [pending] = await asServiceRole('notifications.sweep', (tx) => tx<{ n: number }[]>`
      select count(*)::int as n from public.notification_emails where status = 'pending'`, db);
    if ((pending?.n ?? 0) > 0) await send?.('notifications.send-emails', {});
    if (delivered.events > 0 || built > 0) log(`swept ${delivered.events} event(s), built ${built} digest(s)`);
    return { delivered, digests, pending: pending?.n ?? 0 };
  },
});
