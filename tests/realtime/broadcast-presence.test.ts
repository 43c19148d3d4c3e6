import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonClient, signedIn, stack } from '../auth/helpers.ts';
import { connectTestDb } from '../helpers/db.ts';
import { sleep, subscribe, unique, waitFor } from './helpers.ts';

/**
 * Broadcast (client to client, REST, from the database in a trigger), private channels authorised
 * by RLS on realtime.messages, and presence, with the real supabase-js.
 */

const db = connectTestDb();
const clients: SupabaseClient[] = [];
const table = unique('rt_votes');
const prefix = unique('room');

function client(c: SupabaseClient = anonClient()) {
  clients.push(c);
  return c;
}

beforeAll(async () => {
  // A topic-based policy, as an app writes one: members listed in a table may read and write `<prefix>:members`.
  await db.unsafe(`
    -- RLS on from the start (same transaction): another test file checks that no public table lacks it.
    create table public.${table}_members (user_id uuid primary key);
    alter table public.${table}_members enable row level security;
    create policy ${table}_members_read on public.${table}_members for select to authenticated using (true);
    create policy ${table}_read on realtime.messages for select to authenticated
      using (realtime.topic() = '${prefix}:members' and exists (select 1 from public.${table}_members m where m.user_id = auth.uid()));
    create policy ${table}_write on realtime.messages for insert to authenticated
      with check (realtime.topic() = '${prefix}:members' and exists (select 1 from public.${table}_members m where m.user_id = auth.uid()));
    grant select on public.${table}_members to authenticated;
    create table public.${table} (id bigint generated always as identity primary key, item text not null, count int not null default 0);
    alter table public.${table} enable row level security;
    create function public.${table}_broadcast() returns trigger language plpgsql security definer set search_path = '' as $$
    begin
      perform realtime.send(jsonb_build_object('item', new.item, 'count', new.count), 'count', '${prefix}:counts', false);
      perform realtime.broadcast_changes('${prefix}:changes', tg_op, tg_op, tg_table_name, tg_table_schema, new, old);
      return null;
    end $$;
    create trigger ${table}_broadcast after insert or update on public.${table} for each row execute function public.${table}_broadcast();
  `);
});

afterAll(async () => {
  for (const c of clients) await c.removeAllChannels();
  await db.unsafe(`
    drop policy ${table}_read on realtime.messages; drop policy ${table}_write on realtime.messages;
    drop table public.${table}; drop function public.${table}_broadcast(); drop table public.${table}_members;
  `);
  await db.end();
});

