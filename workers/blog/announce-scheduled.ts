import { z } from 'zod';
import { asServiceRole, type Sql } from '../../src/lib/db/index.ts';
import { defineJob } from '../job.ts';

/**
 * Scheduled news posts whose time has come are told to the space's followers now (each raises
 * its notification in the same statement that marks it told: once, whoever runs it, however often).
 */
export async function announceDuePosts(db: Sql): Promise<string[]> {
  const rows = await asServiceRole('blog.announce-scheduled', (tx) => tx<{ id: string }[]>`select private.blog_announce_due_posts() as id`, db);
  return rows.map((r) => r.id);
}

export const announceScheduledJob = defineJob({
  queue: 'blog.announce-scheduled',
  payload: z.object({}).strict().nullish(),
  // Every minute: a post scheduled for 9:00 is told by 9:01.
  schedule: { cron: '* * * * *' },
  queueOptions: { policy: 'stately', retryLimit: 3, retryDelay: 10, expireInSeconds: 60, deleteAfterSeconds: 60 * 60 },
  async run(_payload, { db, log, send }) {
    const announced = await announceDuePosts(db);
    if (announced.length > 0) {
      log(`announced ${announced.length} scheduled post(s)`);
      // Their events are delivered by the notifications' job (woken by their NOTIFY as well).
      await send?.('notifications.deliver', {});
    }
    return { announced };
  },
});
