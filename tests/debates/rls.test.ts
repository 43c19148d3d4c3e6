import type postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Claims, Tx } from '../../src/lib/db/index.ts';
import { authorizeTopic } from '../../supabase/local/api/realtime/authorization.ts';
import { attempt, createUser, userClaims } from '../db/fixtures.ts';
import { connectTestDb } from '../helpers/db.ts';
import { argue, createDebate, createDebatesComponent, grantRole, type DebatesFixture } from './fixtures.ts';

/*
 * The RLS matrix of debates: every table, read and written straight in SQL as each role, as
 * PostgREST would run it on a Supabase project (column privileges included), plus the Realtime
 * topics (read, broadcast, presence) as the Realtime server probes them.
 *
 * Outcomes: `ok` (rows read or changed), `none` (RLS shows or touches no row), `refused` (a policy
 * `with check` or a trigger says no), `denied` (no privilege on the table or column).
 */

type Outcome = 'ok' | 'none' | 'refused' | 'denied';
type Role = 'anon' | 'citizen' | 'author' | 'member' | 'moderator' | 'admin' | 'evaluator';
const ROLES: Role[] = ['anon', 'citizen', 'author', 'member', 'moderator', 'admin', 'evaluator'];

let sql: postgres.Sql;
let pub: DebatesFixture;
let priv: DebatesFixture;
const people = {} as Record<Exclude<Role, 'anon'>, string>;
let open: string;
let hidden: string;
let secret: string;
let argument: string;

function claimsOf(role: Role): Claims | null {
  return role === 'anon' ? null : userClaims(people[role]);
}

async function outcome(role: Role, fn: (tx: Tx) => Promise<{ count: number }>): Promise<Outcome> {
  const r = await attempt(sql, claimsOf(role), fn);
  if (r.ok) return r.value.count > 0 ? 'ok' : 'none';
  if (r.error.code === '42501' && /^permission denied/.test(r.error.message)) return 'denied';
  if (r.error.code === '42501' || r.error.code === '23514') return 'refused';
  throw r.error;
}

async function matrix(fn: (tx: Tx) => Promise<{ count: number }>): Promise<Record<Role, Outcome>> {
  const out = {} as Record<Role, Outcome>;
  for (const role of ROLES) out[role] = await outcome(role, fn);
  return out;
}

const row = (o: Partial<Record<Role, Outcome>>, rest: Outcome): Record<Role, Outcome> =>
  Object.fromEntries(ROLES.map((r) => [r, o[r] ?? rest])) as Record<Role, Outcome>;

beforeAll(async () => {
  sql = connectTestDb();
  [pub, priv] = await Promise.all([createDebatesComponent(sql), createDebatesComponent(sql, { private: true })]);
  for (const role of ['citizen', 'author', 'member', 'moderator', 'admin', 'evaluator'] as const) people[role] = await createUser(sql, role);
  for (const f of [pub, priv]) {
    await grantRole(sql, f, people.moderator, 'moderator');
    await grantRole(sql, f, people.admin, 'admin');
    await grantRole(sql, f, people.evaluator, 'evaluator');
  }
  await sql`insert into public.space_members (space_id, user_id) values (${priv.spaceId}, ${people.member}), (${priv.spaceId}, ${people.author})`;
  open = await createDebate(sql, pub, people.author);
  hidden = await createDebate(sql, pub, people.author);
  secret = await createDebate(sql, priv, people.author);
  argument = await argue(sql, people.citizen, open, 1);
  await sql`update public.debates set hidden_at = now() where id = ${hidden}`;
});
afterAll(() => sql.end());

