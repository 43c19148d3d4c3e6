import type postgres from 'postgres';

/**
 * Delivers these events now, one transaction each, with the SQL function the
 * `notifications.deliver` job calls; returns how many people they told. An event another file
 * delivered meanwhile tells nobody again (it is locked while delivered, and delivered once).
 */
export async function deliverEvents(sql: postgres.Sql, ids: readonly string[]): Promise<number> {
  let told = 0;
  for (const id of ids) {
    const [r] = await sql<{ n: number }[]>`select private.deliver_notification_event(${id}) as n`;
    told += r!.n;
  }
  return told;
}

/**
 * Delivers the pending notification events of one space now, newest first as the job does:
 * tests that check who was notified of a change call this after the change, instead of waiting
 * for a worker (the test stack runs none). Scoped to the test's own space: every file shares the
 * database, and a helper that delivered everybody's events would take other files' events from
 * under them (a test counting what its workers delivered) and walk thousands of rows in a full run.
 */
export async function deliverNotifications(sql: postgres.Sql, spaceId: string): Promise<void> {
  const pending = await sql<{ id: string }[]>`
    select id from public.notification_events
    where delivered_at is null and space_id = ${spaceId}
    order by id desc`;
  await deliverEvents(sql, pending.map((r) => r.id));
}
