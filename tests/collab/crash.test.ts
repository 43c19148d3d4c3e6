import { randomUUID } from 'node:crypto';
import type postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import * as Y from 'yjs';
import { parseConfig } from '../../src/lib/config.ts';
import { loadDocument } from '../../realtime/persistence.ts';
import { startCollab, type CollabProcess } from '../../realtime/supervise.ts';
import { connectTestDb } from '../helpers/db.ts';
import { freePort } from '../setup/ports.ts';
import { connectClient, createUser, ensureProbeKind, grant, holdsAll, probeDocument, signToken, synced, waitFor, type Client } from './helpers.ts';

/**
 * The crash drill: five people typing, the service killed with -9 (no chance to flush anything),
 * restarted on the same port. Every update any client had received must already be in Postgres at
 * the moment of the kill; the clients reconnect by themselves and converge, nothing lost.
 */

let sql: postgres.Sql;
let service: CollabProcess | undefined;
const clients: Client[] = [];

beforeAll(async () => {
  sql = connectTestDb();
  await ensureProbeKind(sql);
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await service?.stop();
  await sql.end();
});

const storedText = async (doc: string) => {
  const { update } = await loadDocument(sql, doc);
  const d = new Y.Doc();
  if (update) Y.applyUpdate(d, update);
  return d.getText('t').toString();
};

describe('crash drill', () => {
  it('loses nothing anybody received when the service is killed mid-typing', async () => {
    const stack = inject('stack');
    const config = parseConfig({
      SUPABASE_URL: stack.supabaseUrl,
      DATABASE_URL: stack.databaseUrl,
      SUPABASE_JWT_SECRET: stack.jwtSecret,
      COLLAB_PORT: String(await freePort()),
    });
    service = await startCollab(config);
    const resource = randomUUID();
    const doc = probeDocument(resource);
    const users = await Promise.all(['Un', 'Deux', 'Trois', 'Quatre', 'Cinq'].map((n) => createUser(sql, `Typist ${n}`)));
    for (const u of users) await grant(sql, resource, u, 'write');
    for (const u of users) clients.push(connectClient(service.url, doc, await signToken(u)));
    await Promise.all(clients.map((c) => synced(c)));

    let typing = true;
    const typists = clients.map(async (c, n) => {
      let k = 0;
      while (typing) {
        c.text.insert(Math.floor(Math.random() * (c.text.length + 1)), String.fromCharCode(97 + n));
        if (k++ % 7 === 6 && c.text.length > 3) c.text.delete(Math.floor(Math.random() * (c.text.length - 1)), 1);
        await new Promise((r) => setTimeout(r, 8 + Math.random() * 10));
      }
    });

    await new Promise((r) => setTimeout(r, 800));
    // Everybody has received others' keystrokes by now.
    for (const c of clients) expect(c.received.length).toBeGreaterThan(5);
    service.child.kill('SIGKILL');
    await new Promise<void>((r) => service!.child.once('exit', () => r()));
    // What they received before the kill (copied now: they keep typing offline).
    const received = clients.map((c) => [...c.received]);
    const { update: atKill } = await loadDocument(sql, doc);
    for (const r of received) expect(holdsAll(atKill, r)).toBe(true);

    await new Promise((r) => setTimeout(r, 300));
    service = await startCollab(config);
    await waitFor(() => clients.every((c) => c.provider.wsconnected && c.provider.synced), 15_000, 'every client back');
    await new Promise((r) => setTimeout(r, 300));
    typing = false;
    await Promise.all(typists);

    const expected = () => clients[0]!.text.toString();
    await waitFor(() => clients.every((c) => c.text.toString() === expected()), 10_000, 'convergence');
    await waitFor(async () => (await storedText(doc)) === expected(), 10_000, 'stored = converged');
    expect(expected().length).toBeGreaterThan(50);
    // And every update anybody received over the whole drill is stored.
    const { update: final } = await loadDocument(sql, doc);
    for (const c of clients) expect(holdsAll(final, c.received)).toBe(true);
  }, 60_000);
});
