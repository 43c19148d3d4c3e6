import type postgres from 'postgres';

/**
 * Delivers the pending notification events of one space now, as the `notifications.deliver`
 * job does (the same SQL function, one transaction per event, newest first): tests that check
 * who was notified of a change call this after the change, instead of waiting for a worker (the
 * test stack runs none). Scoped to the test's own space: every file shares the database, and a
 * helper that delivered everybody's events would take other files' events from under them (a
 * test counting what its workers delivered) and walk thousands of rows in a full run.
 */
export async function deliverNotifications(sql: postgres.Sql, spaceId: string): Promise<void> {
  const pending = await sql<{ id: string }[]>`
    select id from public.notification_events
    where delivered_at is null and space_id = ${spaceId}
    order by id desc`;
  for (const { id } of pending) await sql`select private.deliver_notification_event(${id})`;
}
