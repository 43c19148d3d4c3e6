import type postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asUser } from '../../src/lib/db/index.ts';
import { sanitizeHtml } from '../../src/lib/html/sanitize.ts';
import { connectTestDb } from '../helpers/db.ts';
import { userClaims } from './fixtures.ts';

/*
 * The demo data (supabase/seed.sql), loaded by the test stack like by `npm start`. Only reads:
 * other test files rely on the same rows.
 */

const CLAIRE = '00000000-0000-4000-8000-000000000001';
const CAMILLE = '00000000-0000-4000-8000-000000000002';
const KARIM = '00000000-0000-4000-8000-000000000003';
const LEA = '00000000-0000-4000-8000-000000000004';
const BUDGET = '00000000-0000-4000-8002-000000000001';
const CONSEIL = '00000000-0000-4000-8002-000000000002';
const DRAFT_PROCESS = '00000000-0000-4000-8002-000000000003';
const PRIVATE_ASSEMBLY = '00000000-0000-4000-8002-000000000004';
const BUDGET_FAQ_DRAFT = '00000000-0000-4000-8004-000000000002';

let sql: postgres.Sql;
beforeAll(() => {
  sql = connectTestDb();
});
afterAll(async () => {
  await sql.end();
});

const visibleSpaces = async (sub: string | null) =>
  (
    await asUser(sub ? userClaims(sub) : null, (tx) => tx<{ slug: string }[]>`select slug from public.spaces where id::text like '00000000-0000-4000-8002-%' order by slug`, sql)
  ).map((r) => r.slug);

describe('the demo seed', () => {
  it('makes Claire an organization admin', async () => {
    const [row] = await asUser(userClaims(CLAIRE), (tx) => tx<{ admin: boolean }[]>`select private.is_org_admin() as admin`, sql);
    expect(row?.admin).toBe(true);
  });

  it('has district and topic taxonomies', async () => {
    const rows = await sql<{ root: string; children: string[] }[]>`
      select r.name ->> 'fr' as root, array_agg(c.name ->> 'fr' order by c.weight) as children
      from public.taxonomies r join public.taxonomies c on c.parent_id = r.id
      where r.id in ('00000000-0000-4000-8001-000000000001', '00000000-0000-4000-8001-000000000002')
      group by r.name, r.weight order by r.weight`;
    expect(rows[0]?.root).toBe('Quartiers');
    expect(rows[0]?.children).toEqual(expect.arrayContaining(['Centre-ville', 'Les Tanneurs', 'Bords de Loire', 'La Croix-Verte']));
    expect(rows[0]?.children.length).toBeGreaterThanOrEqual(4);
    expect(rows[1]?.root).toBe('Thèmes');
    expect(rows[1]?.children.length).toBeGreaterThanOrEqual(3);
  });

  it('has a published, promoted process in the second of its four phases, with a call to action', async () => {
    const [process] = await asUser(
      null,
      (tx) => tx<{ id: string; promoted: boolean; title: { fr: string } }[]>`select id, promoted, title from public.spaces where kind = 'process' and slug = 'budget-participatif-2027'`,
      sql,
    );
    expect(process).toMatchObject({ id: BUDGET, promoted: true, title: { fr: 'Budget participatif 2027' } });
    const phases = await asUser(
      null,
      (tx) => tx<{ position: number; active: boolean; cta_text: { fr?: string } }[]>`
        select position, active, cta_text from public.phases where space_id = ${BUDGET} order by position`,
      sql,
    );
    expect(phases.map((p) => p.active)).toEqual([false, true, false, false]);
    expect(phases[1]?.cta_text.fr).toBeTruthy();
  });

  it('shows visitors the process and the assembly, not the draft nor the private assembly', async () => {
    expect(await visibleSpaces(null)).toEqual(['budget-participatif-2027', 'conseil-citoyen']);
    // Léa is a member of the private committee; Claire sees everything.
    expect(await visibleSpaces(LEA)).toEqual(['budget-participatif-2027', 'comite-de-suivi-budget', 'conseil-citoyen']);
    expect(await visibleSpaces(CLAIRE)).toEqual(['budget-participatif-2027', 'comite-de-suivi-budget', 'conseil-citoyen', 'plan-velo-2028']);
    const [draft] = await sql<{ published_at: Date | null }[]>`select published_at from public.spaces where id = ${DRAFT_PROCESS}`;
    expect(draft?.published_at).toBeNull();
    const [priv] = await sql<{ private: boolean }[]>`select private from public.spaces where id = ${PRIVATE_ASSEMBLY}`;
    expect(priv?.private).toBe(true);
  });

  it('gives Camille the moderation of the process and Karim a collaborator role (he sees its drafts)', async () => {
    const roles = await sql<{ user_id: string; role: string }[]>`select user_id, role from public.space_roles where space_id = ${BUDGET} order by role`;
    expect(roles).toEqual([
      { user_id: KARIM, role: 'collaborator' },
      { user_id: CAMILLE, role: 'moderator' },
    ]);
    const seenBy = async (sub: string) =>
      (await asUser(userClaims(sub), (tx) => tx`select id from public.components where id = ${BUDGET_FAQ_DRAFT}`, sql)).length;
    expect(await seenBy(KARIM)).toBe(1);
    expect(await seenBy(CAMILLE)).toBe(0);
  });

  it('has a published page in the process and in the assembly, in French and English, that the sanitiser keeps as is', async () => {
    for (const space of [BUDGET, CONSEIL]) {
      const pages = await asUser(
        null,
        (tx) => tx<{ body: { fr: string; en: string } }[]>`
          select p.body from public.pages p join public.components c on c.id = p.component_id
          where c.space_id = ${space} and c.feature = 'pages'`,
        sql,
      );
      expect(pages.length).toBeGreaterThanOrEqual(1);
      for (const { body } of pages) {
        for (const html of [body.fr, body.en]) {
          expect(html).toMatch(/<p>/);
          expect(sanitizeHtml(html)).toBe(html.replace(/<a href="([^"]*)">/g, '<a href="$1" rel="nofollow noopener">'));
        }
      }
    }
  });

  it('leaves an action log written by the system', async () => {
    const [row] = await sql<{ n: number }[]>`
      select count(*)::int as n from public.action_log where space_id = ${BUDGET} and actor_id is null and data ->> 'via' = 'system'`;
    expect(row?.n).toBeGreaterThan(0);
  });
});