describe('debates', () => {
  it('every debates table has RLS on', async () => {
    const rows = await sql<{ relname: string; relrowsecurity: boolean }[]>`
      select relname, relrowsecurity from pg_class where relnamespace = 'public'::regnamespace and relkind = 'r' and relname like 'debate%'`;
    expect(rows.map((r) => r.relname).sort()).toEqual(['debate_closures', 'debate_positions', 'debate_presence_preferences', 'debates']);
    for (const r of rows) expect(r.relrowsecurity, r.relname).toBe(true);
  });

  it('read: public debates by all; hidden ones by the space’s moderators; a private space’s by its members and roles', async () => {
    expect(await matrix((tx) => tx`select 1 from public.debates where id = ${open}`)).toEqual(row({}, 'ok'));
    expect(await matrix((tx) => tx`select 1 from public.debates where id = ${hidden}`)).toEqual(row({ moderator: 'ok', admin: 'ok' }, 'none'));
    expect(await matrix((tx) => tx`select 1 from public.debates where id = ${secret}`))
      .toEqual(row({ author: 'ok', member: 'ok', moderator: 'ok', admin: 'ok', evaluator: 'ok' }, 'none'));
    // Its arguments with it.
    expect(await matrix((tx) => tx`select 1 from public.comments where id = ${argument}`)).toEqual(row({}, 'ok'));
  });

  it('insert: participants (not visitors) where creation is open; official ones by admins; never in a space one cannot see', async () => {
    const participant = (f: DebatesFixture) => (tx: Tx) =>
      tx`insert into public.debates (component_id, title, description) values (${f.componentId}, 'Nouveau débat', '<p>Une nouvelle question posée.</p>')`;
    expect(await matrix(participant(pub))).toEqual(row({ anon: 'denied' }, 'ok'));
    expect(await matrix(participant(priv))).toEqual(row({ anon: 'denied', citizen: 'refused' }, 'ok'));
    expect(await matrix((tx) => tx`insert into public.debates (component_id, official, title, description)
      values (${pub.componentId}, true, 'Débat officiel', '<p>Une question de la mairie.</p>')`)).toEqual(row({ anon: 'denied', admin: 'ok' }, 'refused'));
  });

  it('update: the text by its author; closing by its author or the admins; hiding by moderators; counters by nobody', async () => {
    expect(await matrix((tx) => tx`update public.debates set title = 'Titre changé ici' where id = ${open}`))
      .toEqual(row({ anon: 'denied', author: 'ok', moderator: 'refused', admin: 'refused' }, 'none'));
    expect(await matrix((tx) => tx`update public.debates set closed_at = now(), conclusions = '<p>Les conclusions du débat.</p>' where id = ${open}`))
      .toEqual(row({ anon: 'denied', author: 'ok', moderator: 'refused', admin: 'ok' }, 'none'));
    expect(await matrix((tx) => tx`update public.debates set hidden_at = now() where id = ${open}`))
      .toEqual(row({ anon: 'denied', author: 'refused', moderator: 'ok', admin: 'ok' }, 'none'));
    expect(await matrix((tx) => tx`update public.debates set information_updates = ${tx.json({ fr: '<p>Du nouveau</p>' })} where id = ${open}`))
      .toEqual(row({ anon: 'denied', author: 'refused', moderator: 'refused', admin: 'ok' }, 'none'));
    for (const column of ['likes_count', 'arguments_for', 'positions_against', 'closed_by', 'author_id', 'last_argument_at']) {
      expect(await matrix((tx) => tx`update public.debates set ${tx(column)} = ${column === 'closed_by' || column === 'author_id' ? people.citizen : column === 'last_argument_at' ? new Date() : 5} where id = ${open}`), column)
        .toEqual(row({}, 'denied'));
    }
  });

  it('delete: the space’s admins only', async () => {
    expect(await matrix((tx) => tx`delete from public.debates where id = ${open}`)).toEqual(row({ anon: 'denied', admin: 'ok' }, 'none'));
  });
});

describe('positions', () => {
  it('each person reads, takes, changes and drops only their own; visitors nothing', async () => {
    await sql`insert into public.debate_positions (debate_id, user_id, alignment) values (${open}, ${people.author}, 1) on conflict do nothing`;
    expect(await matrix((tx) => tx`select 1 from public.debate_positions where debate_id = ${open}`))
      .toEqual(row({ author: 'ok', citizen: 'ok' }, 'none'));
    expect(await matrix((tx) => tx`insert into public.debate_positions (debate_id, alignment) values (${open}, -1)
      on conflict (debate_id, user_id) do update set alignment = excluded.alignment`)).toEqual(row({ anon: 'denied' }, 'ok'));
    expect(await matrix((tx) => tx`insert into public.debate_positions (debate_id, alignment) values (${secret}, -1)`))
      .toEqual(row({ anon: 'denied', citizen: 'refused' }, 'ok'));
    expect(await matrix((tx) => tx`insert into public.debate_positions (debate_id, user_id, alignment) values (${open}, ${people.author}, -1)`))
      .toEqual(row({}, 'denied'));
    expect(await matrix((tx) => tx`update public.debate_positions set alignment = 0 where debate_id = ${open} and user_id = ${people.author}`))
      .toEqual(row({ anon: 'denied', author: 'ok' }, 'none'));
    expect(await matrix((tx) => tx`delete from public.debate_positions where debate_id = ${open} and user_id = ${people.author}`))
      .toEqual(row({ anon: 'denied', author: 'ok' }, 'none'));
  });
});

