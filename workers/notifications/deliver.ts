import { z } from 'zod';
import { asServiceRole, type Sql } from '../../src/lib/db/index.ts';
import { defineJob } from '../job.ts';

/** The channel `private.raise_notification` notifies (with the event's id) when its transaction commits. */
export const EVENTS_CHANNEL = 'decidons_notification_events';

/**
 * Delivers events (`private.deliver_notification_event`): each in its own transaction, which
 * computes its recipients, writes their notifications and queues their emails at once; delivered
 * twice (a retry, a sweep racing the listener, another worker), the second finds it done. With no
 * ids, delivers whatever is still pending. Returns how many events and people.
 */
export async function deliverNotificationEvents(db: Sql, ids?: readonly number[]): Promise<{ events: number; told: number }> {
  const list = ids && ids.length > 0
    ? [...ids]
    : (await asServiceRole('notifications.deliver', (tx) => tx<{ id: string }[]>`select private.pending_notification_events(1000) as id`, db)).map((r) => Number(r.id));
  let told = 0;
  for (const id of list) {
    const [row] = await asServiceRole('notifications.deliver', (tx) => tx<{ n: number }[]>`select private.deliver_notification_event(${id}) as n`, db);
    told += row?.n ?? 0;
  }
  return { events: list.length, told };
}

export const deliverJob = defineJob({
  queue: 'notifications.deliver',
  payload: z.object({ events: z.array(z.coerce.number().int().positive()).max(1000).optional() }).strict().nullish(),
  trigger: { channel: EVENTS_CHANNEL, payload: (heard) => ({ events: heard.map(Number).filter((n) => Number.isInteger(n) && n > 0) }) },
  work: { batchSize: 20 },
  queueOptions: { retryLimit: 10, retryDelay: 5, retryBackoff: true, expireInSeconds: 300, deleteAfterSeconds: 60 * 60 },
  async run(payload, { db, log, send }) {
    const r = await deliverNotificationEvents(db, payload?.events);
    // Emails to send at once were queued in the same transactions: wake their sender.
    if (r.told > 0) await send?.('notifications.send-emails', {});
    if (r.told > 0) log(`delivered ${r.events} event(s) to ${r.told} person(s)`);
    return r;
  },
});
