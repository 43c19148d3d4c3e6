/**
 * Surveys figures for `npm run bench`:
 * (a) submissions per second with every rule (form_submit as each person through asUser: the
 *     owner's rules, every answer checked against its question and the display conditions, one
 *     per person through the keyed hash, the counts kept and broadcast), next to a bare INSERT of
 *     one row per submission with the same unique (questionnaire, respondent) on the same Postgres;
 * (b) the admin's results page and the public survey page over 50,000 submissions, through HTTP
 *     on the built server (one web process, brotli), p50/p95 for one client and 16.
 */
import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import type { Config } from '../src/lib/config.ts';
import { asUser, type Claims } from '../src/lib/db/index.ts';
import { ensureBuilt } from '../scripts/build.ts';
import { startWeb } from '../scripts/web.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../supabase/demo-accounts.ts';
import { addCondition, addQuestions, createSurvey, type BuiltQuestion } from '../tests/forms/fixtures.ts';
import type { BenchTools } from './proposals.ts';

const PEOPLE = Number(process.env.BENCH_SURVEY_PEOPLE ?? 20_000);
const WRITERS = Number(process.env.BENCH_SURVEY_WRITERS ?? 16);
const BIG = Number(process.env.BENCH_SURVEY_SUBMISSIONS ?? 50_000);

const claimsOf = (sub: string): Claims => ({ role: 'authenticated', sub, aud: 'authenticated' });

/** The seed's kinds of questions, with a condition: what a submission is checked against. */
export async function questionnaire(sql: postgres.Sql, questionnaireId: string): Promise<BuiltQuestion[]> {
  const q = await addQuestions(sql, questionnaireId, [
    { kind: 'title_and_description' },
    { kind: 'single_option', mandatory: true, options: ['Centre', 'Tanneurs', 'Loire', 'Croix-Verte', 'Saint-Martin'] },
    { kind: 'scale', mandatory: true, scale_max: 5 },
    { kind: 'multiple_option', max_choices: 3, options: ['Bancs', 'Arbres', 'Pistes', 'Jeux', 'Toilettes', { text: 'Autre', free: true }] },
    { kind: 'separator' },
    { kind: 'sorting', options: ['Piétonne', 'Zone 20', 'Plus verte'] },
    { kind: 'matrix_single', mandatory: true, options: ['Très bien', 'Bien', 'Moyen', 'Mal'], rows: ['Propreté', 'Éclairage', 'Transports', 'Sécurité'] },
    { kind: 'matrix_multiple', options: ['Matin', 'Après-midi', 'Soir'], rows: ['Parc', 'Marché', 'Médiathèque'] },
    { kind: 'single_option', mandatory: true, options: ['Souvent', 'Parfois', 'Jamais'] },
    { kind: 'short_answer', max_characters: 200 },
    { kind: 'separator' },
    { kind: 'long_answer', max_characters: 2000 },
  ]);
  await addCondition(sql, q[9]!.id, q[8]!.id, 'equal', { option: q[8]!.options[2] });
  return q;
}

/** A plausible submission, varied by `n`. */
function answers(q: BuiltQuestion[], n: number): Record<string, unknown> {
  const pick = <T>(xs: readonly T[], k: number) => xs[k % xs.length]!;
  const never = n % 3 === 2;
  return {
    [q[1]!.id]: { choices: [{ option: pick(q[1]!.options, n) }] },
    [q[2]!.id]: { value: 1 + (n % 5) },
    [q[3]!.id]: { choices: [{ option: pick(q[3]!.options, n) }, { option: pick(q[3]!.options, n + 2) }] },
    [q[5]!.id]: { ranking: [pick(q[5]!.options, n), pick(q[5]!.options, n + 1), pick(q[5]!.options, n + 2)] },
    [q[6]!.id]: { rows: Object.fromEntries(q[6]!.rows.map((r, i) => [r, [pick(q[6]!.options, n + i)]])) },
    [q[7]!.id]: { rows: { [q[7]!.rows[0]!]: [pick(q[7]!.options, n)] } },
    [q[8]!.id]: { choices: [{ option: q[8]!.options[n % 3] }] },
    ...(never ? { [q[9]!.id]: { text: 'Trop de voitures' } } : {}),
    ...(n % 4 === 0 ? { [q[11]!.id]: { text: `Une idée pour le quartier, numéro ${n}.` } } : {}),
  };
}

