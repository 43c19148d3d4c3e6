import type postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asUser } from '../../src/lib/db/index.ts';
import { detectSeparator, parseBirthDate, readCensusLines } from '../../src/features/verifications/verifications.ts';
import { attempt, createUser, uniqueTag, userClaims } from '../db/fixtures.ts';
import { connectTestDb } from '../helpers/db.ts';

/*
 * The census method of verification, in the database: admins upload lines (kept as salted
 * hashes only), a resident claims one by typing their identifier and date of birth, one account
 * per line, a refusal that never says which field was wrong, rate-limited tries; direct grants
 * by organization admins (logged); revocation frees the line; and how the file is read (columns,
 * dates, districts). The upload through the admin page is in web.test.ts.
 */

let sql: postgres.Sql;
let admin: string;
let district: string;
const tag = uniqueTag();
// Identifiers unique to this run: the census is organization-wide and other files share it.
const id = (n: number) => `T${tag}${String(n).padStart(4, '0')}`.toUpperCase();

beforeAll(async () => {
  sql = connectTestDb();
  admin = await createUser(sql, 'census-admin');
  await sql`insert into public.organization_admins (user_id) values (${admin})`;
  const [d] = await sql<{ id: string }[]>`insert into public.taxonomies (name) values (${sql.json({ fr: `Les Prés ${tag}` })}) returning id`;
  district = d!.id;
  await asUser(userClaims(admin), async (tx) => {
    const [u] = await tx<{ id: string }[]>`select public.census_start_upload('test.csv') as id`;
    await tx`select public.census_add_lines(${u!.id}, ${tx.json([
      { line: 1, identifier: id(1), birth_date: '1980-04-12', district_id: district },
      { line: 2, identifier: id(2), birth_date: '1975-11-30', district_id: district },
      { line: 3, identifier: id(3), birth_date: '2001-01-01', district_id: null },
      { line: 4, identifier: id(4), birth_date: '1990-06-15', district_id: district },
      { line: 5, identifier: id(5), birth_date: '1990-06-15', district_id: district },
    ])}, true)`;
  }, sql);
});

afterAll(async () => {
  await sql`delete from public.organization_admins where user_id = ${admin}`;
  await sql.end();
});

const claim = async (user: string, identifier: string, birth: string) => {
  const [row] = await asUser(userClaims(user), (tx) => tx<{ r: string }[]>`select public.verify_with_census(${identifier}, ${birth}::date) as r`, sql);
  return row!.r;
};

describe('the census', () => {
  it('keeps salted hashes only, and nobody but the database reads them', async () => {
    const rows = await sql<{ hash: Buffer }[]>`select l.hash from public.census_lines l join public.census_uploads u on u.id = l.upload_id where u.uploaded_by = ${admin}`;
    expect(rows.length).toBe(5);
    for (const r of rows) {
      expect(r.hash.length).toBe(32);
      expect(r.hash.toString('latin1')).not.toContain(id(1));
    }
    // Not the plain SHA-256 of what was typed either: the key is secret.
    const [plain] = await sql<{ h: Buffer }[]>`select extensions.digest(convert_to(${id(1)} || '|1980-04-12', 'UTF8'), 'sha256') as h`;
    expect(rows.some((r) => r.hash.equals(plain!.h))).toBe(false);
    for (const who of [null, userClaims(admin)]) {
      const r = await attempt(sql, who, (tx) => tx`select hash from public.census_lines limit 1`);
      expect(r.ok).toBe(false);
      const key = await attempt(sql, who, (tx) => tx`select key from private.verification_secret`);
      expect(key.ok).toBe(false);
      const hash = await attempt(sql, who, (tx) => tx`select private.census_hash('x', '2000-01-01')`);
      expect(hash.ok).toBe(false);
    }
  });

  it('is uploaded by organization admins only, duplicates refused by line', async () => {
    const someone = await createUser(sql, 'census-someone');
    const r = await attempt(sql, userClaims(someone), (tx) => tx`select public.census_start_upload('x.csv')`);
    expect(r.ok).toBe(false);
    const [refused] = await asUser(userClaims(admin), async (tx) => {
      const [u] = await tx<{ id: string }[]>`select public.census_start_upload('again.csv') as id`;
      return tx<{ r: { line: number; code: string }[] }[]>`select public.census_add_lines(${u!.id}, ${tx.json([
        { line: 1, identifier: ` ${id(1).toLowerCase()} `, birth_date: '1980-04-12' },
        { line: 2, identifier: '', birth_date: '1980-04-12' },
        { line: 3, identifier: 'X', birth_date: '1980-13-40' },
        { line: 4, code: 'district' },
      ])}, true) as r`;
    }, sql);
    expect(refused!.r).toEqual([
      { line: 1, code: 'duplicate' },
      { line: 2, code: 'invalid' },
      { line: 3, code: 'invalid' },
      { line: 4, code: 'district' },
    ]);
  });
});

