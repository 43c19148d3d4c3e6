import type postgres from 'postgres';
import * as Y from 'yjs';

/**
 * Versions of a co-edited document (collab.versions): each holds the document's whole state as one
 * Yjs update, so showing, comparing or restoring one never depends on how far compaction went.
 * The service writes the automatic ones; the site (src/lib/collab/history.server.ts) the named
 * ones and restores, after asking Postgres as the person what they may do.
 */

export type VersionKind = 'auto' | 'named' | 'restore';

export interface NewVersion {
  document: string;
  kind: VersionKind;
  state: Uint8Array;
  authors: string[];
  name?: string | null;
  createdBy?: string | null;
  restoredFrom?: string | null;
}

export async function insertVersion(sql: postgres.Sql | postgres.TransactionSql, v: NewVersion): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    insert into collab.versions (document, kind, name, state, authors, created_by, restored_from)
    values (${v.document}, ${v.kind}, ${v.name ?? null}, ${Buffer.from(v.state)}, ${v.authors}::uuid[], ${v.createdBy ?? null}, ${v.restoredFrom ?? null})
    returning id::text as id`;
  return row!.id;
}

/** The rich text TipTap's Collaboration extension writes. */
export const RICH_TEXT_FIELD = 'default';

/**
 * The change that makes the document read as `version` again, written as a new client on top of
 * `current` (the stored state): the present content is deleted and the version's content inserted
 * as new items. A new change, never a rewrite of the stored updates, so every open client applies
 * it like any edit and converges; anything typed meanwhile by others is kept.
 */
export function restoreUpdate(current: Uint8Array | null, version: Uint8Array, field = RICH_TEXT_FIELD): Uint8Array {
  const doc = new Y.Doc();
  const source = new Y.Doc();
  try {
    if (current) Y.applyUpdate(doc, current);
    Y.applyUpdate(source, version);
    const before = Y.encodeStateVector(doc);
    const target = doc.getXmlFragment(field);
    const content = source.getXmlFragment(field).toArray().map((n) => (n as Y.XmlElement | Y.XmlText).clone());
    doc.transact(() => {
      if (target.length > 0) target.delete(0, target.length);
      if (content.length > 0) target.insert(0, content);
    });
    return Y.encodeStateAsUpdate(doc, before);
  } finally {
    doc.destroy();
    source.destroy();
  }
}
