import { randomUUID } from 'node:crypto';
import type postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asServiceRole, asUser, type Claims } from '../../src/lib/db/index.ts';
import { connectTestDb } from '../helpers/db.ts';
import { createUser, userClaims } from './fixtures.ts';

let sql: postgres.Sql;

beforeAll(() => {
  sql = connectTestDb();
});
afterAll(async () => {
  await sql.end();
});

describe('row-level security coverage', () => {
  it('every table in a schema the API roles can use has RLS enabled', async () => {
    const missing = await sql<{ table: string }[]>`
      select format('%I.%I', n.nspname, c.relname) as table
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p')
        and n.nspname not in ('pg_catalog', 'information_schema')
        and (has_schema_privilege('anon', n.oid, 'USAGE') or has_schema_privilege('authenticated', n.oid, 'USAGE'))
        and not c.relrowsecurity
      order by 1`;
    expect(missing.map((r) => r.table)).toEqual([]);
  });

  it('the check sees a table created without RLS (it can fail)', async () => {
    await sql.begin(async (tx) => {
      await tx`create table public.rls_probe (id int)`;
      const [row] = await tx<{ rls: boolean }[]>`select relrowsecurity as rls from pg_class where oid = 'public.rls_probe'::regclass`;
      expect(row?.rls).toBe(false);
      await tx`drop table public.rls_probe`;
    });
  });
});

describe('profiles', () => {
  let alice: string;
  let bob: string;

  beforeAll(async () => {
    alice = await createUser(sql, 'alice');
    bob = await createUser(sql, 'bob');
  });

  it('are created by the sign-up trigger with a unique, valid nickname', async () => {
    const rows = await sql<{ id: string; nickname: string }[]>`select id, nickname from public.profiles where id in (${alice}, ${bob})`;
    expect(rows).toHaveLength(2);
    for (const r of rows) expect(r.nickname).toMatch(/^[a-z0-9_-]{2,20}$/);
    expect(new Set(rows.map((r) => r.nickname)).size).toBe(2);
    const prefs = await sql`select id from public.profile_preferences where id in (${alice}, ${bob})`;
    expect(prefs).toHaveLength(2);
  });

  it('are readable by anonymous visitors and participants', async () => {
    const anon = await asUser(null, (tx) => tx`select id, nickname from public.profiles where id = ${alice}`, sql);
    expect(anon).toHaveLength(1);
    const other = await asUser(userClaims(bob), (tx) => tx`select id from public.profiles where id = ${alice}`, sql);
    expect(other).toHaveLength(1);
  });

  it('are editable by their owner only', async () => {
    const own = await asUser(userClaims(alice), (tx) => tx`update public.profiles set name = 'Alice Owner' where id = ${alice} returning id`, sql);
    expect(own).toHaveLength(1);
    const foreign = await asUser(userClaims(bob), (tx) => tx`update public.profiles set name = 'Hacked' where id = ${alice} returning id`, sql);
    expect(foreign).toHaveLength(0);
    await expect(asUser(null, (tx) => tx`update public.profiles set name = 'Hacked' where id = ${alice}`, sql)).rejects.toThrow(/permission denied/);
    const [row] = await sql<{ name: string }[]>`select name from public.profiles where id = ${alice}`;
    expect(row?.name).toBe('Alice Owner');
  });

  it('cannot be inserted, deleted or re-keyed through the API roles', async () => {
    await expect(
      asUser(userClaims(alice), (tx) => tx`insert into public.profiles (id, nickname, name) values (${randomUUID()}, 'intruder', 'X')`, sql),
    ).rejects.toThrow(/permission denied/);
    await expect(asUser(userClaims(alice), (tx) => tx`delete from public.profiles where id = ${alice}`, sql)).rejects.toThrow(/permission denied/);
    await expect(asUser(userClaims(alice), (tx) => tx`update public.profiles set id = ${randomUUID()} where id = ${alice}`, sql)).rejects.toThrow(
      /permission denied/,
    );
  });

  it('reject invalid values in the database, whatever the UI does', async () => {
    await expect(asUser(userClaims(alice), (tx) => tx`update public.profiles set nickname = 'Not Valid!' where id = ${alice}`, sql)).rejects.toThrow(
      /profiles_nickname_format/,
    );
    await expect(asUser(userClaims(alice), (tx) => tx`update public.profiles set locale = 'de' where id = ${alice}`, sql)).rejects.toThrow(
      /profiles_locale_supported/,
    );
    await expect(
      asUser(userClaims(alice), (tx) => tx`update public.profiles set avatar_url = 'javascript:alert(1)' where id = ${alice}`, sql),
    ).rejects.toThrow(/profiles_avatar_url_format/);
  });

  it('forged service_role claims get anonymous rights, not the service role', async () => {
    const forged: Claims = { role: 'service_role' };
    await expect(asUser(forged, (tx) => tx`select * from public.profile_preferences`, sql)).rejects.toThrow(/permission denied/);
  });
});