describe('claiming a line', () => {
  it('verifies the person with the line’s district; typing differences do not matter', async () => {
    const person = await createUser(sql, 'census-claimer');
    expect(await claim(person, id(1).toLowerCase().replace(/(\w{3})/, '$1-'), '1980-04-12')).toBe('verified');
    const [v] = await sql<{ method: string; district_id: string }[]>`select method, district_id from public.verifications where user_id = ${person}`;
    expect(v).toEqual({ method: 'census', district_id: district });
    expect(await claim(person, id(1), '1980-04-12')).toBe('already');
  });

  it('refuses wrong data without saying which field', async () => {
    const person = await createUser(sql, 'census-wrong');
    expect(await claim(person, id(2), '1975-11-29')).toBe('no_match');
    expect(await claim(person, `${id(2)}X`, '1975-11-30')).toBe('no_match');
    expect(await claim(person, '', '1975-11-30')).toBe('no_match');
  });

  it('one account per line, even when two claim it at once', async () => {
    const [a, b] = await Promise.all([createUser(sql, 'census-a'), createUser(sql, 'census-b')]);
    const results = await Promise.all([claim(a, id(3), '2001-01-01'), claim(b, id(3), '2001-01-01')]);
    expect(results.sort()).toEqual(['taken', 'verified']);
    const c = await createUser(sql, 'census-c');
    expect(await claim(c, id(3), '2001-01-01')).toBe('taken');
  });

  it('is rate-limited: 5 tries per 15 minutes per account, failures counted, even the right answer waits', async () => {
    const person = await createUser(sql, 'census-guesser');
    const tries = await Promise.all(Array.from({ length: 7 }, (_, i) => claim(person, `${id(4)}${i}`, '1990-06-15')));
    expect(tries.filter((r) => r === 'no_match')).toHaveLength(5);
    expect(tries.filter((r) => r === 'rate_limited')).toHaveLength(2);
    expect(await claim(person, id(4), '1990-06-15')).toBe('rate_limited');
    await sql`update public.census_attempts set attempted_at = now() - interval '16 minutes' where user_id = ${person}`;
    expect(await claim(person, id(4), '1990-06-15')).toBe('verified');
  });

  it('needs an account', async () => {
    const r = await attempt(sql, null, (tx) => tx`select public.verify_with_census(${id(5)}, '1990-06-15'::date)`);
    expect(r.ok).toBe(false);
  });
});