describe('closures and presence preferences', () => {
  it('closings are read where the debate is, written by nobody but the trigger', async () => {
    await sql`insert into public.debate_closures (debate_id, closed, actor_id, conclusions) values (${hidden}, true, ${people.admin}, '<p>x</p>')`;
    expect(await matrix((tx) => tx`select 1 from public.debate_closures where debate_id = ${hidden}`)).toEqual(row({ moderator: 'ok', admin: 'ok' }, 'none'));
    expect(await matrix((tx) => tx`insert into public.debate_closures (debate_id, closed) values (${open}, true)`)).toEqual(row({}, 'denied'));
    expect(await matrix((tx) => tx`delete from public.debate_closures where debate_id = ${hidden}`)).toEqual(row({}, 'denied'));
  });

  it('a presence preference is its owner’s alone', async () => {
    await sql`insert into public.debate_presence_preferences (user_id, show_name) values (${people.author}, false) on conflict do nothing`;
    expect(await matrix((tx) => tx`select 1 from public.debate_presence_preferences where user_id = ${people.author}`))
      .toEqual(row({ anon: 'denied', author: 'ok' }, 'none'));
    expect(await matrix((tx) => tx`insert into public.debate_presence_preferences (show_name) values (false)
      on conflict (user_id) do update set show_name = excluded.show_name`)).toEqual(row({ anon: 'denied' }, 'ok'));
    expect(await matrix((tx) => tx`insert into public.debate_presence_preferences (user_id, show_name) values (${people.author}, true)`))
      .toEqual(row({}, 'denied'));
    expect(await matrix((tx) => tx`update public.debate_presence_preferences set show_name = true where user_id = ${people.author}`))
      .toEqual(row({ anon: 'denied', author: 'ok' }, 'none'));
  });
});

describe('Realtime topics', () => {
  const probe = async (topic: string, role: Role) => {
    const claims = claimsOf(role) ?? { role: 'anon' };
    return authorizeTopic(sql, topic, claims.role, claims);
  };
  const presence = (topic: string) => async (tx: Tx) => {
    await tx`select set_config('realtime.topic', ${topic}, true)`;
    return tx`insert into realtime.messages (topic, extension, private) values (${topic}, 'presence', true)`;
  };

  it('a debate’s channel: joined by whoever sees the debate, present there, never broadcast to', async () => {
    for (const role of ROLES) {
      expect(await probe(`debate:${open}`, role), role).toEqual({ read: true, write: false, presenceRead: true, presenceWrite: true });
      const moderates = role === 'moderator' || role === 'admin';
      expect(await probe(`debate:${hidden}`, role), role).toEqual({ read: moderates, write: false, presenceRead: moderates, presenceWrite: moderates });
      expect((await probe(`debate:${secret}`, role)).read, role).toBe(!['anon', 'citizen'].includes(role));
    }
    expect(await matrix(presence(`debate:${open}`))).toEqual(row({}, 'ok'));
    expect(await matrix(presence(`debate:${hidden}`))).toEqual(row({ moderator: 'ok', admin: 'ok' }, 'refused'));
    expect(await matrix(presence(`debates:${pub.componentId}`))).toEqual(row({}, 'refused'));
  });

  it('the list’s channel: whoever sees the component', async () => {
    for (const role of ROLES) {
      expect(await probe(`debates:${pub.componentId}`, role), role).toEqual({ read: true, write: false, presenceRead: true, presenceWrite: false });
      expect((await probe(`debates:${priv.componentId}`, role)).read, role).toBe(!['anon', 'citizen'].includes(role));
    }
    expect((await probe(`debates:not-a-uuid`, 'admin')).read).toBe(false);
  });
});
