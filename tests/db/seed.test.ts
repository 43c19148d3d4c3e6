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
const BUDGET_PROPOSALS = '00000000-0000-4000-8004-000000000010';

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

  it('has a proposals component in the process, open to proposals, supports and likes in the active phase', async () => {
    const [c] = await asUser(
      null,
      (tx) => tx<{ space_id: string; name: { fr: string }; settings: Record<string, unknown> }[]>`
        select space_id, name, settings from public.components where id = ${BUDGET_PROPOSALS} and feature = 'proposals'`,
      sql,
    );
    expect(c).toMatchObject({ space_id: BUDGET, name: { fr: 'Propositions' } });
    expect(c!.settings).toMatchObject({ vote_limit: 10, threshold_per_proposal: 20, can_accumulate_votes_beyond_threshold: true, geocoding_enabled: true });
    const [allows] = await asUser(
      userClaims(LEA),
      (tx) => tx<{ create: boolean; vote: boolean; like: boolean; hidden: boolean }[]>`
        select private.component_allows(${BUDGET_PROPOSALS}, 'create') as create, private.component_allows(${BUDGET_PROPOSALS}, 'vote') as vote,
               private.component_allows(${BUDGET_PROPOSALS}, 'like') as like, private.votes_hidden(${BUDGET_PROPOSALS}) as hidden`,
      sql,
    );
    expect(allows).toEqual({ create: true, vote: true, like: true, hidden: false });
  });

  it('has about 40 French proposals spread over the districts, inside the town, some answered, one withdrawn, one amendment', async () => {
    const rows = await asUser(
      null,
      (tx) => tx<{ title: string; taxonomy: string | null; lat: number; lng: number; official: boolean; withdrawn: boolean; amends: string | null; state: string | null; answer: { fr?: string } }[]>`
        select p.title, t.name ->> 'fr' as taxonomy, p.latitude as lat, p.longitude as lng, p.official, p.withdrawn_at is not null as withdrawn,
               p.amends_id as amends, s.token as state, p.answer
        from public.proposals p left join public.taxonomies t on t.id = p.taxonomy_id left join public.proposal_states s on s.id = p.state_id
        where p.component_id = ${BUDGET_PROPOSALS}`,
      sql,
    );
    expect(rows.length).toBeGreaterThanOrEqual(38);
    expect(rows.length).toBeLessThanOrEqual(45);
    expect(new Set(rows.map((r) => r.taxonomy))).toEqual(new Set(['Centre-ville', 'Les Tanneurs', 'Bords de Loire', 'La Croix-Verte', 'Saint-Martin']));
    for (const r of rows) {
      expect(r.lat).toBeGreaterThan(47.46);
      expect(r.lat).toBeLessThan(47.54);
      expect(r.lng).toBeGreaterThan(2.79);
      expect(r.lng).toBeLessThan(2.91);
    }
    expect(rows.filter((r) => r.official).length).toBeGreaterThanOrEqual(1);
    expect(rows.filter((r) => r.withdrawn)).toHaveLength(1);
    expect(rows.filter((r) => r.amends)).toHaveLength(1);
    const answered = rows.filter((r) => r.state);
    expect(new Set(answered.map((r) => r.state))).toEqual(new Set(['accepted', 'rejected', 'evaluating']));
    for (const r of answered) expect(r.answer.fr).toMatch(/<p>/);
    // Titles in French, as a participant would write them.
    expect(rows.map((r) => r.title)).toEqual(expect.arrayContaining(['Une piste cyclable protégée rue Nationale', 'Un jardin partagé rue des Mégissiers']));
  });

  it('has supports, likes, follows and comments whose counters match their rows, within the vote limit', async () => {
    const rows = await sql<{ id: string; supports_count: number; supports: number; pending_supports: number; likes_count: number; likes: number;
      comments_count: number; comments: number; follows_count: number; follows: number; authors_count: number; authors: number; official: boolean }[]>`
      select p.id, p.supports_count, p.pending_supports, p.likes_count, p.comments_count, p.follows_count, p.authors_count, p.official,
        (select count(*)::int from public.proposal_supports s where s.proposal_id = p.id and s.counted) as supports,
        (select count(*)::int from public.likes l where l.resource_type = 'proposal' and l.resource_id = p.id) as likes,
        (select count(*)::int from public.comments c where c.resource_type = 'proposal' and c.resource_id = p.id and c.deleted_at is null and c.hidden_at is null) as comments,
        (select count(*)::int from public.follows f where f.resource_type = 'proposal' and f.resource_id = p.id) as follows,
        (select count(*)::int from public.proposal_coauthors a where a.proposal_id = p.id and a.status = 'accepted') as authors
      from public.proposals p where p.component_id = ${BUDGET_PROPOSALS}`;
    for (const r of rows) {
      expect(r.supports_count, r.id).toBe(r.supports);
      expect(r.pending_supports, r.id).toBe(0);
      expect(r.likes_count, r.id).toBe(r.likes);
      expect(r.comments_count, r.id).toBe(r.comments);
      expect(r.follows_count, r.id).toBe(r.follows);
      expect(r.authors_count, r.id).toBe(r.authors);
      if (!r.official) expect(r.authors, r.id).toBeGreaterThanOrEqual(1);
    }
    const sum = (k: 'supports' | 'likes' | 'comments') => rows.reduce((s, r) => s + r[k], 0);
    expect(sum('supports')).toBeGreaterThan(80);
    expect(sum('likes')).toBeGreaterThan(30);
    expect(sum('comments')).toBeGreaterThan(40);
    // One proposal has reached the threshold of 20.
    expect(Math.max(...rows.map((r) => r.supports_count))).toBeGreaterThanOrEqual(20);
    const perPerson = await sql<{ n: number }[]>`
      select count(*)::int as n from public.proposal_supports where component_id = ${BUDGET_PROPOSALS} group by user_id`;
    expect(Math.max(...perPerson.map((r) => r.n))).toBeLessThanOrEqual(10);
    const [tallies] = await sql<{ wrong: number }[]>`
      select count(*)::int as wrong from public.proposal_support_tallies t where t.component_id = ${BUDGET_PROPOSALS}
        and t.supports <> (select count(*) from public.proposal_supports s where s.user_id = t.user_id and s.component_id = t.component_id)`;
    expect(tallies!.wrong).toBe(0);
  });

  it('leaves an action log written by the system', async () => {
    const [row] = await sql<{ n: number }[]>`
      select count(*)::int as n from public.action_log where space_id = ${BUDGET} and actor_id is null and data ->> 'via' = 'system'`;
    expect(row?.n).toBeGreaterThan(0);
  });
});
