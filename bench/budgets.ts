/**
 * Participatory budgets figures for `npm run bench`:
 * (a) checkouts per second with every rule enforced (asUser: RLS, the vote open to the voter,
 *     the workflow's lock, the rule met, the projects' counts locked in order, the broadcasts),
 *     next to a bare INSERT of one row per voter on the same Postgres (the ceiling), as a ratio;
 * (b) the tally of 400,000 votes (40,000 voters × about 10 projects out of 100): reading the
 *     ballots, then greedy and the Method of Equal Shares (with its add1 completion) on them —
 *     CONSUL computes the same statistics in a 30-minute cron; the goals are ≤ 2 s and ≤ 10 s;
 * (c) a budget's projects page over 1,000 projects (50 per page, random order), p50/p95 through
 *     HTTP on the built server, one client and 16.
 */
import postgres from 'postgres';
import type { Config } from '../src/lib/config.ts';
import { asUser, type Claims } from '../src/lib/db/index.ts';
import { tallyEqualShares, tallyGreedy } from '../src/features/budgets/tally.ts';
import { ensureBuilt } from '../scripts/build.ts';
import { startWeb } from '../scripts/web.ts';
import { createBudget, createBudgetsComponent } from '../tests/budgets/fixtures.ts';
import { loadSupport, tallyComponent } from '../workers/budgets/tally.ts';
import type { BenchTools } from './proposals.ts';