describe('broadcast', () => {
  it('relays client to client; the sender hears itself only with self, and gets an ack with ack', async () => {
    const topic = `${prefix}:chat`;
    const a = client();
    const b = client();
    const heardA: unknown[] = [];
    const heardB: unknown[] = [];
    const chA = a.channel(topic, { config: { broadcast: { self: true, ack: true } } }).on('broadcast', { event: 'msg' }, (m) => heardA.push(m.payload));
    const chB = b.channel(topic).on('broadcast', { event: 'msg' }, (m) => heardB.push(m.payload));
    expect((await subscribe(chA)).status).toBe('SUBSCRIBED');
    expect((await subscribe(chB)).status).toBe('SUBSCRIBED');
    expect(await chA.send({ type: 'broadcast', event: 'msg', payload: { text: 'bonjour' } })).toBe('ok');
    await waitFor(() => heardA.length && heardB.length, 5000, 'both');
    expect(heardA).toEqual([{ text: 'bonjour' }]);
    expect(heardB).toEqual([{ text: 'bonjour' }]);
    await chB.send({ type: 'broadcast', event: 'msg', payload: { text: 'salut' } });
    await waitFor(() => heardA.length === 2, 5000, 'a hears b');
    await sleep(100);
    expect(heardB).toHaveLength(1); // no self for b
  });

  it('delivers messages posted to the REST endpoint (202)', async () => {
    const topic = `${prefix}:rest`;
    const c = client();
    const heard: unknown[] = [];
    expect((await subscribe(c.channel(topic).on('broadcast', { event: 'news' }, (m) => heard.push(m.payload)))).status).toBe('SUBSCRIBED');
    const res = await fetch(`${stack().supabaseUrl}/realtime/v1/api/broadcast`, {
      method: 'POST',
      headers: { apikey: stack().anonKey, Authorization: `Bearer ${stack().anonKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ messages: [{ topic, event: 'news', payload: { n: 1 }, private: false }] }),
    });
    expect(res.status).toBe(202);
    // The client's own fallback (a channel that is not joined sends over REST).
    const unjoined = client().channel(topic);
    expect(await unjoined.httpSend('news', { n: 2 })).toMatchObject({ success: true });
    await waitFor(() => heard.length === 2, 5000, 'two REST messages');
    expect(heard).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it('delivers realtime.send and realtime.broadcast_changes called in a trigger', async () => {
    const c = client();
    const counts: unknown[] = [];
    const changes: Record<string, unknown>[] = [];
    expect((await subscribe(c.channel(`${prefix}:counts`).on('broadcast', { event: 'count' }, (m) => counts.push(m.payload)))).status).toBe('SUBSCRIBED');
    // broadcast_changes sends private messages: only a private channel hears them.
    const service = client(anonClient({ key: stack().serviceRoleKey }));
    await service.realtime.setAuth(stack().serviceRoleKey);
    const chChanges = service.channel(`${prefix}:changes`, { config: { private: true } }).on('broadcast', { event: 'INSERT' }, (m) => changes.push(m.payload as Record<string, unknown>));
    expect((await subscribe(chChanges)).status).toBe('SUBSCRIBED');
    const publicOnChanges: unknown[] = [];
    expect((await subscribe(client().channel(`${prefix}:changes`).on('broadcast', { event: '*' }, (m) => publicOnChanges.push(m)))).status).toBe('SUBSCRIBED');
    await db.unsafe(`insert into public.${table} (item, count) values ('parc', 3)`);
    await waitFor(() => counts.length && changes.length, 5000, 'database broadcasts');
    expect(counts[0]).toMatchObject({ item: 'parc', count: 3 });
    expect(changes[0]).toMatchObject({ operation: 'INSERT', table, schema: 'public', record: { item: 'parc', count: 3 }, old_record: null });
    await sleep(200);
    expect(publicOnChanges).toEqual([]);
  });
});

describe('private channels', () => {
  it('refuses a non-member with Unauthorized and accepts a member, who can then broadcast', async () => {
    const member = await signedIn('rt-member');
    const outsider = await signedIn('rt-outsider');
    client(member.client);
    client(outsider.client);
    await db.unsafe(`insert into public.${table}_members values ('${member.id}')`);
    const topic = `${prefix}:members`;
    const refused = await subscribe(outsider.client.channel(topic, { config: { private: true } }));
    expect(refused.status).toBe('CHANNEL_ERROR');
    expect(refused.error?.message).toBe(`Unauthorized: You do not have permissions to read from this Channel topic: ${topic}`);
    const anonRefused = await subscribe(client().channel(topic, { config: { private: true } }));
    expect(anonRefused.status).toBe('CHANNEL_ERROR');
    const heard: unknown[] = [];
    const ch = member.client.channel(topic, { config: { private: true, broadcast: { self: true, ack: true } } }).on('broadcast', { event: 'x' }, (m) => heard.push(m.payload));
    expect((await subscribe(ch)).status).toBe('SUBSCRIBED');
    expect(await ch.send({ type: 'broadcast', event: 'x', payload: { ok: 1 } })).toBe('ok');
    await waitFor(() => heard.length === 1, 5000, 'member broadcast');
    // A public channel of the same name is another room: it hears nothing of the private one.
    const publicHeard: unknown[] = [];
    expect((await subscribe(client().channel(topic).on('broadcast', { event: 'x' }, (m) => publicHeard.push(m)))).status).toBe('SUBSCRIBED');
    await ch.send({ type: 'broadcast', event: 'x', payload: { ok: 2 } });
    await waitFor(() => heard.length === 2, 5000, 'second');
    await sleep(100);
    expect(publicHeard).toEqual([]);
  });
});

describe('presence', () => {
  it('tracks, syncs state to newcomers, and reports leaves on untrack and on disconnect', async () => {
    const topic = `${prefix}:debate`;
    const a = client();
    const b = client();
    const chA = a.channel(topic, { config: { presence: { key: 'alice' } } });
    const leavesSeenByA: string[] = [];
    chA.on('presence', { event: 'leave' }, ({ key }) => leavesSeenByA.push(key));
    expect((await subscribe(chA)).status).toBe('SUBSCRIBED');
    expect(await chA.track({ name: 'Alice' })).toBe('ok');
    const chB = b.channel(topic, { config: { presence: { key: 'bob' } } });
    chB.on('presence', { event: 'sync' }, () => {});
    expect((await subscribe(chB)).status).toBe('SUBSCRIBED');
    await waitFor(() => chB.presenceState().alice, 5000, 'alice in b state');
    expect(chB.presenceState().alice).toEqual([expect.objectContaining({ name: 'Alice', presence_ref: expect.any(String) })]);
    await chB.track({ name: 'Bob' });
    await waitFor(() => chA.presenceState().bob, 5000, 'bob in a state');
    await chB.untrack();
    await waitFor(() => !chA.presenceState().bob, 5000, 'bob gone after untrack');
    await chB.track({ name: 'Bob again' });
    await waitFor(() => chA.presenceState().bob, 5000, 'bob back');
    b.realtime.disconnect();
    await waitFor(() => !chA.presenceState().bob, 5000, 'bob gone after disconnect');
    expect(leavesSeenByA.filter((k) => k === 'bob').length).toBe(2);
  });
});
