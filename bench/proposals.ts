/**
 * Proposals figures for `npm run bench`:
 * (a) supports per second with the component's limits enforced (vote limit, threshold), written by
 *     many real users through asUser (role + claims + RLS + the supports trigger), next to a bare
 *     INSERT into a table with the same unique (proposal_id, user_id) on the same Postgres;
 * (b) server time p50/p95 of the list page (50 per page) over a component of 10,000 proposals, and
 *     of a proposal page whose thread holds 1,000 comments, through the app's own query modules;
 * (c) SQL statements per list page for 10, 50 and 100 per page (counted by a pool's debug hook).
 */
import postgres from 'postgres';
import { asUser, type Claims } from '../src/lib/db/index.ts';
import { getThread } from '../src/features/comments/queries.server.ts';
import { getProposal, listAmendments, listLikers, listVersions } from '../src/features/proposals/detail-queries.server.ts';
import { listProposals } from '../src/features/proposals/list-queries.server.ts';
import { EMPTY_FILTERS } from '../src/features/proposals/list.ts';
import { createProposalsComponent } from '../tests/proposals/fixtures.ts';
import { settleAfterLoad } from './settle.ts';

export interface Measured {
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
}
export interface BenchTools {
  measure: (concurrency: number, op: () => Promise<unknown>) => Promise<Measured>;
  row: (name: string, r: Measured) => void;
}

const USERS = Number(process.env.BENCH_PROPOSALS_USERS ?? 2000);
const PROPOSALS = Number(process.env.BENCH_PROPOSALS ?? 10_000);
/** Concurrent supporters, each on its own connection. */
const WRITERS = Number(process.env.BENCH_PROPOSALS_WRITERS ?? 16);

const claimsOf = (sub: string): Claims => ({ role: 'authenticated', sub, aud: 'authenticated' });

async function createUsers(sql: postgres.Sql, n: number, label: string): Promise<string[]> {
  const rows = await sql<{ id: string }[]>`
    insert into auth.users (id, aud, role, email, raw_user_meta_data, raw_app_meta_data, created_at, updated_at)
    select gen_random_uuid(), 'authenticated', 'authenticated', ${label} || '-' || i || '@bench.example.org',
           jsonb_build_object('name', 'Bench ' || ${label} || ' ' || i), '{}', now(), now()
    from generate_series(1, ${n}) i
    returning id`;
  return rows.map((r) => r.id);
}

/** The big component the figures were taken on, for the HTTP figures that follow. */
export interface BigComponent {
  spaceId: string;
  componentId: string;
  /** Its proposal with 1,000 comments. */
  proposalId: string;
}

