/**
 * The co-editing service (realtime/): figures, side by side in one run.
 *
 * - replay of automerge-paper (260k keystrokes, one transaction each). In-process: a Y.Doc replaying
 *   with its update events encoded (after one untimed warm-up replay, so the JIT weighs on neither
 *   side). Through the service: the writer, the unchanged y-websocket provider over `ws` on this
 *   thread, replays the same; every update is stored in Postgres before it is relayed; the clock
 *   stops when a second client, in a worker thread (another person's browser, not the writer's
 *   thread), holds the whole text. Printed: that ratio (the goal), the ratio to the writer's own
 *   replay (what the service adds after the last keystroke), and the same replay through the
 *   reference @y/websocket-server. Then loading the result from Postgres (snapshot + tail) and a new
 *   client's first sync;
 * - 20 clients typing into one document at 10 keystrokes/s each: keystroke to arrival at every
 *   other client, p50/p95/p99, against the reference @y/websocket-server (which persists nothing):
 *   the same client code, alternating rounds (ABBA), a fresh document each round on both sides, a
 *   first warm-up round of each discarded;
 * - memory of a service process per open document and per connection, with 1,000 documents open.
 *
 * The service runs as its own process (`node realtime/index.ts`), as in production.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Worker } from 'node:worker_threads';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { SignJWT } from 'jose';
import postgres from 'postgres';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { Config } from '../src/lib/config.ts';
import { loadDocument } from '../realtime/persistence.ts';
import { parseConfig } from '../src/lib/config.ts';
import { startStack } from '../supabase/local/stack.ts';
import { localEnvOnFreePorts } from '../tests/setup/ports.ts';
import { startCollab } from '../realtime/supervise.ts';
import { freePort } from '../tests/setup/ports.ts';

const root = resolve(import.meta.dirname, '..');
const COMPONENT = '00000000-0000-4000-8004-000000000010';
const SPACE = '00000000-0000-4000-8002-000000000001';

interface Trace {
  startContent: string;
  endContent: string;
  txns: { patches: [number, number, string][] }[];
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

function client(url: string, room: string, params: Record<string, string>) {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(url, room, doc, { params, disableBc: true, WebSocketPolyfill: WebSocket as never });
  return { doc, provider };
}

async function until(check: () => boolean, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`bench: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function rssOf(child: ChildProcess): number {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
}

async function newDrafts(sql: postgres.Sql, author: string, n: number): Promise<string[]> {
  const rows = await sql<{ id: string }[]>`
    insert into public.proposal_collaborative_drafts (component_id, space_id, author_id, title)
    select ${COMPONENT}, ${SPACE}, ${author}, 'Brouillon de mesure ' || g from generate_series(1, ${n}) g
    returning id`;
  return rows.map((r) => r.id);
}

/** keystroke → arrival at each other client, for `clients` typing `rate`/s for `seconds`. */
async function typingLatency(url: string, room: string, params: Record<string, string>, clients: number, rate: number, seconds: number) {
  const sent = new Map<string, number>();
  const latencies: number[] = [];
  const people = Array.from({ length: clients }, () => client(url, room, params));
  await until(() => people.every((p) => p.provider.synced), 20_000, 'typists synced');
  for (const p of people) {
    p.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== p.provider) return;
      const now = performance.now();
      for (const s of Y.decodeUpdate(update).structs) {
        const at = sent.get(`${s.id.client}:${s.id.clock}`);
        if (at !== undefined) latencies.push(now - at);
      }
    });
  }
  const timers = people.map((p) =>
    setInterval(() => {
      const text = p.doc.getText('t');
      sent.set(`${p.doc.clientID}:${Y.getState(p.doc.store, p.doc.clientID)}`, performance.now());
      text.insert(Math.floor(Math.random() * (text.length + 1)), 'x');
    }, 1000 / rate),
  );
  await new Promise((r) => setTimeout(r, seconds * 1000));
  timers.forEach(clearInterval);
  await new Promise((r) => setTimeout(r, 500));
  const expected = sent.size * (clients - 1);
  const converged = people.every((p) => p.doc.getText('t').toString() === people[0]!.doc.getText('t').toString());
  for (const p of people) {
    p.provider.destroy();
    p.doc.destroy();
  }
  return { latencies, expected, converged };
}

type Typing = Awaited<ReturnType<typeof typingLatency>>;

function summary(rounds: Typing[]) {
  const latencies = rounds.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const expected = rounds.reduce((n, r) => n + r.expected, 0);
  return { n: latencies.length, expected, converged: rounds.every((r) => r.converged), p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99) };
}

