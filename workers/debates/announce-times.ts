import { z } from 'zod';
import { asServiceRole, type Sql } from '../../src/lib/db/index.ts';
import { defineJob } from '../job.ts';

/**
 * Timed debates whose start or end has come are told to their followers (each edge once: its
 * notice and its event are written in one statement, `private.debates_announce_times`).
 */
export async function announceDebateTimes(db: Sql): Promise<number> {
  const [row] = await asServiceRole('debates.announce-times', (tx) => tx<{ n: number }[]>`select private.debates_announce_times() as n`, db);
  return row?.n ?? 0;
}

export const announceTimesJob = defineJob({
  queue: 'debates.announce-times',
  payload: z.object({}).strict().nullish(),
  // Every minute: a debate that opens at 18:00 is told by 18:01.
  schedule: { cron: '* * * * *' },
  queueOptions: { policy: 'stately', retryLimit: 3, retryDelay: 10, expireInSeconds: 60, deleteAfterSeconds: 60 * 60 },
  async run(_payload, { db, log }) {
    const announced = await announceDebateTimes(db);
    // Their events wake the notifications' delivery by their own NOTIFY.
    if (announced > 0) log(`announced ${announced} debate start(s) or end(s)`);
    return { announced };
  },
});