export async function benchProposals(sql: postgres.Sql, databaseUrl: string, tools: BenchTools): Promise<BigComponent> {
  const { measure, row } = tools;
  const users = await createUsers(sql, USERS, 'prop');

  // (a) Supports per second ---------------------------------------------------------------------
  const P = 200;
  const VOTE_LIMIT = 50;
  const THRESHOLD = 1000;
  console.log(
    `\nProposals: supports with the limits enforced (${USERS} users, ${P} proposals, vote limit ${VOTE_LIMIT}, ` +
      `threshold ${THRESHOLD} without accumulation; ${WRITERS} connections)`,
  );
  const voting = await createProposalsComponent(sql, {
    settings: { vote_limit: VOTE_LIMIT, threshold_per_proposal: THRESHOLD, can_accumulate_votes_beyond_threshold: false },
  });
  const [author] = users;
  const targets = (
    await sql<{ id: string }[]>`
      insert into public.proposals (component_id, space_id, author_id, title, body, published_at)
      select ${voting.componentId}, ${voting.spaceId}, ${author!}, 'Proposition soutenue n° ' || i, '<p>Une proposition pour le banc d’essai.</p>', now()
      from generate_series(1, ${P}) i returning id`
  ).map((r) => r.id);
  const writers = postgres(databaseUrl, { max: WRITERS, onnotice: () => {}, prepare: false });
  // Click n: user n mod U, their k-th support (k = n div U) on proposal (u + 13k) mod P, distinct for k < P.
  let clicks = 0;
  const nextPair = () => {
    const n = clicks++;
    const u = n % USERS;
    const k = Math.floor(n / USERS);
    return { user: users[u]!, proposal: targets[(u + 13 * k) % P]!, k };
  };
  const limited = await measure(WRITERS, async () => {
    const { user, proposal, k } = nextPair();
    if (k >= VOTE_LIMIT) throw new Error('the bench ran out of votes: raise BENCH_PROPOSALS_USERS');
    await asUser(claimsOf(user), (tx) => tx`insert into public.proposal_supports (proposal_id) values (${proposal})`, writers);
  });
  row('support as the user (asUser, RLS, limits)', limited);

  await sql`create table if not exists public.bench_bare_supports (proposal_id uuid not null, user_id uuid not null,
            created_at timestamptz not null default now(), primary key (proposal_id, user_id))`;
  clicks = 0;
  const bare = await measure(WRITERS, async () => {
    const { user, proposal } = nextPair();
    await writers`insert into public.bench_bare_supports (proposal_id, user_id) values (${proposal}, ${user})`;
  });
  row('bare INSERT, same unique (proposal, user)', bare);
  // The same transaction shape as asUser (begin, claims, insert, commit) without RLS nor triggers:
  // what the round trips cost, apart from the rules.
  await sql`truncate public.bench_bare_supports`;
  clicks = 0;
  const shaped = await measure(WRITERS, async () => {
    const { user, proposal } = nextPair();
    await writers.begin(async (tx) => {
      await tx`select set_config('request.jwt.claims', ${JSON.stringify(claimsOf(user))}, true)`;
      await tx`insert into public.bench_bare_supports (proposal_id, user_id) values (${proposal}, ${user})`;
    });
  });
  row('  same, in a transaction shaped like asUser', shaped);
  console.log(
    `  ratio supports / bare INSERT: ${(limited.perSecond / bare.perSecond).toFixed(2)}; ` +
      `supports / same-shaped transaction: ${(limited.perSecond / shaped.perSecond).toFixed(2)}`,
  );
  const [check] = await sql<{ over: number; wrong: number; rows: number }[]>`
    select (select count(*)::int from (select user_id from public.proposal_supports where component_id = ${voting.componentId}
              group by user_id having count(*) > ${VOTE_LIMIT}) x) as over,
           (select count(*)::int from public.proposals p where p.component_id = ${voting.componentId}
              and p.supports_count <> (select count(*) from public.proposal_supports s where s.proposal_id = p.id and s.counted)) as wrong,
           (select count(*)::int from public.proposal_supports where component_id = ${voting.componentId}) as rows`;
  console.log(`  after the run: ${check!.rows} supports, ${check!.over} people over the limit, ${check!.wrong} proposals with a wrong count`);
  await sql`drop table public.bench_bare_supports`;
  await writers.end();

  // (b) A component of 10,000 proposals ---------------------------------------------------------
  const started = performance.now();
  const big = await createProposalsComponent(sql, { settings: { default_sort: 'random' } });
  const states = [big.states.evaluating!, big.states.accepted!, big.states.rejected!];
  const commented = await sql.begin(async (tx) => {
    // A bulk load as the table owner: triggers off for the load, the counters computed once after.
    await tx`set local session_replication_role = replica`;
    await tx`
      insert into public.proposals (component_id, space_id, author_id, title, body, published_at, latitude, longitude,
                                    state_id, answer, answered_at, created_at)
      select ${big.componentId}, ${big.spaceId}, (${users}::uuid[])[1 + (i % ${USERS})],
             'Proposition ' || i || ' : aménager la rue n° ' || (i % 97),
             '<p>Installer des bancs, planter des arbres et sécuriser la traversée devant l’école, proposition ' || i || '.</p>',
             now() - make_interval(mins => i), 47.45 + random() * 0.1, 2.78 + random() * 0.14,
             case when i % 5 = 0 then (${states}::uuid[])[1 + (i / 5) % 3] end,
             case when i % 5 = 0 then '{"fr": "<p>La commune a étudié cette proposition.</p>"}'::jsonb else '{}' end,
             case when i % 5 = 0 then now() end, now() - make_interval(mins => i)
      from generate_series(1, ${PROPOSALS}) i`;
    await tx`insert into public.proposal_coauthors (proposal_id, user_id, status, invited_by, accepted_at)
             select id, author_id, 'accepted', author_id, now() from public.proposals where component_id = ${big.componentId}`;
    await tx`insert into public.versions (resource_type, resource_id, component_id, space_id, version, data, editor_id)
             select 'proposal', id, component_id, space_id, 1, jsonb_build_object('title', title, 'body', body), author_id from public.proposals where component_id = ${big.componentId}`;
    await tx`insert into public.follows (resource_type, resource_id, user_id)
             select 'proposal', id, author_id from public.proposals where component_id = ${big.componentId}`;
    await tx`insert into public.proposal_supports (proposal_id, user_id, component_id, counted)
             select p.id, (${users}::uuid[])[1 + ((p.number * 31 + j) % ${USERS})], p.component_id, true
             from public.proposals p, generate_series(0, 16) j where p.component_id = ${big.componentId} and j < p.number % 17`;
    await tx`insert into public.proposal_support_tallies (component_id, user_id, supports)
             select component_id, user_id, count(*) from public.proposal_supports where component_id = ${big.componentId} group by 1, 2`;
    await tx`insert into public.likes (resource_type, resource_id, user_id, component_id)
             select 'proposal', p.id, (${users}::uuid[])[1 + ((p.number * 17 + j) % ${USERS})], p.component_id
             from public.proposals p, generate_series(0, 6) j where p.component_id = ${big.componentId} and j < p.number % 7`;
    await tx`insert into public.comments (resource_type, resource_id, component_id, space_id, author_id, body, created_at)
             select 'proposal', p.id, p.component_id, p.space_id, (${users}::uuid[])[1 + ((p.number * 7 + j) % ${USERS})],
                    'Bonne idée, à condition de garder le stationnement vélo. (' || j || ')', now() - make_interval(secs => j)
             from public.proposals p, generate_series(0, 3) j where p.component_id = ${big.componentId} and j < p.number % 4`;
    // The proposal page of the benchmark: 1,000 comments, some with replies.
    const [target] = await tx<{ id: string }[]>`select id from public.proposals where component_id = ${big.componentId} order by number limit 1`;
    await tx`insert into public.comments (resource_type, resource_id, component_id, space_id, author_id, body, alignment, created_at)
             select 'proposal', ${target!.id}, ${big.componentId}, ${big.spaceId}, (${users}::uuid[])[1 + (j % ${USERS})],
                    'Commentaire ' || j || ' : je soutiens cette idée pour le quartier.', (j % 3) - 1, now() - make_interval(secs => 2000 - j)
             from generate_series(1, 1000) j`;
    // Fresh statistics and hash joins for the one counting update (planned on empty tables, it
    // would loop over the aggregates for each row).
    await tx`analyze public.proposals, public.proposal_supports, public.likes, public.comments, public.follows`;
    await tx`set local enable_nestloop = off`;
    await tx`
      with s as (select proposal_id as id, count(*)::int as n from public.proposal_supports where component_id = ${big.componentId} group by 1),
           l as (select l.resource_id as id, count(*)::int as n from public.likes l
                 join public.proposals x on x.id = l.resource_id where l.resource_type = 'proposal' and x.component_id = ${big.componentId} group by 1),
           c as (select resource_id as id, count(*)::int as n from public.comments
                 where component_id = ${big.componentId} and resource_type = 'proposal' group by 1),
           f as (select f.resource_id as id, count(*)::int as n from public.follows f
                 join public.proposals x on x.id = f.resource_id where f.resource_type = 'proposal' and x.component_id = ${big.componentId} group by 1)
      update public.proposals p
      set supports_count = coalesce(s.n, 0), likes_count = coalesce(l.n, 0), comments_count = coalesce(c.n, 0),
          follows_count = coalesce(f.n, 0), authors_count = 1
      from public.proposals q left join s on s.id = q.id left join l on l.id = q.id left join c on c.id = q.id left join f on f.id = q.id
      where p.id = q.id and q.component_id = ${big.componentId}`;
    return target!.id;
  });
  // The load ran without triggers: the one search index (the list's text filter) is built set-based.
  await sql`select private.search_reindex_type('proposal', array(select id from public.proposals where component_id = ${big.componentId}))`;
  await sql`analyze`;
  const seeded = performance.now();
  const waited = await settleAfterLoad(sql);
  console.log(
    `\nProposals: list and page over ${PROPOSALS.toLocaleString('en')} proposals (seeded in ${((seeded - started) / 1000).toFixed(1)} s; ` +
      `Realtime's replication caught up ${waited.toFixed(1)} s later), ` +
      'through the app’s query modules, one caller',
  );

  const visitor = claimsOf(users[42]!);
  const filters = { ...EMPTY_FILTERS };
  for (const [name, claims, f] of [
    ['list page, 50, visitor, random order', null, filters],
    ['list page, 50, signed in, most supported', visitor, { ...filters, sort: 'most_voted' as const }],
    ['list page, 50, signed in, text filter', visitor, { ...filters, text: 'école', sort: 'recent' as const }],
  ] as const) {
    const r = await measure(1, async () => {
      const page = await listProposals(claims, big.componentId, f, null, 50);
      if (!page || page.items.length !== 50) throw new Error('list page short');
    });
    row(name, r);
  }

  const page = await measure(1, async () => {
    const p = await getProposal(visitor, big.componentId, commented);
    if (!p) throw new Error('no proposal');
    await Promise.all([
      listAmendments(visitor, commented),
      listVersions(visitor, commented),
      listLikers(visitor, commented),
      getThread(visitor, 'proposal', commented, { sort: 'oldest' }),
    ]);
  });
  row('proposal page, 1,000 comments (first 20 shown)', page);
  const best = await measure(1, () => getThread(visitor, 'proposal', commented, { sort: 'best_rated' }));
  row('  its thread alone, best rated', best);

  // (c) Statements per list page ----------------------------------------------------------------
  // A pool of its own whose debug hook sees every statement sent (begin, claims, queries, commit).
  let statements: string[] = [];
  const counting = postgres(databaseUrl, {
    max: 1, prepare: false, onnotice: () => {},
    debug: (_connection: number, query: string) => {
      statements.push(query);
    },
  });
  // Once before counting: a new connection first reads the server's types.
  await listProposals(visitor, big.componentId, filters, null, 10, counting);
  const counts: Record<number, number> = {};
  for (const size of [10, 50, 100]) {
    statements = [];
    const p = await listProposals(visitor, big.componentId, filters, null, size, counting);
    if (!p || p.items.length !== size) throw new Error(`list page of ${size} short`);
    counts[size] = statements.length;
  }
  await counting.end();
  const flat = counts[10] === counts[50] && counts[50] === counts[100];
  console.log(
    `  SQL statements per list page (incl. begin, claims, commit): 10 → ${counts[10]}, 50 → ${counts[50]}, 100 → ${counts[100]}` +
      (flat ? '  (constant)' : '  — GROWS WITH THE PAGE SIZE'),
  );
  if (!flat) process.exitCode = 1;
  return { spaceId: big.spaceId, componentId: big.componentId, proposalId: commented };
}