async function startReference(): Promise<{ url: string; child: ChildProcess; stop: () => void }> {
  const port = await freePort();
  const child = spawn(process.execPath, [resolve(root, 'bench/reference-server.ts')], {
    cwd: root,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((ok, fail) => {
    child.stdout?.on('data', (b: Buffer) => b.toString().includes('running') && ok());
    child.once('exit', (code) => fail(new Error(`reference server exited (${code})`)));
  });
  return { url: `ws://127.0.0.1:${port}`, child, stop: () => child.kill('SIGTERM') };
}

// Each y-websocket provider in Node adds a process 'exit' listener (kept after destroy): 20
// typists per round, over the rounds, plus the replay's clients pass Node's warning threshold —
// the benchmark's own clients, not a leak of the service.
process.setMaxListeners(Math.max(process.getMaxListeners(), 1000));

export async function benchCollab(config: Config, sql: postgres.Sql, seconds: number): Promise<void> {
  console.log('\nCo-editing service (realtime/, its own process; Postgres durable before relay)');
  const [camille] = await sql<{ id: string }[]>`select id from public.profiles where nickname = 'camille'`;
  const token = await new SignJWT({ role: 'authenticated', aud: 'authenticated' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(camille!.id)
    .setExpirationTime('2h')
    .sign(new TextEncoder().encode(config.jwtSecret));
  const params = { token };
  // The service's own log lines (refusals, storage errors) go to stderr, apart from the figures.
  const service = await startCollab(config, { port: await freePort(), log: (l) => process.stderr.write(`  [service] ${l}\n`) });
  const reference = await startReference();
  try {
    // --- replay -------------------------------------------------------------------------------
    const trace = JSON.parse(gunzipSync(readFileSync(resolve(import.meta.dirname, 'data/automerge-paper.json.gz'))).toString('utf8')) as Trace;
    // BENCH_TRACE_LIMIT: the first N keystrokes only (a quick run); the end content is then the replay's own.
    const limit = Number(process.env.BENCH_TRACE_LIMIT ?? 0);
    if (limit > 0 && limit < trace.txns.length) {
      trace.txns = trace.txns.slice(0, limit);
      const d = new Y.Doc();
      d.getText('t').insert(0, trace.startContent);
      for (const txn of trace.txns) for (const [pos, del, ins] of txn.patches) {
        if (del > 0) d.getText('t').delete(pos, del);
        if (ins) d.getText('t').insert(pos, ins);
      }
      trace.endContent = d.getText('t').toString();
      d.destroy();
    }
    const keystrokes = trace.txns.length;
    const replay = (doc: Y.Doc) => {
      const text = doc.getText('t');
      if (trace.startContent) text.insert(0, trace.startContent);
      for (const txn of trace.txns) {
        doc.transact(() => {
          for (const [pos, del, ins] of txn.patches) {
            if (del > 0) text.delete(pos, del);
            if (ins) text.insert(pos, ins);
          }
        });
      }
    };
    // Once untimed first, so that neither side pays for warming the JIT up (the in-process replay ran
    // first, cold, and looked slower than it is).
    const warm = new Y.Doc();
    warm.on('update', () => {});
    replay(warm);
    warm.destroy();
    let t0 = performance.now();
    const local = new Y.Doc();
    // The same work a provider's document does: every transaction encoded as an update.
    let bytes = 0;
    local.on('update', (u: Uint8Array) => (bytes += u.length));
    replay(local);
    const inProcessMs = performance.now() - t0;
    if (local.getText('t').toString() !== trace.endContent) throw new Error('bench: the trace does not replay to its end content');
    local.destroy();

    /**
     * The writer (the unchanged provider over ws, on this thread) replays the trace; the second
     * client is another person's browser, so it runs in a worker thread, and the clock stops when it
     * holds the whole text (which, through this service, it receives only once stored).
     */
    const replayThrough = async (url: string, room: string, clientParams: Record<string, string>) => {
      const writer = client(url, room, clientParams);
      const reader = new Worker(resolve(import.meta.dirname, 'collab-reader.ts'), { workerData: { url, room, params: clientParams, expected: trace.endContent } });
      try {
        let messages = 0;
        let onSynced = () => {};
        const synced = new Promise<void>((ok) => (onSynced = ok));
        const done = new Promise<number>((ok, fail) => {
          reader.on('message', (m: { synced?: true; done?: number; progress?: number; messages?: number }) => {
            if (m.synced) onSynced();
            if (m.progress !== undefined) process.stderr.write(`  … the second client has ${m.progress}/${trace.endContent.length} characters\n`);
            if (m.done !== undefined) {
              messages = m.messages ?? 0;
              ok(m.done - performance.timeOrigin);
            }
          });
          reader.once('error', fail);
          setTimeout(() => fail(new Error('bench: timed out waiting for the replayed text at the second client')), 600_000).unref();
        });
        await Promise.race([synced, done]);
        await until(() => writer.provider.synced, 10_000, 'replay writer synced');
        const start = performance.now();
        replay(writer.doc);
        const writerMs = performance.now() - start;
        const totalMs = (await done) - start;
        return { totalMs, writerMs, messages };
      } finally {
        await reader.terminate();
        writer.provider.destroy();
        writer.doc.destroy();
      }
    };
    const [draft] = await newDrafts(sql, camille!.id, 1);
    const room = `proposals/${draft}/draft_body`;
    const ours = await replayThrough(service.url, room, params);
    const theirs = await replayThrough(reference.url, 'bench-replay', {});
    const rows = (await sql<{ n: number }[]>`select count(*)::int as n from collab.updates where document = ${room}`)[0]?.n ?? 0;
    const ms = (n: number) => `${n.toFixed(0).padStart(7)} ms`;
    console.log(
      `  replay automerge-paper, ${keystrokes} keystrokes (${(bytes / 1048576).toFixed(1)} MiB of updates)\n` +
        `    in-process: a Y.Doc replaying, every transaction encoded as an update (after an untimed warm-up)  ${ms(inProcessMs)}\n` +
        `    through this service: the writer (unchanged provider over ws, this thread) replays; every update stored\n` +
        `      in Postgres, then relayed; until the second client (a worker thread) has the whole text              ${ms(ours.totalMs)}\n` +
        `      of which the writer's own replay (the provider encodes and writes one message per keystroke)      ${ms(ours.writerMs)}\n` +
        `    the same through @y/websocket-server (persists nothing), same clients                                ${ms(theirs.totalMs)}\n` +
        `      of which the writer's own replay                                                                  ${ms(theirs.writerMs)}\n` +
        `    ratio through this service / in-process: ${(ours.totalMs / inProcessMs).toFixed(2)}   (goal ≤ 1.5; the reference: ${(theirs.totalMs / inProcessMs).toFixed(2)})\n` +
        // What the service adds to what the unchanged provider costs the writer.
        `    ratio through this service / the writer's own replay: ${(ours.totalMs / ours.writerMs).toFixed(2)}   (the second client had everything ${(ours.totalMs - ours.writerMs).toFixed(0)} ms` +
        ` after the last keystroke, in ${ours.messages} messages; ${rows} update rows still uncompacted)\n` +
        `    ratio through this service / through the reference: ${(ours.totalMs / theirs.totalMs).toFixed(2)}`,
    );
    t0 = performance.now();
    const stored = await loadDocument(sql, room);
    const loadMs = performance.now() - t0;
    t0 = performance.now();
    const check = new Y.Doc();
    Y.applyUpdate(check, stored.update!);
    const applyMs = performance.now() - t0;
    if (check.getText('t').toString() !== trace.endContent) throw new Error('bench: the stored document differs from the trace');
    check.destroy();
    t0 = performance.now();
    const late = client(service.url, room, params);
    await until(() => late.provider.synced && late.doc.getText('t').length === trace.endContent.length, 60_000, 'late client');
    const syncMs = performance.now() - t0;
    late.provider.destroy();
    console.log(
      `  load the result from Postgres: read ${loadMs.toFixed(0)} ms (${(stored.update!.length / 1024).toFixed(0)} KiB, ${stored.updateCount} tail rows), into a Y.Doc ${applyMs.toFixed(0)} ms;` +
        ` a new client's first sync ${syncMs.toFixed(0)} ms`,
    );

    // --- 20 typists -----------------------------------------------------------------------------
    const typingSeconds = Math.max(10, seconds);
    // Both sides alike: alternating rounds, in the order ABBA…, so that a machine whose load changes
    // during the run weighs on both; a fresh document each round on both (the reference forgets a
    // room when its last client leaves); a first pair of rounds discarded (warm-up, JIT) on both.
    const ROUNDS = 6;
    const roundSeconds = Math.max(2, typingSeconds / ROUNDS);
    const typingDrafts = await newDrafts(sql, camille!.id, ROUNDS + 1);
    const oursRounds: Typing[] = [];
    const theirsRounds: Typing[] = [];
    {
      for (let r = -1; r < ROUNDS; r++) {
        const ours = () => typingLatency(service.url, `proposals/${typingDrafts[r + 1]}/draft_body`, params, 20, 10, roundSeconds);
        const theirs = () => typingLatency(reference.url, `bench-room-${r + 1}`, {}, 20, 10, roundSeconds);
        let a: Typing, b: Typing;
        if (r % 2 === 0) {
          b = await theirs();
          a = await ours();
        } else {
          a = await ours();
          b = await theirs();
        }
        if (r < 0) continue;
        oursRounds.push(a);
        theirsRounds.push(b);
      }
    }
    const oursTyping = summary(oursRounds);
    const theirsTyping = summary(theirsRounds);
    const line = (name: string, r: typeof oursTyping) =>
      console.log(
        `    ${name.padEnd(40)} p50 ${r.p50.toFixed(1).padStart(6)} ms   p95 ${r.p95.toFixed(1).padStart(6)} ms   p99 ${r.p99.toFixed(1).padStart(6)} ms   ${r.n}/${r.expected} arrivals${r.converged ? '' : '   NOT CONVERGED'}`,
      );
    console.log(
      `  20 clients × 10 keystrokes/s for ${ROUNDS} × ${roundSeconds} s on each side (alternating, a warm-up round of each discarded, a fresh document each round), keystroke → each other client`,
    );
    line('this service (every update in Postgres)', oursTyping);
    line('@y/websocket-server (persists nothing)', theirsTyping);
    console.log(`    ratio p95 service / reference: ${(oursTyping.p95 / theirsTyping.p95).toFixed(2)}`);
  } finally {
    reference.stop();
    await service.stop();
  }

  // --- memory with 1,000 documents ------------------------------------------------------------
  const fresh = await startCollab(config, { port: await freePort() });
  try {
    const docs = await newDrafts(sql, camille!.id, 1000);
    const paragraph = 'Une proposition écrite à plusieurs, assez longue pour peser comme un vrai brouillon. '.repeat(6);
    await new Promise((r) => setTimeout(r, 500));
    const base = rssOf(fresh.child);
    const first: ReturnType<typeof client>[] = [];
    for (let i = 0; i < docs.length; i += 50) {
      const batch = docs.slice(i, i + 50).map((d) => client(fresh.url, `proposals/${d}/draft_body`, params));
      await until(() => batch.every((c) => c.provider.synced), 30_000, 'documents open');
      for (const c of batch) c.doc.getText('t').insert(0, paragraph);
      first.push(...batch);
    }
    await new Promise((r) => setTimeout(r, 2000));
    const withDocs = rssOf(fresh.child);
    const second: ReturnType<typeof client>[] = [];
    for (let i = 0; i < docs.length; i += 50) {
      const batch = docs.slice(i, i + 50).map((d) => client(fresh.url, `proposals/${d}/draft_body`, params));
      await until(() => batch.every((c) => c.provider.synced), 30_000, 'second connections');
      second.push(...batch);
    }
    await new Promise((r) => setTimeout(r, 2000));
    const withConns = rssOf(fresh.child);
    const perConnection = (withConns - withDocs) / docs.length;
    const perDocument = (withDocs - base) / docs.length - perConnection;
    console.log(
      `  memory of the service process with 1,000 documents (~${paragraph.length} characters each): ${(base / 1048576).toFixed(0)} MiB idle, ` +
        `${(withDocs / 1048576).toFixed(0)} MiB with one connection each, ${(withConns / 1048576).toFixed(0)} MiB with two\n` +
        `    per open document ≈ ${(perDocument / 1024).toFixed(1)} KiB, per connection ≈ ${(perConnection / 1024).toFixed(1)} KiB`,
    );
    for (const c of [...first, ...second]) {
      c.provider.destroy();
      c.doc.destroy();
    }
  } finally {
    await fresh.stop();
  }
}

// `node bench/collab.ts`: these figures alone, on a throw-away stack (`npm run bench` runs them with the rest).
if (import.meta.main) {
  const dataDir = mkdtempSync(join(tmpdir(), 'decidons-bench-collab-'));
  const config = parseConfig(await localEnvOnFreePorts(dataDir));
  const stack = await startStack(config, { ephemeral: true });
  const sql = postgres(config.databaseUrl, { max: 4, onnotice: () => {} });
  try {
    await benchCollab(config, sql, Number(process.env.BENCH_SECONDS ?? 5));
  } finally {
    await sql.end();
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  // Closed providers and the stack's pools can leave timers behind; the figures are printed.
  process.exit(0);
}
