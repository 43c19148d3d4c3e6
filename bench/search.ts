/**
 * Search figures for `npm run bench`:
 * (a) the one search over 100,000 resources (proposals in 10 components of 10 spaces — one
 *     private, one unpublished — with a vocabulary whose words are rare or common), through the
 *     app's query module (RLS on the index, counts per type, a page of 20 with headlines), as a
 *     visitor and as a member of the private space; goal p95 ≤ 20 ms;
 * (b) the proposals text filter over one component of 10,000 proposals: the filter alone on the
 *     index, next to the ILIKE it replaced, and the whole list page with it; goal p95 ≤ 10 ms.
 */
import type postgres from 'postgres';
import { asUser, type Claims } from '../src/lib/db/index.ts';
import { listProposals } from '../src/features/proposals/list-queries.server.ts';
import { EMPTY_FILTERS } from '../src/features/proposals/list.ts';
import { search, textFilterIds } from '../src/features/search/queries.server.ts';
import { likePattern, type SearchParams } from '../src/features/search/search.ts';
import { createProposalsComponent, type ProposalsFixture } from '../tests/proposals/fixtures.ts';
import type { BenchTools } from './proposals.ts';
import { settleAfterLoad } from './settle.ts';

const RESOURCES = Number(process.env.BENCH_SEARCH_RESOURCES ?? 100_000);
const COMPONENTS = 10;

// Frequent words first: the generator picks early words far more often (a Zipf-like vocabulary).
const WORDS = [
  'rue', 'quartier', 'parc', 'école', 'vélo', 'arbres', 'bancs', 'marché', 'piste', 'cyclable', 'jardin', 'place', 'bus',
  'éclairage', 'trottoir', 'fontaine', 'bibliothèque', 'gymnase', 'crèche', 'passerelle', 'composteur', 'ruelle', 'halle',
  'terrasse', 'kiosque', 'skatepark', 'verger', 'ombrière', 'abri', 'parking', 'piétonne', 'canal', 'berges', 'lavoir',
  'potager', 'ruche', 'friche', 'atelier', 'ludothèque', 'tramway', 'navette', 'belvédère', 'roseraie', 'carillon', 'guinguette',
];

const params = (q: string, extra: Partial<SearchParams> = {}): SearchParams => ({
  q, type: null, spaceId: null, taxonomyId: null, from: null, to: null, page: 1, ...extra,
});

/** The benchmark's data (also used to profile the queries by hand). */
export async function seedSearchBench(sql: postgres.Sql): Promise<{ components: ProposalsFixture[]; author: string; member: string }> {
  const [author, member] = (await sql<{ id: string }[]>`
    insert into auth.users (id, aud, role, email, raw_user_meta_data, raw_app_meta_data, created_at, updated_at)
    select gen_random_uuid(), 'authenticated', 'authenticated', 'search-' || i || '-' || gen_random_uuid() || '@bench.example.org',
           jsonb_build_object('name', 'Bench search ' || i), '{}', now(), now()
    from generate_series(1, 2) i returning id`).map((r) => r.id) as [string, string];
  const components: ProposalsFixture[] = [];
  for (let c = 0; c < COMPONENTS; c++) {
    components.push(await createProposalsComponent(sql, { private: c === 0, published: c !== 1 }));
  }
  await sql`insert into public.space_members (space_id, user_id) values (${components[0]!.spaceId}, ${member})`;
  const per = Math.ceil(RESOURCES / COMPONENTS);
  for (const f of components) {
    await sql.begin(async (tx) => {
      // A bulk load as the table owner (triggers off); the index is built set-based right after.
      await tx`set local session_replication_role = replica`;
      await tx`
        insert into public.proposals (component_id, space_id, author_id, title, body, published_at)
        select ${f.componentId}, ${f.spaceId}, ${author},
               initcap(w[1 + (i * 7) % 12]) || ' ' || w[1 + (i * i) % array_length(w, 1)] || ' n° ' || i,
               '<p>Proposer ' || w[1 + (i * 3) % 20] || ' et ' || w[1 + (i * 11) % array_length(w, 1)] || ' près de la '
                 || w[1 + (i * 5) % 8] || ', pour les habitants du quartier ' || (i % 40) || '.</p>',
               now() - make_interval(mins => i)
        from generate_series(1, ${per}) i, (select ${WORDS}::text[] as w) words`;
    });
  }
  return { components, author, member };
}