async function createUsers(sql: postgres.Sql, n: number): Promise<string[]> {
  const rows = await sql<{ id: string }[]>`
    insert into auth.users (id, aud, role, email, raw_user_meta_data, raw_app_meta_data, created_at, updated_at)
    select gen_random_uuid(), 'authenticated', 'authenticated', 'survey-' || i || '@bench.example.org', jsonb_build_object('name', 'Sondé ' || i), '{}', now(), now()
    from generate_series(1, ${n}) i returning id`;
  return rows.map((r) => r.id);
}

/**
 * `n` submissions written straight into the tables (as a restore would), their counts recounted
 * once from them: the state 50,000 real submissions leave, in seconds instead of minutes.
 */
export async function bulkSubmissions(sql: postgres.Sql, questionnaireId: string, q: BuiltQuestion[], n: number): Promise<void> {
  await sql.begin(async (tx) => {
    await tx`
      create temporary table bench_given on commit drop as
      select gen_random_uuid() as id, i, ${tx.json(q.map((x) => x.id))}::jsonb as ids from generate_series(1, ${n}) i`;
    await tx`
      insert into public.form_responses (id, questionnaire_id, respondent, anonymous, visitor, locale, created_at)
      select g.id, ${questionnaireId}, extensions.gen_random_bytes(32), true, false, 'fr', now() - make_interval(secs => ${n} - g.i)
      from bench_given g`;
    // One JSON document per submission, as form_submit stores it, then spread into rows.
    const docs = await tx<{ id: string; i: number }[]>`select id, i from bench_given order by i`;
    const chunk = 5000;
    for (let start = 0; start < docs.length; start += chunk) {
      const part = docs.slice(start, start + chunk).map((d) => ({ id: d.id, a: answers(q, d.i) }));
      await tx`
        with given as (select (x ->> 'id')::uuid as response, g.key::uuid as question, g.value as a
                       from jsonb_array_elements(${tx.json(part as never)}) x, jsonb_each(x -> 'a') g),
        inserted as (insert into public.form_answers (response_id, question_id, questionnaire_id, body, value)
                     select response, question, ${questionnaireId}::uuid, a ->> 'text', (a ->> 'value')::int from given returning 1)
        insert into public.form_answer_choices (response_id, question_id, questionnaire_id, option_id, row_id, rank, free_text)
        select response, question, ${questionnaireId}::uuid, (e.c ->> 'option')::uuid, null::uuid, null::int, e.c ->> 'free_text' from given, jsonb_array_elements(a -> 'choices') e(c) where a ? 'choices'
        union all
        select response, question, ${questionnaireId}::uuid, t.o::uuid, null::uuid, t.r::int, null::text from given, jsonb_array_elements_text(a -> 'ranking') with ordinality t(o, r) where a ? 'ranking'
        union all
        select response, question, ${questionnaireId}::uuid, o.o::uuid, w.k::uuid, null::int, null::text from given, jsonb_each(a -> 'rows') w(k, v), jsonb_array_elements_text(w.v) o(o) where a ? 'rows'`;
    }
    await tx`
      insert into public.form_tallies (questionnaire_id, key, question_id, count)
      select ${questionnaireId}, key, question_id, n from (
        select 'responses' as key, null::uuid as question_id, count(*)::int as n from public.form_responses where questionnaire_id = ${questionnaireId}
        union all
        select a.question_id::text, a.question_id, count(*)::int from public.form_answers a join public.form_responses r on r.id = a.response_id
        where r.questionnaire_id = ${questionnaireId} group by a.question_id
        union all
        select a.question_id::text || ':' || a.value, a.question_id, count(*)::int from public.form_answers a join public.form_responses r on r.id = a.response_id
        where r.questionnaire_id = ${questionnaireId} and a.value is not null group by a.question_id, a.value
        union all
        select c.question_id::text || ':' || case when c.row_id is not null then c.row_id::text || ':' || c.option_id::text
                                                  when c.rank is not null then c.option_id::text || ':' || c.rank else c.option_id::text end,
               c.question_id, count(*)::int
        from public.form_answer_choices c join public.form_responses r on r.id = c.response_id
        where r.questionnaire_id = ${questionnaireId} group by 1, 2) t
      on conflict (questionnaire_id, key) do update set count = public.form_tallies.count + excluded.count`;
  });
  await sql`analyze public.form_responses, public.form_answers, public.form_answer_choices, public.form_tallies`;
}

/** The session cookies of a person signed in through the site's own form. */
async function signIn(site: string, email: string): Promise<string> {
  const res = await fetch(`${site}/fr/sign-in?_action=accounts.signInWithPassword`, {
    method: 'POST',
    body: new URLSearchParams({ email, password: DEMO_PASSWORD }),
    headers: { origin: site },
    redirect: 'manual',
  });
  if (res.status !== 303) throw new Error(`sign-in refused: ${res.status}`);
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .filter((c) => !c.endsWith('='))
    .join('; ');
}

