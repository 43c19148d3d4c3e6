import { z } from 'zod';
import { asServiceRole, type Sql } from '../../src/lib/db/index.ts';
import { defineJob } from '../job.ts';

/**
 * Activates, in every process, the phase whose start date has arrived (Decidim's
 * `ChangeActiveStepJob`). All the work is one SQL function in one transaction: running it twice,
 * concurrently, or again after a crash changes nothing more, and a phase an admin activated by
 * hand afterwards stays active.
 */
export async function activateDuePhases(db: Sql): Promise<string[]> {
  const rows = await asServiceRole('spaces.activate-phases', (tx) => tx<{ id: string }[]>`select private.activate_due_phases() as id`, db);
  return rows.map((r) => r.id);
}

export const activatePhasesJob = defineJob({
  queue: 'spaces.activate-phases',
  // Scheduled runs carry no data; anything else is a mistake worth failing on.
  payload: z.object({}).strict().nullish(),
  // Every minute: a phase starts at most a minute after midnight (organization time zone).
  schedule: { cron: '* * * * *' },
  queueOptions: {
    // One run at a time and at most one waiting: a run catches up on everything due.
    policy: 'stately',
    retryLimit: 3,
    retryDelay: 10,
    expireInSeconds: 60,
    deleteAfterSeconds: 60 * 60,
  },
  async run(_payload, { db, log }) {
    const activated = await activateDuePhases(db);
    if (activated.length > 0) log(`activated ${activated.length} phase(s): ${activated.join(', ')}`);
    return { activated };
  },
});
