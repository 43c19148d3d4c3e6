import { z } from 'zod';
import { asServiceRole, type Sql } from '../../src/lib/db/index.ts';
import { defineJob } from '../job.ts';

/**
 * `budgets.remind`: one reminder per unfinished ballot (projects chosen, not checked out) once it
 * has stayed so for the component's `reminder_delay_hours` (0: never), while the vote is open —
 * Decidim's known problem is that a fifth of ballots are never confirmed. The reminder is a
 * notification (`budgets.vote_reminder`, to the voter alone, by email at once unless they chose
 * otherwise): the notification workers deliver and send it as every other one (the
 * organization's name as sender, the voter's language, an unsubscribe link and RFC 8058
 * headers, exactly once). Raising it and marking the ballot reminded are one statement
 * (`private.budgets_raise_vote_reminders`, skip locked): parallel runs never remind a ballot twice.
 */

export async function raiseReminders(db: Sql, limit = 1000): Promise<{ reminded: number }> {
  let reminded = 0;
  // Bounded batches, each its own transaction: a long backlog never holds one lock set for long.
  for (;;) {
    const [row] = await asServiceRole('budgets.remind', (tx) => tx<{ n: number }[]>`select private.budgets_raise_vote_reminders(${limit}) as n`, db);
    const n = row?.n ?? 0;
    reminded += n;
    if (n < limit) return { reminded };
  }
}

export const remindJob = defineJob({
  queue: 'budgets.remind',
  payload: z.object({}).strict().nullish(),
  schedule: { cron: '*/10 * * * *' },
  queueOptions: { policy: 'stately', retryLimit: 2, retryDelay: 60, expireInSeconds: 15 * 60, deleteAfterSeconds: 24 * 3600 },
  async run(_payload, { db, log }) {
    const r = await raiseReminders(db);
    if (r.reminded > 0) log(`reminded ${r.reminded} ballot(s)`);
    return r;
  },
});