export async function benchSearch(sql: postgres.Sql, tools: BenchTools): Promise<void> {
  const { measure, row } = tools;
  const started = performance.now();
  const { components, member } = await seedSearchBench(sql);
  const loaded = performance.now();
  const ids = components.map((c) => c.componentId);
  const [indexed] = await sql<{ n: number }[]>`
    select private.search_reindex_type('proposal', array(select p.id from public.proposals p where p.component_id = any(${ids}::uuid[]))) as n`;
  const reindexed = performance.now();
  // Vacuumed as autovacuum would leave a settled database: measured right after a bulk load, the
  // first case raced autovacuum's own pass over the 100,000 new rows (and their unset hint bits).
  await sql`vacuum (analyze) public.search_index, public.proposals`;
  const waited = await settleAfterLoad(sql);
  const [entries] = await sql<{ n: number }[]>`select count(*)::int as n from public.search_index`;
  console.log(
    `\nSearch: ${entries!.n.toLocaleString('en')} entries in the index (${indexed!.n.toLocaleString('en')} proposals loaded in ` +
      `${((loaded - started) / 1000).toFixed(1)} s, indexed set-based in ${((reindexed - loaded) / 1000).toFixed(1)} s; ` +
      `Realtime's replication caught up ${waited.toFixed(1)} s after the vacuum), ` +
      'through the app’s query module (RLS, counts per type, a page of 20 with headlines), one caller',
  );

  const memberClaims: Claims = { role: 'authenticated', sub: member, aud: 'authenticated' };
  const cases: [string, Claims | null, SearchParams][] = [
    ['rare word, visitor', null, params('guinguette')],
    ['common word, visitor', null, params('bancs')],
    ['two words, visitor', null, params('piste cyclable')],
    ['no match, visitor', null, params('introuvable')],
    ['common word, member of the private space', memberClaims, params('bancs')],
    ['two words, filtered by space', null, params('jardin quartier', { spaceId: components[3]!.spaceId })],
    ['filters only (a space, newest first)', null, params('', { spaceId: components[5]!.spaceId })],
  ];
  for (const [name, claims, p] of cases) {
    const { total } = await search(claims, p, 'fr', 'fr');
    const r = await measure(1, async () => {
      await search(claims, p, 'fr', 'fr');
    });
    row(`search: ${name} (${total.toLocaleString('en')})`, r);
  }
  const visible = await search(null, params('bancs'), 'fr', 'fr');
  const asMember = await search(memberClaims, params('bancs'), 'fr', 'fr');
  console.log(`  "bancs": ${visible.total.toLocaleString('en')} results for a visitor, ${asMember.total.toLocaleString('en')} for a member of the private space (the unpublished component: none)`);

  // (b) The proposals text filter over one component of 10,000 ------------------------------------
  const one = components[4]!;
  console.log(`\nProposals text filter over one component of ${Math.ceil(RESOURCES / COMPONENTS).toLocaleString('en')} proposals, one caller`);
  for (const text of ['guinguette', 'bancs']) {
    const viaIndex = await measure(1, () =>
      asUser(null, (tx) => tx`select count(*) from public.proposals p where p.component_id = ${one.componentId} and p.id = any (${textFilterIds(tx, 'proposal', one.componentId, text)!})`, sql));
    row(`filter "${text}" on the index`, viaIndex);
    const viaLike = await measure(1, () =>
      asUser(null, (tx) => tx`select count(*) from public.proposals p where p.component_id = ${one.componentId} and (p.title ilike ${likePattern(text)} or p.body ilike ${likePattern(text)})`, sql));
    row(`filter "${text}" by ILIKE (before)`, viaLike);
    console.log(`  ratio index / ILIKE p95: ${(viaIndex.p95 / viaLike.p95).toFixed(2)}`);
    const page = await measure(1, async () => {
      const listed = await listProposals(null, one.componentId, { ...EMPTY_FILTERS, text, sort: 'recent' }, null, 50);
      if (!listed) throw new Error('no list');
    });
    row(`list page, 50, text filter "${text}"`, page);
  }
}
