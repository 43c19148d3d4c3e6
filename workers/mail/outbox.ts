import type { Sql } from '../../src/lib/db/index.ts';
import type { DeliveryOutcome, OutgoingMessage, SmtpBatchSender } from '../../src/lib/mail/smtp-batch.ts';

/*
 * Draining an outbox table of emails exactly once (the notifications' emails, a newsletter's
 * deliveries): a batch of rows is claimed with row locks on a connection of its own, rendered,
 * streamed to the SMTP server without its final dot, marked sent and committed, and only then
 * ended (src/lib/mail/smtp-batch.ts). A worker killed at any point leaves each row either sent
 * (and its message complete) or pending (and its message dropped by the server), and the locks
 * go with its connection, so another worker takes the rest at once.
 */

export interface OutboxDefinition<R> {
  /** Why the service role is used (shows in pg_stat_activity). */
  reason: string;
  /**
   * Locks up to `limit` pending rows (`for update skip locked`) whose key comes after `after`, in
   * key order. The cursor keeps each claim from walking again over the rows already sent (still in
   * the index until vacuum): a claim per batch stays cheap however long the outbox.
   */
  claim: (tx: Sql, limit: number, after: string | null) => Promise<R[]>;
  /** The row's key for the cursor (the claim's order). */
  key: (row: R) => string;
  /** The message for a row, or null when there is nothing to send any more (skipped). */
  render: (tx: Sql, rows: R[]) => Promise<(OutgoingMessage | null)[]>;
  /** Records, in the claim's transaction, what happened: ids sent, refused (with why), skipped. */
  record: (tx: Sql, outcome: { sent: R[]; refused: { row: R; error: string }[]; skipped: R[] }) => Promise<void>;
  /** After the dots: rows the server refused once it had the whole message. */
  refusedLate: (db: Sql, rows: { row: R; error: string }[]) => Promise<void>;
}

export interface DrainResult {
  sent: number;
  refused: number;
  skipped: number;
  batches: number;
}

/** Raised when a whole batch was refused before any data (the SMTP server is down): retry later. */
export class SmtpUnavailableError extends Error {
  constructor(detail: string) {
    super(`the SMTP server took none of the batch: ${detail}`);
    this.name = 'SmtpUnavailableError';
  }
}

export async function drainOutbox<R>(
  db: Sql,
  sender: SmtpBatchSender,
  def: OutboxDefinition<R>,
  opts: { maxBatches?: number; onBatch?: (r: DrainResult) => Promise<void> | void } = {},
): Promise<DrainResult> {
  const total: DrainResult = { sent: 0, refused: 0, skipped: 0, batches: 0 };
  // After the end, one more pass from the start: rows refused for a while, or locked by another
  // worker that has died since.
  let after: string | null = null;
  while (opts.maxBatches === undefined || total.batches < opts.maxBatches) {
    const conn = await db.reserve();
    let open = false;
    let late: { row: R; error: string }[] = [];
    let claimed = 0;
    try {
      await conn.unsafe('begin');
      open = true;
      await conn`select set_config('role', 'service_role', true),
                        set_config('request.jwt.claims', ${JSON.stringify({ role: 'service_role' })}, true),
                        set_config('application_name', ${`decidons-service: ${def.reason}`.slice(0, 63)}, true)`;
      const rows = await def.claim(conn, sender.capacity, after);
      claimed = rows.length;
      if (rows.length === 0) {
        await conn.unsafe('commit');
        open = false;
        if (after === null) break;
        after = null;
        continue;
      }
      after = def.key(rows[rows.length - 1]!);
      const messages = await def.render(conn, rows);
      const toSend: { row: R; message: OutgoingMessage }[] = [];
      const skipped: R[] = [];
      rows.forEach((row, i) => {
        const m = messages[i];
        if (m) toSend.push({ row, message: m });
        else skipped.push(row);
      });
      let outcomes: DeliveryOutcome[] = [];
      const committed = new Set<number>();
      const commit = async (accepted: number[], refused: { index: number; error: string }[]) => {
        for (const i of accepted) committed.add(i);
        await def.record(conn, {
          sent: accepted.map((i) => toSend[i]!.row),
          refused: refused.map((r) => ({ row: toSend[r.index]!.row, error: r.error })),
          skipped,
        });
        await conn.unsafe('commit');
        open = false;
      };
      if (toSend.length > 0) {
        outcomes = await sender.send(
          toSend.map((s) => s.message),
          (v) => commit(v.accepted, v.refused),
        );
      } else {
        await commit([], []);
      }
      // Refused once the whole message had gone (the commit had already recorded it as sent).
      late = outcomes.flatMap((o, i) => (o.status === 'refused' && committed.has(i) ? [{ row: toSend[i]!.row, error: o.error }] : []));
      total.batches++;
      total.skipped += skipped.length;
      total.refused += toSend.length - committed.size;
      total.sent += committed.size;
      if (toSend.length > 0 && committed.size === 0) {
        throw new SmtpUnavailableError(outcomes.map((o) => (o.status === 'refused' ? o.error : '')).join('; '));
      }
    } catch (err) {
      if (open) await conn.unsafe('rollback').catch(() => {});
      throw err;
    } finally {
      conn.release();
    }
    if (late.length > 0) {
      await def.refusedLate(db, late);
      total.sent -= late.length;
      total.refused += late.length;
    }
    await opts.onBatch?.(total);
    if (claimed < sender.capacity) after = null;
  }
  return total;
}