describe('direct grants and revocation', () => {
  it('organization admins grant (logged, by them) and revoke; a revoked census line can be claimed again', async () => {
    const [person, other, outsider] = await Promise.all([createUser(sql, 'census-desk'), createUser(sql, 'census-other'), createUser(sql, 'census-out')]);
    // Nobody else grants.
    const denied = await attempt(sql, userClaims(outsider), (tx) => tx`insert into public.verifications (user_id, method) values (${outsider}, 'direct')`);
    expect(denied.ok).toBe(false);
    // Nor grants a census verification by hand, even an admin.
    const census = await attempt(sql, userClaims(admin), (tx) => tx`insert into public.verifications (user_id, method) values (${person}, 'census')`);
    expect(census.ok).toBe(false);
    // Who granted it is not theirs to say: the column is not theirs to write; the trigger records them.
    const forged = await attempt(sql, userClaims(admin), (tx) => tx`insert into public.verifications (user_id, method, granted_by) values (${person}, 'direct', ${outsider})`);
    expect(forged.ok).toBe(false);
    await asUser(userClaims(admin), (tx) => tx`insert into public.verifications (user_id, method, district_id) values (${person}, 'direct', ${district})`, sql);
    const [v] = await sql<{ granted_by: string }[]>`select granted_by from public.verifications where user_id = ${person} and method = 'direct'`;
    expect(v?.granted_by).toBe(admin);
    const [log] = await sql<{ actor_id: string; action: string }[]>`
      select actor_id, action from public.action_log where resource_type = 'verifications' and data ->> 'user_id' = ${person} order by id desc limit 1`;
    expect(log).toEqual({ actor_id: admin, action: 'insert' });
    // The person sees their own; another citizen sees nothing.
    const own = await attempt(sql, userClaims(person), (tx) => tx`select method from public.verifications`);
    expect(own.ok && own.value.length).toBe(1);
    const theirs = await attempt(sql, userClaims(outsider), (tx) => tx`select method from public.verifications where user_id = ${person}`);
    expect(theirs.ok && theirs.value.length).toBe(0);
    // Revoking a census verification frees its line for its owner.
    expect(await claim(other, id(5), '1990-06-15')).toBe('verified');
    const stranger = await createUser(sql, 'census-owner');
    expect(await claim(stranger, id(5), '1990-06-15')).toBe('taken');
    const revoked = await asUser(userClaims(admin), (tx) => tx`delete from public.verifications where user_id = ${other} and method = 'census'`, sql);
    expect(revoked.count).toBe(1);
    expect(await claim(stranger, id(5), '1990-06-15')).toBe('verified');
    const [rev] = await sql<{ action: string }[]>`
      select action from public.action_log where resource_type = 'verifications' and data ->> 'user_id' = ${other} order by id desc limit 1`;
    expect(rev?.action).toBe('delete');
  });

  it('counts for organization admins only, no one’s identity', async () => {
    const [row] = await asUser(userClaims(admin), (tx) => tx<{ n: string }[]>`select coalesce(sum(people), 0)::text as n from public.verification_counts()`, sql);
    expect(Number(row!.n)).toBeGreaterThan(0);
    const someone = await createUser(sql, 'census-curious');
    const none = await asUser(userClaims(someone), (tx) => tx`select * from public.verification_counts()`, sql);
    expect(none).toHaveLength(0);
    const lines = await asUser(userClaims(someone), (tx) => tx`select * from public.census_counts()`, sql);
    expect(lines).toHaveLength(0);
    const found = await asUser(userClaims(someone), (tx) => tx<{ id: string | null }[]>`select public.verification_find_person('census-admin') as id`, sql);
    expect(found[0]?.id).toBeNull();
  });
});

describe('reading the census file', () => {
  it('takes ISO and French dates, districts by name, skips a header, says why a line is refused', () => {
    const districts = new Map([['centre-ville', 'd1'], ['les tanneurs', 'd2']]);
    const lines = [
      'identifiant;date_naissance;quartier',
      'AB123;1980-04-12;Centre-ville',
      'CD456;30/11/1975;les Tanneurs',
      'EF789;31/02/1990;Centre-ville',
      ';1980-01-01;',
      'GH012;1980-01-01;Atlantide',
      'only-one-column',
      '"IJ;345";01/01/2000;',
    ].map((text, i) => ({ line: i + 1, text }));
    expect(detectSeparator(lines[0]!.text)).toBe(';');
    const r = readCensusLines(lines, ';', (n) => districts.get(n.toLowerCase()) ?? null);
    expect(r.ok.map((l) => [l.line, l.identifier, l.birthDate, l.districtId])).toEqual([
      [2, 'AB123', '1980-04-12', 'd1'],
      [3, 'CD456', '1975-11-30', 'd2'],
      [8, 'IJ;345', '2000-01-01', null],
    ]);
    expect(r.refused).toEqual([
      { line: 4, code: 'birth_date' },
      { line: 5, code: 'identifier' },
      { line: 6, code: 'district' },
      { line: 7, code: 'columns' },
    ]);
    expect(parseBirthDate('2999-01-01')).toBeNull();
  });
});