const VOTERS = Number(process.env.BENCH_BUDGETS_VOTERS ?? 40_000);
const PROJECTS = 100;
const WRITERS = Number(process.env.BENCH_BUDGETS_WRITERS ?? 16);
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

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export async function benchBudgets(config: Config, sql: postgres.Sql, tools: BenchTools): Promise<void> {
  const { measure, row } = tools;

  // (a) Checkouts per second -------------------------------------------------------------------
  const CHECKOUT_VOTERS = Number(process.env.BENCH_BUDGETS_CHECKOUTS ?? 20_000);
  console.log(`\nParticipatory budgets: checkouts with the rules enforced (${CHECKOUT_VOTERS} voters with a ballot of 5 projects out of 40, ${WRITERS} connections)`);
  const voting = await createBudgetsComponent(sql, { phase: { show_votes: true } });
  const budget = await createBudget(sql, voting, { total: 1_000_000, thresholdPercent: 10 });
  await sql`
    insert into public.projects (budget_id, title, cost, weight)
    select ${budget}, jsonb_build_object('fr', 'Projet ' || i), 10000 + (i * 7919) % 90000, i from generate_series(1, 40) i`;
  const voters = await createUsers(sql, CHECKOUT_VOTERS, 'ballot');
  // Ballots ready to check out, written by the trusted path (the totals kept by the triggers).
  await sql`
    insert into public.ballots (budget_id, user_id)
    select ${budget}, u from unnest(${voters}::uuid[]) u`;
  await sql`
    insert into public.ballot_lines (ballot_id, project_id)
    select b.id, p.id from public.ballots b
    cross join lateral (select id from public.projects where budget_id = ${budget}
                        order by md5(b.id::text || id::text) limit 5) p
    where b.budget_id = ${budget}`;
  const writers = postgres(config.databaseUrl, { max: WRITERS, onnotice: () => {}, prepare: false });
  let next = 0;
  const failures = new Map<string, number>();
  const checkouts = await measure(WRITERS, async () => {
    const user = voters[next++];
    if (!user) throw new Error('the bench ran out of voters: raise BENCH_BUDGETS_CHECKOUTS');
    try {
      const r = await asUser(claimsOf(user), (tx) => tx`update public.ballots set checked_out_at = now() where budget_id = ${budget} and user_id = ${user}`, writers);
      if (r.count !== 1) throw new Error('not checked out');
    } catch (err) {
      const key = (err as { code?: string }).code ?? (err as Error).message;
      failures.set(key, (failures.get(key) ?? 0) + 1);
      throw err;
    }
  });
  row('checkout as the voter (asUser, RLS, rules, counts)', checkouts);
  if (failures.size > 0) console.log(`  refused or failed: ${[...failures].map(([k, n]) => `${k} × ${n}`).join(', ')}`);
  await sql`create table if not exists public.bench_bare_ballots (budget_id uuid not null, user_id uuid not null,
            checked_out_at timestamptz not null default now(), primary key (budget_id, user_id))`;
  next = 0;
  const bare = await measure(WRITERS, async () => {
    const user = voters[next++ % voters.length]!;
    await writers`insert into public.bench_bare_ballots (budget_id, user_id) values (${budget}, ${user}) on conflict do nothing`;
  });
  row('bare INSERT, same unique (budget, voter) (ceiling)', bare);
  console.log(`  ratio checkouts / bare INSERT: ${(checkouts.perSecond / bare.perSecond).toFixed(2)}`);
  const [check] = await sql<{ done: number; wrong: number }[]>`
    select (select count(*)::int from public.ballots where budget_id = ${budget} and checked_out_at is not null) as done,
           (select count(*)::int from public.projects p where p.budget_id = ${budget} and p.votes_count <> (
              select count(*) from public.ballot_lines l join public.ballots b on b.id = l.ballot_id
              where l.project_id = p.id and b.checked_out_at is not null)) as wrong`;
  console.log(`  after the run: ${check!.done} ballots checked out, ${check!.wrong} projects with a wrong count`);
  await sql`drop table public.bench_bare_ballots`;
  await writers.end();

  // (b) The tally of 400,000 votes -------------------------------------------------------------
  console.log(`\nThe tally: ${VOTERS.toLocaleString('en')} voters, ${PROJECTS} projects, about 10 projects per ballot`);
  const big = await createBudgetsComponent(sql);
  const tallied = await createBudget(sql, big, { total: 4_000_000, thresholdPercent: 1 });
  const loadStart = performance.now();
  const people = await createUsers(sql, VOTERS, 'tally');
  await sql.begin(async (tx) => {
    // A bulk load as the table owner: triggers off for the load (the ballots are checked out,
    // their totals and the counts do not matter to the tally).
    await tx`set local session_replication_role = replica`;
    await tx`
      insert into public.projects (budget_id, component_id, title, cost, weight)
      select ${tallied}, ${big.componentId}, jsonb_build_object('fr', 'Projet ' || i), 20000 + (i * 7919) % 180000, i
      from generate_series(1, ${PROJECTS}) i`;
    await tx`
      insert into public.ballots (budget_id, component_id, user_id, checked_out_at, lines_count)
      select ${tallied}, ${big.componentId}, u, now(), 10 from unnest(${people}::uuid[]) u`;
    // Popularity falls with the project's rank (about 10 choices per ballot on average).
    await tx`
      insert into public.ballot_lines (ballot_id, project_id)
      select b.id, p.id from public.ballots b
      join public.projects p on p.budget_id = b.budget_id
      where b.budget_id = ${tallied}
        and (hashtext(b.id::text || p.id::text) & 1023) < 1024 * 0.55 / sqrt(p.weight)`;
  });
  // What autovacuum would have done after such a load: the planner's statistics.
  await sql`analyze public.ballots`;
  await sql`analyze public.ballot_lines`;
  const [{ lines } = { lines: 0 }] = await sql<{ lines: number }[]>`
    select count(*)::int as lines from public.ballot_lines l join public.ballots b on b.id = l.ballot_id where b.budget_id = ${tallied}`;
  console.log(`  loaded ${lines.toLocaleString('en')} votes in ${seconds(performance.now() - loadStart)}`);
  let t = performance.now();
  const counts = await sql.begin((tx) => loadSupport(tx, tallied, false));
  const countsMs = performance.now() - t;
  t = performance.now();
  const { projects, support: ballots } = await sql.begin(async (tx) => {
    await tx`set local work_mem = '64MB'`;
    return loadSupport(tx, tallied, true);
  });
  const readMs = performance.now() - t;
  t = performance.now();
  const greedy = tallyGreedy(counts.projects, counts.support, 4_000_000);
  const greedyMs = performance.now() - t;
  t = performance.now();
  const shares = tallyEqualShares(projects, ballots, 4_000_000);
  const sharesMs = performance.now() - t;
  console.log(`  reading the counts per project (greedy's input)                 ${seconds(countsMs)}`);
  console.log(`  reading the supporters per project (Equal Shares' input)        ${seconds(readMs)}`);
  console.log(`  greedy: votes, ranks, selection                                 ${seconds(greedyMs)} (${greedy.projects.filter((p) => p.proposed).length} projects)`);
  console.log(
    `  Equal Shares with add1 completion                               ${seconds(sharesMs)} (${shares.projects.filter((p) => p.proposed).length} projects, ` +
      `${'rounds' in shares.details ? shares.details.rounds : 0} runs, share ${'initialShare' in shares.details ? shares.details.initialShare.toFixed(0) : 0} → ${'finalShare' in shares.details ? shares.details.finalShare.toFixed(0) : 0} €)`,
  );
  t = performance.now();
  await tallyComponent(sql, big.componentId);
  console.log(`  the budgets.tally job end to end (read, greedy, write)          ${seconds(performance.now() - t)}  — goal ≤ 2 s`);
  await sql`update public.budgets set selection_method = 'equal_shares' where id = ${tallied}`;
  t = performance.now();
  await tallyComponent(sql, big.componentId);
  console.log(`  the same with Equal Shares                                       ${seconds(performance.now() - t)}  — goal ≤ 10 s`);

  // (c) The projects page over 1,000 projects ---------------------------------------------------
  const listed = await createBudgetsComponent(sql);
  const many = await createBudget(sql, listed, { total: 10_000_000 });
  await sql`
    insert into public.projects (budget_id, title, description, cost, weight, latitude, longitude)
    select ${many}, jsonb_build_object('fr', 'Projet n° ' || i || ' : aménager la rue ' || (i % 97)),
           jsonb_build_object('fr', '<p>Planter des arbres, installer des bancs et sécuriser la traversée, projet ' || i || '.</p>'),
           5000 + (i * 7919) % 200000, i, 47.45 + (i % 100) * 0.001, 2.78 + (i % 140) * 0.001
    from generate_series(1, 1000) i`;
  const [space] = await sql<{ slug: string }[]>`select slug from public.spaces where id = ${listed.spaceId}`;
  await ensureBuilt((l) => console.log(`  ${l}`));
  const web = await startWeb(config, { mode: 'prod', timeoutMs: 60_000 });
  try {
    const url = `${web.url}/fr/processes/${space!.slug}/f/${listed.componentId}/budgets/${many}`;
    const get = (u: string) => async () => {
      const r = await fetch(u, { headers: { 'accept-encoding': 'br, gzip' } });
      await r.arrayBuffer();
      if (r.status !== 200) throw new Error(`${u}: ${r.status}`);
    };
    console.log('\nA budget of 1,000 projects through HTTP on the built server (one web process; as a visitor)');
    row('projects page of 50 (random order), 1 client', await measure(1, get(url)));
    row('projects page of 50 (random order), 16 clients', await measure(16, get(url)));
    row('same, cost from 50,000 to 100,000 €, cheapest first, 1 client', await measure(1, get(`${url}?min=50000&max=100000&sort=cost_asc`)));
  } finally {
    await web.stop();
  }
}
