import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/lib/config.ts';
import { startLocalApi, type LocalApi } from '../../supabase/local/api/server.ts';
import { stack } from '../auth/helpers.ts';
import { connectTestDb } from '../helpers/db.ts';
import { freePort } from '../setup/ports.ts';
import { subscribe, unique, waitFor } from './helpers.ts';

/**
 * Robustness on a private API instance over the shared database: a client reconnects and rejoins
 * by itself after the API server restarts, and delivery resumes after the replication connection
 * is cut (what a Postgres restart does to it).
 */

const db = connectTestDb();
const table = unique('rt_reconnect');
let port = 0;
let api: LocalApi | undefined;
let apiSql: postgres.Sql;
const clients: SupabaseClient[] = [];

async function startApi() {
  const config = parseConfig({ LOCAL_API_PORT: String(port), SITE_URL: stack().siteUrl, SUPABASE_JWT_SECRET: stack().jwtSecret });
  api = await startLocalApi({ config: { ...config, anonKey: stack().anonKey, serviceRoleKey: stack().serviceRoleKey }, sql: apiSql, port, databaseUrl: stack().databaseUrl, ...(process.env.DEBUG_RT ? { log: (l: string) => console.log(l) } : {}) });
}

beforeAll(async () => {
  port = await freePort();
  apiSql = postgres(stack().databaseUrl, { max: 4, onnotice: () => {} });
  await db.unsafe(`
    create table public.${table} (id bigint generated always as identity primary key, n int not null);
    alter table public.${table} enable row level security;
    create policy read on public.${table} for select to anon using (true);
    grant select on public.${table} to anon;
    alter publication supabase_realtime add table public.${table};
  `);
  await startApi();
});

afterAll(async () => {
  for (const c of clients) await c.removeAllChannels();
  await api?.close();
  await apiSql.end();
  await db.unsafe(`alter publication supabase_realtime drop table public.${table}; drop table public.${table}`);
  await db.end();
});

describe('reconnection', () => {
  it('a client rejoins by itself after the API server restarts, and keeps receiving changes', async () => {
    const c = createClient(api!.url, stack().anonKey, { auth: { persistSession: false }, ...(process.env.DEBUG_RT ? { realtime: { logger: (...a: unknown[]) => console.log(Date.now() % 100000, ...a) } } : {}) });
    clients.push(c);
    const got: number[] = [];
    const statuses: string[] = [];
    const ch = c.channel(unique('survivor')).on('postgres_changes', { event: 'INSERT', schema: 'public', table }, (p) => got.push((p.new as { n: number }).n));
    ch.subscribe((s) => statuses.push(s));
    await waitFor(() => statuses.includes('SUBSCRIBED'), 10_000, 'first join');
    await db.unsafe(`insert into public.${table} (n) values (1)`);
    await waitFor(() => got.includes(1), 5000, 'first change');

    await api!.close();
    await startApi();
    // realtime-js retries after 1, 2, 5 s and rejoins its channels.
    await waitFor(() => statuses.filter((s) => s === 'SUBSCRIBED').length >= 2 || (ch.state === 'joined' && statuses.length > 1), 20_000, 'rejoin');
    await waitFor(() => ch.state === 'joined', 20_000, 'joined again');
    await db.unsafe(`insert into public.${table} (n) values (2)`);
    await waitFor(() => got.includes(2), 5000, 'change after restart');
  }, 40_000);

  it('delivery resumes after the replication connection is cut', async () => {
    const c = createClient(api!.url, stack().anonKey, { auth: { persistSession: false } });
    clients.push(c);
    const got: number[] = [];
    const ch = c.channel(unique('cut')).on('postgres_changes', { event: 'INSERT', schema: 'public', table, filter: 'n=gte.100' }, (p) => got.push((p.new as { n: number }).n));
    expect((await subscribe(ch)).status).toBe('SUBSCRIBED');
    // Only this process's slot: the shared stack's own replication is left alone.
    const killed = await db`
      select pg_terminate_backend(active_pid) as ok from pg_replication_slots
      where slot_name like ${`decidons_rt_${process.pid}_%`} and active_pid is not null`;
    expect(killed.length).toBe(1);
    const deadline = Date.now() + 15_000;
    let n = 100;
    while (!got.length && Date.now() < deadline) {
      await db.unsafe(`insert into public.${table} (n) values (${n++})`);
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(got.length).toBeGreaterThan(0);
    expect(ch.state).toBe('joined');
  }, 30_000);
});
