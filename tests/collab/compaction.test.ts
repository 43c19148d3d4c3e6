import { randomUUID } from 'node:crypto';
import type postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { appendUpdates, compactDocument, loadDocument } from '../../realtime/persistence.ts';
import { connectTestDb } from '../helpers/db.ts';
import { probeDocument } from './helpers.ts';

/*
 * Compaction folds a document's tail in bounded steps (one short transaction each, the oldest rows
 * first): whatever step it stopped at, snapshot + remaining rows load as the whole document, and
 * the rows a step folded are exactly the rows it deleted.
 */

let sql: postgres.Sql;

beforeAll(() => {
  sql = connectTestDb();
});
afterAll(async () => {
  await sql.end();
});

const textOf = (state: Uint8Array | null) => {
  const d = new Y.Doc();
  if (state) Y.applyUpdate(d, state);
  return d.getText('t').toString();
};

describe('compaction in bounded steps', () => {
  it('folds a long tail a batch at a time, the document whole after every step', async () => {
    const document = probeDocument(randomUUID());
    const writer = new Y.Doc();
    const updates: Uint8Array[] = [];
    writer.on('update', (u: Uint8Array) => updates.push(u));
    const text = writer.getText('t');
    for (let i = 0; i < 250; i++) text.insert(text.length, String.fromCharCode(97 + (i % 26)));
    for (let i = 0; i < 50; i++) text.delete(i * 3, 1);
    const expected = text.toString();
    // As the service stores them, one batch at a time (here one update per batch, so one row each).
    for (const data of updates) await appendUpdates(sql, 'test', [{ document, data }]);
    expect((await sql<{ n: number }[]>`select count(*)::int as n from collab.updates where document = ${document}`)[0]!.n).toBe(300);

    const steps: { merged: number; more: boolean }[] = [];
    for (;;) {
      const step = await compactDocument(sql, document, 64);
      steps.push({ merged: step.merged, more: step.more });
      const left = (await sql<{ n: number }[]>`select count(*)::int as n from collab.updates where document = ${document}`)[0]!.n;
      expect(left).toBe(300 - steps.reduce((n, s) => n + s.merged, 0));
      expect(textOf((await loadDocument(sql, document)).update)).toBe(expected);
      if (!step.more) break;
    }
    expect(steps.map((s) => s.merged)).toEqual([64, 64, 64, 64, 44]);
    expect((await compactDocument(sql, document, 64)).merged).toBe(0);
    // A batch of many updates of one document is one row, whole.
    const more = new Y.Doc();
    Y.applyUpdate(more, Y.encodeStateAsUpdate(writer));
    const burst: Uint8Array[] = [];
    more.on('update', (u: Uint8Array) => burst.push(u));
    for (let i = 0; i < 100; i++) more.getText('t').insert(0, 'z');
    await appendUpdates(sql, 'test', burst.map((data) => ({ document, data })));
    expect((await sql<{ n: number }[]>`select count(*)::int as n from collab.updates where document = ${document}`)[0]!.n).toBe(1);
    expect(textOf((await loadDocument(sql, document)).update)).toBe('z'.repeat(100) + expected);
    const [snap] = await sql<{ merged_upto: string }[]>`select merged_upto::text from collab.snapshots where document = ${document}`;
    expect(Number(snap!.merged_upto)).toBeGreaterThan(0);
  });
});
