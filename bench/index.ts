/**
 * `npm run bench`: figures, not pass/fail. Starts a throw-away local stack on free ports and
 * measures what the platform's hot paths cost on this machine, each next to its physical ceiling.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@supabase/supabase-js';
import postgres from 'postgres';
import { parseConfig } from '../src/lib/config.ts';
import { asUser, closeDb } from '../src/lib/db/index.ts';
import { startStack } from '../supabase/local/stack.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../supabase/demo-accounts.ts';
import { localEnvOnFreePorts } from '../tests/setup/ports.ts';
import { benchBudgets } from './budgets.ts';
import { benchCollab } from './collab.ts';
import { benchDebates } from './debates.ts';
import { benchHttp } from './http.ts';
import { benchNotifications } from './notifications.ts';
import { benchProposals } from './proposals.ts';
import { benchRealtime } from './realtime.ts';
import { benchSurveys } from './surveys.ts';
import { benchSearch } from './search.ts';

const DURATION_MS = Number(process.env.BENCH_SECONDS ?? 5) * 1000;
/** `BENCH_ONLY=surveys,collab` (a comma-separated list of the parts below) runs those parts only, after the data layer's figures. */
const ONLY = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
const runs = (part: string) => !ONLY || ONLY.includes(part);

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Runs `op` from `concurrency` loops for the duration; returns ops/s and latency percentiles (ms). */
async function measure(concurrency: number, op: () => Promise<unknown>) {
  const latencies: number[] = [];
  const end = performance.now() + DURATION_MS;
  let errors = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        try {
          await op();
          latencies.push(performance.now() - t);
        } catch {
          errors++;
        }
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return {
    perSecond: latencies.length / (DURATION_MS / 1000),
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    errors,
  };
}

function row(name: string, r: Awaited<ReturnType<typeof measure>>) {
  console.log(
    `${name.padEnd(44)} ${r.perSecond.toFixed(0).padStart(8)}/s   p50 ${r.p50.toFixed(2).padStart(7)} ms   p95 ${r.p95
      .toFixed(2)
      .padStart(7)} ms   p99 ${r.p99.toFixed(2).padStart(7)} ms${r.errors ? `   errors ${r.errors}` : ''}`,
  );
}

const dataDir = mkdtempSync(join(tmpdir(), 'decidons-bench-'));
const env = await localEnvOnFreePorts(dataDir, { AUTH_SIGN_IN_ATTEMPTS_PER_5MIN: '100000000' });
const config = parseConfig(env);
// The app's modules (the proposals list and page) read the configuration from the environment.
// (The local stack's: a Supabase project's URL in this shell must not send them elsewhere.)
delete process.env.DATABASE_URL;
delete process.env.SUPABASE_URL;
Object.assign(process.env, env);
const stack = await startStack(config, { ephemeral: true });
const sql = postgres(config.databaseUrl, { max: 8, onnotice: () => {}, prepare: false });
try {
  console.log(`Décidons benchmarks — ${DURATION_MS / 1000} s per figure, node ${process.version}\n`);
  console.log('Data layer (8 connections, 16 concurrent callers)');
  const [profile] = await sql<{ id: string }[]>`select id from public.profiles where nickname = 'camille'`;
  const claims = { role: 'authenticated', sub: profile!.id };
  const bare = await measure(16, () => sql.begin((tx) => tx`select id, name from public.profiles where id = ${profile!.id}`));
  row('bare transaction: select one profile', bare);
  const rls = await measure(16, () => asUser(claims, (tx) => tx`select id, name from public.profiles where id = ${profile!.id}`, sql));
  row('asUser (role + claims + RLS): same select', rls);
  console.log(`  ratio asUser / bare: ${(rls.perSecond / bare.perSecond).toFixed(2)}\n`);

  console.log('Local Auth API through supabase-js (8 concurrent clients)');
  const client = () => createClient(config.supabaseUrl, config.anonKey, { auth: { persistSession: false, autoRefreshToken: false } });
  const signIn = await measure(8, async () => {
    const { error } = await client().auth.signInWithPassword({ email: DEMO_ACCOUNTS[1].email, password: DEMO_PASSWORD });
    if (error) throw error;
  });
  row('signInWithPassword (bcrypt cost 10)', signIn);
  const { data } = await client().auth.signInWithPassword({ email: DEMO_ACCOUNTS[2].email, password: DEMO_PASSWORD });
  const token = data.session!.access_token;
  const getUser = await measure(8, async () => {
    const { error } = await client().auth.getUser(token);
    if (error) throw error;
  });
  row('getUser (JWT check + user + session rows)', getUser);
  const ping = await measure(8, async () => {
    const r = await fetch(`${config.supabaseUrl}/auth/v1/health`, { headers: { apikey: config.anonKey } });
    await r.arrayBuffer();
  });
  row('GET /auth/v1/health (HTTP ceiling)', ping);
  console.log(`  ratio getUser / health: ${(getUser.perSecond / ping.perSecond).toFixed(2)}`);
  if (runs('realtime')) await benchRealtime(config, sql);
  if (runs('proposals')) {
    const big = await benchProposals(sql, config.databaseUrl, { measure, row });
    await benchHttp(config, sql, big, { measure, row });
  }
  if (runs('surveys')) await benchSurveys(config, sql, config.databaseUrl, { measure, row });
  if (runs('collab')) await benchCollab(config, sql, DURATION_MS / 1000);
  if (runs('debates')) await benchDebates(config, sql, { measure, row });
  if (runs('notifications')) await benchNotifications(config, sql);
  if (runs('search')) await benchSearch(sql, { measure, row });
  if (runs('budgets')) await benchBudgets(config, sql, { measure, row });
  console.log(`\nResident memory of this process (stack + clients): ${(process.memoryUsage().rss / 1048576).toFixed(0)} MiB`);
} finally {
  await sql.end();
  await closeDb();
  await stack.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
