import type postgres from 'postgres';
import * as Y from 'yjs';

/**
 * The service's storage in Postgres (schema `collab`, which no API role can reach): updates are
 * appended in group-committed batches and announced to the other instances with NOTIFY in the same
 * transaction (so a notification never names an update that is not durable); a document loads as
 * its snapshot plus the updates after it; compaction folds updates into the snapshot.
 */

export const UPDATES_CHANNEL = 'collab_updates';
export const AWARENESS_CHANNEL = 'collab_awareness';
export const RIGHTS_CHANNEL = 'collab_rights';

/** NOTIFY payloads are limited to 8000 bytes; bigger updates are fetched by id instead. */
const INLINE_LIMIT = 6000;

export interface UpdateNotice {
  /** The instance that wrote them (it ignores its own notices). */
  i: string;
  d: string;
  ids: string[];
  /** The merged updates, base64, when small enough to travel in the notice. */
  u?: string;
}

export interface StoredState {
  /** One update holding the whole stored state, or null for a document never written. */
  update: Uint8Array | null;
  updateCount: number;
}

/** Snapshot + tail, read in one repeatable-read transaction so a concurrent compaction cannot hide rows. */
export async function loadDocument(sql: postgres.Sql, document: string): Promise<StoredState> {
  return (await sql.begin('isolation level repeatable read read only', async (tx) => {
    const [snap] = await tx<{ data: Buffer }[]>`select data from collab.snapshots where document = ${document}`;
    // Every remaining row: compaction deletes exactly the rows it folded in, in the transaction that
    // writes the snapshot, so what is left is the tail (an id below the snapshot's highest can still
    // be a row committed after it by a slower transaction).
    const rows = await tx<{ data: Buffer }[]>`select data from collab.updates where document = ${document} order by id`;
    const parts = [...(snap ? [snap.data] : []), ...rows.map((r) => r.data)].map((b) => new Uint8Array(b));
    return { update: parts.length ? (parts.length === 1 ? parts[0]! : Y.mergeUpdates(parts)) : null, updateCount: rows.length };
  })) as StoredState;
}

export interface PendingUpdate {
  document: string;
  data: Uint8Array;
}

/**
 * Appends a batch of updates in one transaction with one NOTIFY per document. Returns the ids in
 * batch order. Throws when the database refuses: nothing of the batch is then durable.
 */
export async function appendUpdates(sql: postgres.Sql, instance: string, batch: PendingUpdate[]): Promise<string[]> {
  return (await sql.begin(async (tx) => {
    const rows = await tx<{ id: string }[]>`
      insert into collab.updates ${tx(batch.map((b) => ({ document: b.document, data: Buffer.from(b.data.buffer, b.data.byteOffset, b.data.byteLength) })))}
      returning id`;
    const ids = rows.map((r) => r.id);
    const byDoc = new Map<string, { ids: string[]; data: Uint8Array[] }>();
    batch.forEach((b, n) => {
      const entry = byDoc.get(b.document) ?? { ids: [], data: [] };
      entry.ids.push(ids[n]!);
      entry.data.push(b.data);
      byDoc.set(b.document, entry);
    });
    const notices: string[] = [];
    for (const [d, entry] of byDoc) {
      const merged = entry.data.length === 1 ? entry.data[0]! : Y.mergeUpdates(entry.data);
      const u = Buffer.from(merged).toString('base64');
      const notice: UpdateNotice = { i: instance, d, ids: entry.ids };
      if (u.length + d.length + entry.ids.length * 12 < INLINE_LIMIT) notice.u = u;
      else if (entry.ids.length > 400) notice.ids = [entry.ids[0]!, entry.ids.at(-1)!, 'range'];
      notices.push(JSON.stringify(notice));
    }
    await tx`select pg_notify(${UPDATES_CHANNEL}, n) from unnest(${notices}::text[]) as n`;
    return ids;
  })) as string[];
}

/** The updates a notice names (ids, or `[first, last, 'range']` for a very large batch); null when compaction already took some. */
export async function fetchNoticed(sql: postgres.Sql, notice: UpdateNotice): Promise<Uint8Array | null> {
  const range = notice.ids[2] === 'range';
  const rows = range
    ? await sql<{ data: Buffer }[]>`select data from collab.updates where document = ${notice.d} and id between ${notice.ids[0]!} and ${notice.ids[1]!} order by id`
    : await sql<{ data: Buffer }[]>`select data from collab.updates where id = any(${notice.ids}::bigint[]) order by id`;
  if (!range && rows.length !== notice.ids.length) return null;
  if (rows.length === 0) return null;
  return Y.mergeUpdates(rows.map((r) => new Uint8Array(r.data)));
}

/**
 * Folds every update of a document into its snapshot. An advisory lock per document serialises
 * instances compacting the same document; updates appended meanwhile stay for the next time.
 * Through a Y.Doc so deleted content is garbage-collected, not carried forever.
 */
export async function compactDocument(sql: postgres.Sql, document: string): Promise<{ merged: number; bytes: number }> {
  return (await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtextextended(${'collab:' + document}, 0))`;
    const [snap] = await tx<{ data: Buffer }[]>`select data from collab.snapshots where document = ${document}`;
    const rows = await tx<{ id: string; data: Buffer }[]>`select id, data from collab.updates where document = ${document} order by id`;
    if (rows.length === 0) return { merged: 0, bytes: snap?.data.length ?? 0 };
    const doc = new Y.Doc();
    try {
      Y.transact(doc, () => {
        if (snap) Y.applyUpdate(doc, new Uint8Array(snap.data));
        for (const r of rows) Y.applyUpdate(doc, new Uint8Array(r.data));
      });
      const state = Buffer.from(Y.encodeStateAsUpdate(doc));
      const ids = rows.map((r) => r.id);
      const upto = ids.reduce((a, b) => (BigInt(a) > BigInt(b) ? a : b));
      await tx`insert into collab.snapshots (document, data, merged_upto) values (${document}, ${state}, ${upto})
               on conflict (document) do update set data = excluded.data, merged_upto = greatest(collab.snapshots.merged_upto, excluded.merged_upto), updated_at = now()`;
      // Exactly the rows folded in: one committed meanwhile with a lower id stays for next time.
      await tx`delete from collab.updates where id = any(${ids}::bigint[])`;
      return { merged: rows.length, bytes: state.length };
    } finally {
      doc.destroy();
    }
  })) as { merged: number; bytes: number };
}
