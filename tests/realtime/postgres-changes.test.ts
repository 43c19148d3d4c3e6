import type { RealtimePostgresChangesPayload, SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTestDb } from '../helpers/db.ts';
import { anonClient, signedIn } from '../auth/helpers.ts';
import { sleep, subscribe, unique, waitFor } from './helpers.ts';

/**
 * postgres_changes with the real supabase-js against the local API: rows written straight to
 * Postgres (as psql would) arrive through logical replication, filtered, RLS-checked per
 * subscriber, with the columns a role may not select removed.
 */

const db = connectTestDb();
const table = unique('rt_items');
const clients: SupabaseClient[] = [];
type Row = Record<string, unknown>;
type Payload = RealtimePostgresChangesPayload<Row>;

beforeAll(async () => {
  await db.unsafe(`
    create table public.${table} (
      id bigint generated always as identity primary key,
      n int not null,
      label text,
      flag boolean not null default false,
      data jsonb,
      tags text[],
      at timestamptz not null default now(),
      visible boolean not null default true,
      owner uuid,
      secret text
    );
    alter table public.${table} enable row level security;
    create policy read on public.${table} for select to anon, authenticated using (visible or owner = auth.uid());
    revoke all on public.${table} from anon, authenticated;
    grant select (id, n, label, flag, data, tags, at, visible, owner) on public.${table} to anon, authenticated;
    alter publication supabase_realtime add table public.${table};
  `);
});

afterAll(async () => {
  for (const c of clients) await c.removeAllChannels();
  await db.unsafe(`alter publication supabase_realtime drop table public.${table}; drop table public.${table}`);
  await db.end();
});

function client(c: SupabaseClient = anonClient()) {
  clients.push(c);
  return c;
}

