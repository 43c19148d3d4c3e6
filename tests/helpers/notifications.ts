import type postgres from 'postgres';

/**
 * Delivers the pending notification events of the last minutes now, as the
 * `notifications.deliver` job does (the same SQL function, one transaction per event, newest
 * first): tests that check who was notified of a change call this after the change, instead of
 * waiting for a worker (the test stack runs none). Other test files deliver at the same time:
 * each event is locked only while it is delivered, and delivered once whoever gets it.
 */
export async function deliverNotifications(sql: postgres.Sql): Promise<void> {
  const pending = await sql<{ id: string }[]>`
    select id from public.notification_events
    where delivered_at is null and created_at > now() - interval '10 minutes'
    order by id desc`;
  for (const { id } of pending) await sql`select private.deliver_notification_event(${id})`;
}
