import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonClient, forgeJwt } from '../auth/helpers.ts';
import { createUser } from '../db/fixtures.ts';
import { connectTestDb } from '../helpers/db.ts';
import { sleep, subscribe, unique, waitFor } from './helpers.ts';

/**
 * Presence on private channels, as Supabase's Realtime authorises it (reference §C.6; Realtime's
 * PresenceHandler): tracking needs the insert right on realtime.messages with extension
 * `presence`, receiving the channel's presence needs the select right on `presence` rows, apart
 * from broadcast's rights. With the real supabase-js, against RLS policies written as an app
 * writes them. A second track with the same payload changes nothing (no diff), as on Supabase.
 */

const db = connectTestDb();
const clients: SupabaseClient[] = [];
const prefix = unique('rtauth');
const policy = unique('rtauth_policy');

async function client(userId?: string) {
  const c = anonClient();
  clients.push(c);
  if (userId) await c.realtime.setAuth(forgeJwt({ role: 'authenticated', aud: 'authenticated', sub: userId, exp: Math.floor(Date.now() / 1000) + 3600 }));
  return c;
}

let member: string;

beforeAll(async () => {
  member = await createUser(db, 'rtauth');
  // `<prefix>:open`: everyone reads and tracks presence (never broadcasts).
  // `<prefix>:readonly`: everyone reads both, nobody writes.
  // `<prefix>:mixed`: visitors read broadcasts only; signed-in people read and track presence too.
  await db.unsafe(`
    create policy ${policy}_read on realtime.messages for select to anon, authenticated
      using (realtime.topic() in ('${prefix}:open', '${prefix}:readonly')
        or (realtime.topic() = '${prefix}:mixed' and (extension = 'broadcast' or auth.role() = 'authenticated')));
    create policy ${policy}_write on realtime.messages for insert to anon, authenticated
      with check (extension = 'presence' and (realtime.topic() = '${prefix}:open'
        or (realtime.topic() = '${prefix}:mixed' and auth.role() = 'authenticated')));
  `);
});

afterAll(async () => {
  for (const c of clients) await c.removeAllChannels();
  await db.unsafe(`drop policy if exists ${policy}_read on realtime.messages; drop policy if exists ${policy}_write on realtime.messages;`);
  await db.end();
});

describe('presence on private channels', () => {
  it('tracks where the presence insert right is given; others there see it; broadcasts stay refused', async () => {
    const a = (await client()).channel(`${prefix}:open`, { config: { private: true, presence: { key: 'a' }, broadcast: { ack: true } } });
    const b = (await client()).channel(`${prefix}:open`, { config: { private: true, presence: { key: 'b' } } });
    b.on('presence', { event: 'sync' }, () => {});
    expect((await subscribe(a)).status).toBe('SUBSCRIBED');
    expect((await subscribe(b)).status).toBe('SUBSCRIBED');
    expect(await a.track({ w: false })).toBe('ok');
    await waitFor(() => b.presenceState()['a'], 5000, 'a seen by b');
    expect(b.presenceState()['a']).toEqual([expect.objectContaining({ w: false })]);
    // Write on `presence` only: a broadcast is refused (acknowledged as an error).
    expect(await a.send({ type: 'broadcast', event: 'x', payload: {} })).toBe('error');
  });

  it('refuses a track without the insert right: nobody sees it', async () => {
    const a = (await client()).channel(`${prefix}:readonly`, { config: { private: true, presence: { key: 'intruder' } } });
    const b = (await client()).channel(`${prefix}:readonly`, { config: { private: true, presence: { key: 'watcher' } } });
    b.on('presence', { event: 'sync' }, () => {});
    expect((await subscribe(a)).status).toBe('SUBSCRIBED');
    expect((await subscribe(b)).status).toBe('SUBSCRIBED');
    expect(await a.track({ name: 'Quelqu’un d’autre' })).toBe('error');
    await sleep(300);
    expect(b.presenceState()).toEqual({});
  });

  it('delivers presence only to members with the presence read right', async () => {
    const visitor = (await client()).channel(`${prefix}:mixed`, { config: { private: true, presence: { key: 'visitor' } } });
    const diffs: string[] = [];
    visitor.on('presence', { event: 'join' }, ({ key }) => diffs.push(key));
    const signedIn = (await client(member)).channel(`${prefix}:mixed`, { config: { private: true, presence: { key: 'member' } } });
    signedIn.on('presence', { event: 'sync' }, () => {});
    expect((await subscribe(visitor)).status).toBe('SUBSCRIBED');
    expect((await subscribe(signedIn)).status).toBe('SUBSCRIBED');
    expect(await visitor.track({ w: true })).toBe('error');
    expect(await signedIn.track({ w: true })).toBe('ok');
    await waitFor(() => signedIn.presenceState()['member'], 5000, 'member sees itself');
    await sleep(300);
    expect(diffs).toEqual([]);
    expect(visitor.presenceState()).toEqual({});
  });

  it('a second track with the same payload sends no diff; a changed one does', async () => {
    const a = (await client()).channel(`${prefix}:open`, { config: { private: true, presence: { key: 'same' } } });
    const b = (await client()).channel(`${prefix}:open`, { config: { private: true, presence: { key: 'counter' } } });
    const joins: unknown[] = [];
    b.on('presence', { event: 'join' }, ({ key, newPresences }) => {
      if (key === 'same') joins.push(newPresences[0]);
    });
    expect((await subscribe(b)).status).toBe('SUBSCRIBED');
    expect((await subscribe(a)).status).toBe('SUBSCRIBED');
    expect(await a.track({ w: false })).toBe('ok');
    await waitFor(() => joins.length === 1, 5000, 'first track');
    expect(await a.track({ w: false })).toBe('ok');
    expect(await a.track({ w: true })).toBe('ok');
    await waitFor(() => joins.length === 2, 5000, 'changed track');
    await sleep(300);
    expect(joins).toEqual([expect.objectContaining({ w: false }), expect.objectContaining({ w: true })]);
  });
});
