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
    if (!snap && rows.length === 0) return { update: null, updateCount: 0 };
    // One part alone is already the whole state: no need to fold it through a Y.Doc.
    if (!snap && rows.length === 1) return { update: new Uint8Array(rows[0]!.data), updateCount: 1 };
    if (snap && rows.length === 0) return { update: new Uint8Array(snap.data), updateCount: 0 };
    return { update: foldUpdates([...(snap ? [snap.data] : []), ...rows.map((r) => r.data)]), updateCount: rows.length };
  })) as StoredState;
}

/**
 * Many updates as one, through a Y.Doc in one transaction: far faster than Y.mergeUpdates on
 * thousands of keystrokes, and deleted content is garbage-collected on the way.
 */
export function foldUpdates(parts: Uint8Array[]): Uint8Array {
  const doc = new Y.Doc();
  try {
    Y.transact(doc, () => {
      for (const p of parts) Y.applyUpdate(doc, p instanceof Uint8Array ? p : new Uint8Array(p));
    });
    return Y.encodeStateAsUpdate(doc);
  } finally {
    doc.destroy();
  }
}

/**
 * Updates merged into one row at most: Y.mergeUpdates costs grow faster than the number of updates
 * (it sorts its inputs at every struct it writes; a replay's batch of 100,000 keystrokes took minutes
 * in one call); in bounded chunks it is linear. 100 measured cheaper per update than 200 or 10.
 */
export const MERGE_CHUNK = 100;

export interface PendingUpdate {
  document: string;
  data: Uint8Array;
}

/** One update per MERGE_CHUNK of `updates` (in order), for storage and relay alike. */
export function mergeInChunks(updates: Uint8Array[]): Uint8Array[] {
  if (updates.length === 1) return updates;
  const merged: Uint8Array[] = [];
  for (let i = 0; i < updates.length; i += MERGE_CHUNK) {
    const part = updates.slice(i, i + MERGE_CHUNK);
    merged.push(part.length === 1 ? part[0]! : Y.mergeUpdates(part));
  }
  return merged;
}

/**
 * Appends a batch of updates and announces them: a document's updates in the batch are merged into
 * one row (per MERGE_CHUNK), so a burst of keystrokes is one row to write, index, fold and delete, not
 * one per keystroke. See insertRows.
 */
export async function appendUpdates(sql: postgres.Sql | postgres.TransactionSql, instance: string, batch: PendingUpdate[]): Promise<void> {
  const rows: PendingUpdate[] = [];
  for (const [document, updates] of Map.groupBy(batch, (b) => b.document)) {
    for (const data of mergeInChunks(updates.map((u) => u.data))) rows.push({ document, data });
  }
  await insertRows(sql, instance, rows);
}

/**
 * Writes exactly these rows and announces them, one NOTIFY per document, in a single statement
 * (one round trip, one implicit transaction: the notices are delivered at its commit, so none names
 * an update that is not durable). Throws when the database refuses: nothing of the batch is then
 * durable. A document's single small row travels in the notice; others are named by ids (or an id
 * range).
 */
export async function insertRows(sql: postgres.Sql | postgres.TransactionSql, instance: string, batch: PendingUpdate[]): Promise<void> {
  const documents: string[] = [];
  const rows: string[] = [];
  const count = new Map<string, number>();
  for (const { document, data } of batch) {
    documents.push(document);
    rows.push(Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64'));
    count.set(document, (count.get(document) ?? 0) + 1);
  }
  const inline: Record<string, string> = {};
  documents.forEach((d, i) => {
    if (count.get(d) === 1 && rows[i]!.length + d.length + 100 < INLINE_LIMIT) inline[d] = rows[i]!;
  });
  await sql`
    with ins as (
      insert into collab.updates (document, data)
      select t.d, decode(t.u, 'base64') from unnest(${documents}::text[], ${rows}::text[]) as t(d, u)
      returning id, document)
    select pg_notify(${UPDATES_CHANNEL}, json_strip_nulls(json_build_object(
      'i', ${instance}::text, 'd', ins.document,
      'ids', case when count(*) > 400 then json_build_array(min(ins.id)::text, max(ins.id)::text, 'range')
                  else json_agg(ins.id::text order by ins.id) end,
      'u', case when count(*) = 1 then ${JSON.stringify(inline)}::jsonb ->> ins.document end))::text)
    from ins group by ins.document`;
}

/** The updates a notice names (ids, or `[first, last, 'range']` for a very large batch); null when compaction already took some. */
export async function fetchNoticed(sql: postgres.Sql, notice: UpdateNotice): Promise<Uint8Array | null> {
  const range = notice.ids[2] === 'range';
  const rows = range
    ? await sql<{ data: Buffer }[]>`select data from collab.updates where document = ${notice.d} and id between ${notice.ids[0]!} and ${notice.ids[1]!} order by id`
    : await sql<{ data: Buffer }[]>`select data from collab.updates where id = any(${notice.ids}::bigint[]) order by id`;
  if (!range && rows.length !== notice.ids.length) return null;
  if (rows.length === 0) return null;
  return rows.length === 1 ? new Uint8Array(rows[0]!.data) : foldUpdates(rows.map((r) => new Uint8Array(r.data)));
}

/** Rows folded per compaction step: one step is one short transaction, whatever the tail's length. */
export const COMPACTION_BATCH = 4000;

/**
 * Folds the oldest `batch` updates of a document into its snapshot, in one transaction; `more`
 * says rows were left for the next step. Bounded so a long tail (a 260k-keystroke replay) is
 * folded in many short steps that keep up with the writers, instead of one transaction that grows
 * with the tail and falls behind. Order does not matter to Yjs (an update whose dependencies are
 * in a later step waits in the snapshot as pending structs, which encodeStateAsUpdate keeps).
 * An advisory lock per document serialises instances compacting the same document. Through a
 * Y.Doc so deleted content is garbage-collected, not carried forever.
 */
export async function compactDocument(
  sql: postgres.Sql,
  document: string,
  batch = COMPACTION_BATCH,
): Promise<{ merged: number; bytes: number; more: boolean }> {
  return (await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtextextended(${'collab:' + document}, 0))`;
    const [snap] = await tx<{ data: Buffer }[]>`select data from collab.snapshots where document = ${document}`;
    const rows = await tx<{ id: string; data: Buffer }[]>`
      select id, data from collab.updates where document = ${document} order by id limit ${batch}`;
    if (rows.length === 0) return { merged: 0, bytes: snap?.data.length ?? 0, more: false };
    const doc = new Y.Doc();
    try {
      Y.transact(doc, () => {
        if (snap) Y.applyUpdate(doc, new Uint8Array(snap.data));
        for (const r of rows) Y.applyUpdate(doc, new Uint8Array(r.data));
      });
      const state = Buffer.from(Y.encodeStateAsUpdate(doc));
      const upto = rows[rows.length - 1]!.id;
      await tx`insert into collab.snapshots (document, data, merged_upto) values (${document}, ${state}, ${upto})
               on conflict (document) do update set data = excluded.data, merged_upto = greatest(collab.snapshots.merged_upto, excluded.merged_upto), updated_at = now()`;
      // Exactly the rows folded in: one committed meanwhile with a lower id stays for next time.
      await tx`delete from collab.updates where document = ${document} and id = any(${rows.map((r) => r.id)}::bigint[])`;
      return { merged: rows.length, bytes: state.length, more: rows.length === batch };
    } finally {
      doc.destroy();
    }
  })) as { merged: number; bytes: number; more: boolean };
}