describe('postgres_changes', () => {
  it('joins with the bindings echoed with ids, then says "Subscribed to PostgreSQL"', async () => {
    const c = client();
    const system: Row[] = [];
    const ch = c
      .channel(unique('sys'))
      .on('postgres_changes', { event: 'INSERT', schema: 'public', table }, () => {})
      .on('system', {}, (p: Row) => system.push(p));
    const { status } = await subscribe(ch);
    expect(status).toBe('SUBSCRIBED');
    const bindings = (ch as unknown as { bindings: { postgres_changes: { id?: number }[] } }).bindings.postgres_changes;
    expect(typeof bindings[0]?.id).toBe('number');
    await waitFor(() => system.length > 0, 5000, 'system message');
    expect(system[0]).toMatchObject({ extension: 'postgres_changes', status: 'ok', message: 'Subscribed to PostgreSQL' });
  });

  it('delivers INSERT, UPDATE and DELETE from a plain SQL connection, with columns and commit_timestamp', async () => {
    const c = client();
    const got: Payload[] = [];
    const ch = c.channel(unique('crud')).on('postgres_changes', { event: '*', schema: 'public', table }, (p) => got.push(p));
    expect((await subscribe(ch)).status).toBe('SUBSCRIBED');
    const [row] = await db.unsafe(`insert into public.${table} (n, label, flag, data, tags, secret) values (1, 'un', true, '{"a":[1,2]}', '{x,y}', 'hidden') returning id`);
    const id = Number(row!.id);
    // One at a time: like Supabase, the RLS check reads the live row, so a row already deleted
    // when its INSERT is checked is not delivered.
    await waitFor(() => got.length >= 1, 5000, 'the insert');
    await db.unsafe(`update public.${table} set label = 'one' where id = ${id}`);
    await waitFor(() => got.length >= 2, 5000, 'the update');
    await db.unsafe(`delete from public.${table} where id = ${id}`);
    await waitFor(() => got.length >= 3, 5000, 'the delete');
    const [ins, upd, del] = got as [Payload, Payload, Payload];
    expect(ins.eventType).toBe('INSERT');
    expect(ins.new).toMatchObject({ id, n: 1, label: 'un', flag: true, data: { a: [1, 2] }, tags: ['x', 'y'] });
    expect(ins.new).not.toHaveProperty('secret'); // no SELECT privilege on that column
    expect(ins.commit_timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(upd.eventType).toBe('UPDATE');
    expect(upd.new).toMatchObject({ id, label: 'one' });
    expect(upd.old).toMatchObject({ id });
    expect(del.eventType).toBe('DELETE');
    expect(del.old).toEqual({ id }); // RLS on: primary key only
    expect(del.new).toEqual({});
  });

  it('applies each filter (eq, neq, lt, lte, gt, gte, in) and the event type', async () => {
    const c = client();
    const filters = ['n=eq.5', 'n=neq.5', 'n=lt.5', 'n=lte.5', 'n=gt.5', 'n=gte.5', 'label=in.(a,"b,c")'];
    const got = new Map<string, number[]>(filters.map((f) => [f, []]));
    const updates: number[] = [];
    const base = Math.floor(Math.random() * 1e6) * 10;
    let ch = c.channel(unique('filters'));
    for (const f of filters) ch = ch.on('postgres_changes', { event: 'INSERT', schema: 'public', table, filter: f }, (p) => got.get(f)!.push((p.new as Row).n as number));
    ch = ch.on('postgres_changes', { event: 'UPDATE', schema: 'public', table, filter: `n=gte.${base}` }, (p) => updates.push((p.new as Row).n as number));
    expect((await subscribe(ch)).status).toBe('SUBSCRIBED');
    await db.unsafe(`insert into public.${table} (n, label) values (4, 'a'), (5, 'b,c'), (6, 'b'), (${base}, 'z')`);
    await db.unsafe(`update public.${table} set label = 'zz' where n = ${base}`);
    await waitFor(() => updates.length === 1, 5000, 'the update');
    await sleep(200);
    expect(got.get('n=eq.5')).toEqual([5]);
    expect(got.get('n=neq.5')).toEqual([4, 6, base]);
    expect(got.get('n=lt.5')).toEqual([4]);
    expect(got.get('n=lte.5')).toEqual([4, 5]);
    expect(got.get('n=gt.5')).toEqual([6, base]);
    expect(got.get('n=gte.5')).toEqual([5, 6, base]);
    expect(got.get('label=in.(a,"b,c")')).toEqual([4, 5]);
    expect(updates).toEqual([base]);
  });

  it('checks RLS for each subscriber: nobody receives a row they could not select', async () => {
    const owner = await signedIn('rt-owner');
    const other = await signedIn('rt-other');
    const anon = client();
    client(owner.client);
    client(other.client);
    const seen = { owner: [] as string[], other: [] as string[], anon: [] as string[] };
    const mk = (c: SupabaseClient, into: string[]) =>
      subscribe(c.channel(unique('rls')).on('postgres_changes', { event: 'INSERT', schema: 'public', table, filter: 'n=eq.77' }, (p) => into.push(String((p.new as Row).label))));
    const results = await Promise.all([mk(owner.client, seen.owner), mk(other.client, seen.other), mk(anon, seen.anon)]);
    expect(results.map((r) => r.status)).toEqual(['SUBSCRIBED', 'SUBSCRIBED', 'SUBSCRIBED']);
    await db.unsafe(`insert into public.${table} (n, label, visible, owner) values (77, 'private', false, '${owner.id}'), (77, 'public', true, null)`);
    await waitFor(() => seen.owner.length === 2, 5000, 'owner deliveries');
    await waitFor(() => seen.anon.length === 1 && seen.other.length === 1, 5000, 'others');
    await sleep(200);
    expect(seen.owner.sort()).toEqual(['private', 'public']);
    expect(seen.other).toEqual(['public']);
    expect(seen.anon).toEqual(['public']);
  });

  it('speaks the 1.0.0 serializer too', async () => {
    const { createClient } = await import('@supabase/supabase-js');
    const { stack } = await import('../auth/helpers.ts');
    const c = client(createClient(stack().supabaseUrl, stack().anonKey, { auth: { persistSession: false }, realtime: { vsn: '1.0.0' } } as never));
    const got: Payload[] = [];
    const ch = c.channel(unique('v1')).on('postgres_changes', { event: 'INSERT', schema: 'public', table, filter: 'n=eq.4242' }, (p) => got.push(p));
    expect((await subscribe(ch)).status).toBe('SUBSCRIBED');
    await db.unsafe(`insert into public.${table} (n) values (4242)`);
    await waitFor(() => got.length === 1, 5000, 'v1 delivery');
    expect(got[0]!.new).toMatchObject({ n: 4242 });
  });
});