export async function benchSurveys(config: Config, sql: postgres.Sql, databaseUrl: string, tools: BenchTools): Promise<void> {
  const { measure, row } = tools;

  // (a) Submissions per second -------------------------------------------------------------------
  console.log(`\nSurveys: submissions with every rule (${PEOPLE} people, 10 questions of every kind and a condition; ${WRITERS} connections)`);
  const live = await createSurvey(sql);
  const q = await questionnaire(sql, live.questionnaireId);
  const people = await createUsers(sql, PEOPLE);
  const writers = postgres(databaseUrl, { max: WRITERS, onnotice: () => {}, prepare: false });
  let next = 0;
  const validated = await measure(WRITERS, async () => {
    const n = next++;
    if (n >= people.length) throw new Error('the bench ran out of people: raise BENCH_SURVEY_PEOPLE');
    await asUser(claimsOf(people[n]!), (tx) => tx`select public.form_submit(${live.questionnaireId}, ${tx.json(answers(q, n) as never)})`, writers);
  });
  row('submission as the person (form_submit, every rule)', validated);

  await sql`create table if not exists public.bench_bare_responses (questionnaire_id uuid not null, respondent bytea not null,
            answers jsonb not null, created_at timestamptz not null default now(), primary key (questionnaire_id, respondent))`;
  let bareNext = 0;
  const bare = await measure(WRITERS, async () => {
    const n = bareNext++;
    await writers`insert into public.bench_bare_responses (questionnaire_id, respondent, answers)
                  values (${live.questionnaireId}, ${Buffer.from(randomUUID())}, ${writers.json(answers(q, n) as never)})`;
  });
  row('bare INSERT of the answers as one row, same unique', bare);
  console.log(`  ratio validated / bare: ${(validated.perSecond / bare.perSecond).toFixed(2)}`);
  const [check] = await sql<{ responses: number; kept: number; wrong: number }[]>`
    select (select count(*)::int from public.form_responses where questionnaire_id = ${live.questionnaireId}) as responses,
           (select count from public.form_tallies where questionnaire_id = ${live.questionnaireId} and key = 'responses') as kept,
           (select count(*)::int from (select person_id from public.form_responses where questionnaire_id = ${live.questionnaireId} group by 1 having count(*) > 1) x) as wrong`;
  console.log(`  after the run: ${check!.responses} submissions, count kept ${check!.kept}, ${check!.wrong} people with more than one`);
  await writers.end();
  await sql`drop table public.bench_bare_responses`;

  // (b) Results over 50,000 submissions, through HTTP -----------------------------------------------
  const big = await createSurvey(sql);
  const bq = await questionnaire(sql, big.questionnaireId);
  const started = performance.now();
  await bulkSubmissions(sql, big.questionnaireId, bq, BIG);
  console.log(`\nSurveys: results over ${BIG.toLocaleString('en')} submissions (loaded in ${((performance.now() - started) / 1000).toFixed(1)} s)`);
  // The organization admin (Claire) manages every space; the public sees the choice questions live.
  await sql`update public.form_questionnaires set results_published_at = now(), results_live = true where id = ${big.questionnaireId}`;
  await sql`update public.form_questions set results_published = kind not in ('short_answer', 'long_answer') where questionnaire_id = ${big.questionnaireId}`;
  await ensureBuilt((l) => console.log(`  ${l}`));
  const web = await startWeb(config, { mode: 'prod', timeoutMs: 60_000 });
  try {
    const cookie = await signIn(web.url, DEMO_ACCOUNTS[0].email);
    const get = (url: string, headers: Record<string, string> = {}) => async () => {
      const r = await fetch(url, { headers: { 'accept-encoding': 'br, gzip', ...headers } });
      await r.arrayBuffer();
      if (r.status !== 200) throw new Error(`${url}: ${r.status}`);
    };
    const admin = `${web.url}/fr/admin/spaces/${big.spaceId}/components/${big.componentId}/survey/results`;
    const publicPage = `${web.url}/fr/processes/${big.slug}/f/${big.componentId}`;
    console.log('Through HTTP on the built server (one web process; brotli)');
    row('admin results page (signed in), 1 client', await measure(1, get(admin, { cookie })));
    row('admin results page (signed in), 16 clients', await measure(16, get(admin, { cookie })));
    row('public survey page with live results, 1 client', await measure(1, get(publicPage)));
    row('public survey page with live results, 16 clients', await measure(16, get(publicPage)));
  } finally {
    await web.stop();
  }
}