describe('profile preferences', () => {
  it('are private to their owner', async () => {
    const carol = await createUser(sql, 'carol');
    const dave = await createUser(sql, 'dave');
    await expect(asUser(null, (tx) => tx`select * from public.profile_preferences`, sql)).rejects.toThrow(/permission denied/);
    const seen = await asUser(userClaims(dave), (tx) => tx`select id from public.profile_preferences where id = ${carol}`, sql);
    expect(seen).toHaveLength(0);
    const own = await asUser(userClaims(carol), (tx) => tx`update public.profile_preferences set notifications_digest = 'weekly' where id = ${carol} returning notifications_digest`, sql);
    expect(own).toEqual([{ notifications_digest: 'weekly' }]);
    const foreign = await asUser(userClaims(dave), (tx) => tx`update public.profile_preferences set notifications_digest = 'daily' where id = ${carol} returning id`, sql);
    expect(foreign).toHaveLength(0);
    await expect(
      asUser(userClaims(carol), (tx) => tx`update public.profile_preferences set notifications_digest = 'hourly' where id = ${carol}`, sql),
    ).rejects.toThrow(/profile_preferences_digest/);
    const all = await asServiceRole('test: read back', (tx) => tx`select notifications_digest from public.profile_preferences where id = ${carol}`, sql);
    expect(all).toEqual([{ notifications_digest: 'weekly' }]);
  });
});

describe('organization', () => {
  it('is readable by everyone and not writable by visitors or participants', async () => {
    const rows = await asUser(null, (tx) => tx<{ name: Record<string, string> }[]>`select name from public.organization`, sql);
    expect(rows[0]?.name.fr).toContain('Belleville');
    await expect(asUser(null, (tx) => tx`update public.organization set contact_email = 'x@y.z'`, sql)).rejects.toThrow(/permission denied/);
    const updated = await asUser(
      { role: 'authenticated', sub: randomUUID() },
      (tx) => tx`update public.organization set contact_email = 'x@y.z' returning id`,
      sql,
    );
    expect(updated).toHaveLength(0);
    const [org] = await sql<{ contact_email: string }[]>`select contact_email from public.organization`;
    expect(org?.contact_email).not.toBe('x@y.z');
  });
});

describe('auth schema', () => {
  it('is closed to the API roles, as on Supabase', async () => {
    await expect(asUser(null, (tx) => tx`select * from auth.users`, sql)).rejects.toThrow(/permission denied/);
    await expect(asUser({ role: 'authenticated', sub: randomUUID() }, (tx) => tx`select * from auth.refresh_tokens`, sql)).rejects.toThrow(
      /permission denied/,
    );
  });

  it('auth.uid(), auth.role() and auth.jwt() read the transaction claims', async () => {
    const sub = randomUUID();
    const [row] = await asUser(
      { role: 'authenticated', sub, email: 'x@example.org' },
      (tx) => tx<{ uid: string; role: string; email: string }[]>`select auth.uid() as uid, auth.role() as role, auth.jwt() ->> 'email' as email`,
      sql,
    );
    expect(row).toEqual({ uid: sub, role: 'authenticated', email: 'x@example.org' });
    const [anon] = await asUser(null, (tx) => tx<{ uid: string | null; role: string }[]>`select auth.uid() as uid, current_user as role`, sql);
    expect(anon).toEqual({ uid: null, role: 'anon' });
  });
});
