import type postgres from 'postgres';

/**
 * Delivers every pending notification event now, as the `notifications.deliver` job does (the
 * same SQL function): tests that check who was notified of a change call this after the change,
 * instead of waiting for a worker (the test stack runs none).
 */
export async function deliverNotifications(sql: postgres.Sql): Promise<void> {
  await sql`select private.deliver_notification_event(e) from private.pending_notification_events(100000) e`;
}
