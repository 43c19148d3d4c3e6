/**
 * Realtime figures for `npm run bench`: 1,000 subscribers (raw WebSocket clients in a child process)
 * on one resource; deliveries per second and commit → client latency for postgres_changes (RLS
 * checked: the table has RLS on) and for broadcast from the database (realtime.send in a trigger),
 * and the resident memory the server (this process) spends per idle connection.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type postgres from 'postgres';
import type { Config } from '../src/lib/config.ts';

const CLIENTS = Number(process.env.BENCH_RT_CLIENTS ?? 1000);
/** Transactions per second the writer commits, each one row → CLIENTS deliveries. */
const RATES = (process.env.BENCH_RT_RATES ?? '5,10,20').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function rpc<T>(child: ChildProcess, msg: object): Promise<T> {
  return new Promise((resolve) => {
    child.once('message', (m) => resolve(m as T));
    child.send(msg);
  });
}

/** Resident set and JS heap + external buffers, after garbage collection. */
async function memory(): Promise<{ rss: number; heap: number }> {
  for (let i = 0; i < 3; i++) {
    gc();
    await sleep(200);
  }
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed + m.external };
}

interface Report {
  received: number;
  spanMs: number;
  p50: number;
  p95: number;
  p99: number;
}

export async function benchRealtime(config: Config, sql: postgres.Sql): Promise<void> {
  console.log(`\nRealtime: ${CLIENTS} subscribers on one resource (clients in a child process, ${SECONDS} s per rate)`);
  const table = 'bench_rt_items';
  await sql.unsafe(`
    drop table if exists public.${table};
    create table public.${table} (id bigint generated always as identity primary key, n int not null, sent_at float8 not null);
    alter table public.${table} enable row level security;
    create policy read on public.${table} for select to anon, authenticated using (true);
    grant select on public.${table} to anon, authenticated;
    alter publication supabase_realtime add table public.${table};
    create table if not exists public.bench_rt_votes (id bigint generated always as identity primary key, sent_at float8 not null);
    create or replace function public.bench_rt_broadcast() returns trigger language plpgsql security definer set search_path = '' as $$
    begin
      perform realtime.send(jsonb_build_object('id', new.id, 'sent_at', new.sent_at), 'vote', 'bench:votes', false);
      return null;
    end $$;
    drop trigger if exists bench_rt_broadcast on public.bench_rt_votes;
    create trigger bench_rt_broadcast after insert on public.bench_rt_votes for each row execute function public.bench_rt_broadcast();
  `);
  // The local cluster runs with synchronous_commit=off, so WAL reaches logical replication when the
  // WAL writer flushes it (every wal_writer_delay, 200 ms): up to that much latency that a Supabase
  // project (synchronous_commit=on) does not have. The writer commits synchronously, as there.
  const durable = (insert: (tx: postgres.TransactionSql) => Promise<unknown>) =>
    sql.begin(async (tx) => {
      await tx`set local synchronous_commit = on`;
      await insert(tx);
    });
  const url = `${config.supabaseUrl.replace(/^http/, 'ws')}/realtime/v1/websocket?apikey=${config.anonKey}&vsn=2.0.0`;
  const here = new URL('./realtime-clients.ts', import.meta.url).pathname;

  const before = await memory();
  const pgClients = fork(here, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  await rpc(pgClients, { cmd: 'start', url, count: CLIENTS, topic: 'realtime:bench-items', token: config.anonKey, table });
  await sleep(1000);
  const after = await memory();
  const kib = (bytes: number) => (bytes / CLIENTS / 1024).toFixed(1);
  console.log(
    `  memory per idle connection, server side (joined, one postgres_changes binding): ${kib(after.rss - before.rss)} KiB resident, ` +
      `${kib(after.heap - before.heap)} KiB JS heap + buffers`,
  );

  async function run(name: string, child: ChildProcess, insert: (sentAt: number) => Promise<unknown>) {
    for (const rate of RATES) {
      await rpc(child, { cmd: 'reset' });
      const total = rate * SECONDS;
      const t0 = performance.now();
      for (let i = 0; i < total; i++) {
        const due = t0 + (i * 1000) / rate;
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
        await insert(Date.now());
      }
      // Wait for the tail (bounded).
      const expected = total * CLIENTS;
      let r: Report = await rpc<Report>(child, { cmd: 'report' });
      for (let k = 0; k < 100 && r.received < expected; k++) {
        await sleep(100);
        r = await rpc<Report>(child, { cmd: 'report' });
      }
      const perSecond = r.received / Math.max(SECONDS, r.spanMs / 1000);
      console.log(
        `  ${name.padEnd(34)} ${String(rate).padStart(3)} tx/s → ${perSecond.toFixed(0).padStart(7)} deliveries/s` +
          `   p50 ${r.p50} ms   p95 ${r.p95} ms   p99 ${r.p99} ms   (${r.received}/${expected} delivered)`,
      );
    }
  }

  try {
    await run('postgres_changes (RLS checked)', pgClients, (sentAt) => durable((tx) => tx`insert into public.bench_rt_items (n, sent_at) values (1, ${sentAt})`));
  } finally {
    pgClients.kill();
  }

  const bcClients = fork(here, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    await rpc(bcClients, { cmd: 'start', url, count: CLIENTS, topic: 'realtime:bench:votes', token: config.anonKey });
    await run('broadcast from the database', bcClients, (sentAt) => durable((tx) => tx`insert into public.bench_rt_votes (sent_at) values (${sentAt})`));
  } finally {
    bcClients.kill();
  }
  await sql.unsafe(`alter publication supabase_realtime drop table public.${table}`);
}
