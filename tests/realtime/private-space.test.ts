import { randomUUID } from 'node:crypto';
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonClient, forgeJwt } from '../auth/helpers.ts';
import { createUser, uniqueTag } from '../db/fixtures.ts';
import { connectTestDb } from '../helpers/db.ts';
import { sleep, subscribe, waitFor } from './helpers.ts';

/**
 * postgres_changes on the real spaces schema: a new phase of a private process reaches its members
 * only; a participant who is not a member, and anonymous visitors, receive nothing from it.
 */

const db = connectTestDb();
const tag = uniqueTag();
const space = { pub: randomUUID(), priv: randomUUID() };
const clients: SupabaseClient[] = [];
let addedToPublication = false;
const fr = (s: string) => ({ fr: s });

async function userClient(id: string | undefined) {
  const c = anonClient();
  clients.push(c);
  if (id) await c.realtime.setAuth(forgeJwt({ role: 'authenticated', aud: 'authenticated', sub: id, exp: Math.floor(Date.now() / 1000) + 3600 }));
  return c;
}

beforeAll(async () => {
  const [inPub] = await db`select 1 from pg_publication_tables where pubname = 'supabase_realtime' and schemaname = 'public' and tablename = 'phases'`;
  if (!inPub) {
    await db.unsafe('alter publication supabase_realtime add table public.phases');
    addedToPublication = true;
  }
  await db`
    insert into public.spaces (id, kind, slug, title, published_at, private) values
      (${space.pub}, 'process', ${`rt-pub-${tag}`}, ${db.json(fr('Publique'))}, now(), false),
      (${space.priv}, 'process', ${`rt-priv-${tag}`}, ${db.json(fr('Privée'))}, now(), true)`;
});

afterAll(async () => {
  for (const c of clients) await c.removeAllChannels();
  if (addedToPublication) await db.unsafe('alter publication supabase_realtime drop table public.phases');
  await db`delete from public.spaces where id in (${space.pub}, ${space.priv})`;
  await db.end();
});

describe('postgres_changes on a private space', () => {
  it('delivers its phases to members only', async () => {
    const member = await createUser(db, `rt-member-${tag}`);
    const outsider = await createUser(db, `rt-outsider-${tag}`);
    await db`insert into public.space_members (space_id, user_id) values (${space.priv}, ${member})`;
    const seen: Record<string, string[]> = { member: [], outsider: [], anon: [] };
    const who = { member, outsider, anon: undefined };
    for (const [name, id] of Object.entries(who)) {
      const c = await userClient(id);
      const ch = c
        .channel(`phases-${name}-${tag}`)
        .on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'phases', filter: `space_id=in.(${space.pub},${space.priv})` }, (p) =>
          seen[name]!.push((p.new as { space_id: string }).space_id === space.priv ? 'private' : 'public'),
        );
      expect((await subscribe(ch)).status).toBe('SUBSCRIBED');
    }
    await db`insert into public.phases (space_id, position, title) values (${space.priv}, 1, ${db.json(fr('Secrète'))})`;
    await db`insert into public.phases (space_id, position, title) values (${space.pub}, 1, ${db.json(fr('Ouverte'))})`;
    await waitFor(() => seen.member!.length === 2 && seen.outsider!.length === 1 && seen.anon!.length === 1, 5000, 'deliveries');
    await sleep(200);
    expect(seen).toEqual({ member: ['private', 'public'], outsider: ['public'], anon: ['public'] });
  });
});
