/**
 * Debates figures for `npm run bench`:
 * (a) a debate's page with 2,000 arguments (and 400 replies, one every fifth argument) through HTTP on the built server (one
 *     web process, brotli, as a visitor): p50/p95 for one client and for 16, next to the columns'
 *     query alone (the app's module, as the page runs it) and to `GET /healthz` (HTTP + one query);
 * (b) presence: 1,000 people joining one debate's private channel (RLS authorises each join and
 *     each track: probe rows in realtime.messages) and tracking themselves, as debate pages do;
 *     joins per second, and when every one of them saw all the others; next to the same crowd on a
 *     public channel (no authorisation: the ceiling of the protocol and the fan-out).
 */
import { fork, type ChildProcess } from 'node:child_process';
import type postgres from 'postgres';
import type { Config } from '../src/lib/config.ts';
import { getArgumentColumns } from '../src/features/debates/arguments-queries.server.ts';
import { ensureBuilt } from '../scripts/build.ts';
import { startWeb } from '../scripts/web.ts';
import { pageWeight } from './page-weight.ts';
import type { BenchTools } from './proposals.ts';

const ARGUMENTS = Number(process.env.BENCH_DEBATE_ARGUMENTS ?? 2000);
const REPLIES = Math.round(ARGUMENTS / 5);
const PEOPLE = Number(process.env.BENCH_PRESENCE_PEOPLE ?? 1000);

function rpc<T>(child: ChildProcess, msg: object): Promise<T> {
  return new Promise((resolve) => {
    child.once('message', (m) => resolve(m as T));
    child.send(msg);
  });
}

/** A published assembly with a debates component and one debate of `ARGUMENTS` arguments by 200 people. */
async function seedDebate(sql: postgres.Sql): Promise<{ slug: string; componentId: string; debateId: string }> {
  const started = performance.now();
  const [space] = await sql<{ id: string; slug: string }[]>`
    insert into public.spaces (kind, slug, title, published_at) values ('assembly', ${`bench-debates-${Date.now().toString(36)}`}, '{"fr": "Banc d’essai"}', now())
    returning id, slug`;
  const [component] = await sql<{ id: string }[]>`
    insert into public.components (space_id, feature, name, published_at, settings, phase_settings)
    values (${space!.id}, 'debates', '{"fr": "Débats"}', now(), '{"comments_enabled": true, "comments_max_length": 1000}',
            '{"default": {"creation_enabled": true, "likes_enabled": true}}')
    returning id`;
  await sql`
    insert into auth.users (id, aud, role, email, raw_user_meta_data, raw_app_meta_data, created_at, updated_at)
    select gen_random_uuid(), 'authenticated', 'authenticated', 'bench-debater-' || i || '@example.org', jsonb_build_object('name', 'Débatteur ' || i), '{}', now(), now()
    from generate_series(1, 200) i`;
  const [debate] = await sql<{ id: string }[]>`
    insert into public.debates (component_id, official, title, description)
    values (${component!.id}, true, 'Faut-il piétonniser la rue du Banc-d’Essai ?', '<p>Un débat très animé pour mesurer la page.</p>')
    returning id`;
  await sql`
    with people as (select id, row_number() over () as n from public.profiles where name like 'Débatteur %')
    insert into public.comments (resource_type, resource_id, component_id, author_id, alignment, body, created_at, updated_at)
    select 'debate', ${debate!.id}, ${component!.id}, p.id, (array[1, -1, 1, -1, 0])[1 + i % 5],
           'Argument n° ' || i || ' : la rue serait **plus calme**, mais les commerces doivent rester accessibles.',
           now() - make_interval(secs => ${ARGUMENTS} - i), now() - make_interval(secs => ${ARGUMENTS} - i)
    from generate_series(1, ${ARGUMENTS}) i join people p on p.n = 1 + i % 200`;
  await sql`
    with parents as (select id, row_number() over (order by created_at) as n from public.comments where resource_id = ${debate!.id}),
         people as (select id, row_number() over () as n from public.profiles where name like 'Débatteur %')
    insert into public.comments (resource_type, resource_id, component_id, author_id, parent_id, body)
    select 'debate', ${debate!.id}, ${component!.id}, pe.id, pa.id, 'Une réponse à l’argument.'
    from generate_series(1, ${REPLIES}) i join parents pa on pa.n = 1 + (i * 5) % ${ARGUMENTS} join people pe on pe.n = 1 + (i * 7) % 200`;
  console.log(`  seeded ${ARGUMENTS} arguments and ${REPLIES} replies in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return { slug: space!.slug, componentId: component!.id, debateId: debate!.id };
}

export async function benchDebates(config: Config, sql: postgres.Sql, tools: BenchTools): Promise<void> {
  const { measure, row } = tools;
  console.log(`\nDebates: a debate page with ${ARGUMENTS.toLocaleString('en')} arguments; presence with ${PEOPLE.toLocaleString('en')} people on one debate`);
  const seeded = await seedDebate(sql);

  // (a) the page
  const columns = await measure(1, () => getArgumentColumns(null, seeded.debateId));
  row('the columns’ query alone (3 × 20 latest + replies)', columns);
  await ensureBuilt((l) => console.log(`  ${l}`));
  const web = await startWeb(config, { mode: 'prod', timeoutMs: 60_000 });
  try {
    const seedList = '/fr/assemblies/conseil-citoyen/f/00000000-0000-4000-8004-000000000020';
    const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
    for (const [name, path] of [['debates list (seed)', seedList], ['lively debate page (seed)', `${seedList}/debates/00000000-0000-4000-8010-000000000001`]]) {
      const w = await pageWeight(web.url, path!);
      console.log(`  page weight, ${name!.padEnd(28)} ${String(w.requests).padStart(3)} requests, ${kb(w.gzipBytes)} gzipped, ${kb(w.jsGzipBytes)} of JS gzipped`);
    }
    const page = `${web.url}/fr/assemblies/${seeded.slug}/f/${seeded.componentId}/debates/${seeded.debateId}`;
    const get = (url: string) => async () => {
      const r = await fetch(url, { headers: { 'accept-encoding': 'br, gzip' } });
      await r.arrayBuffer();
      if (r.status !== 200) throw new Error(`${url}: ${r.status}`);
    };
    const one = await measure(1, get(page));
    row(`debate page, ${ARGUMENTS} arguments, 1 client`, one);
    const many = await measure(16, get(page));
    row(`debate page, ${ARGUMENTS} arguments, 16 clients`, many);
    const health = await measure(16, get(`${web.url}/healthz`));
    row('GET /healthz, 16 clients (ceiling)', health);
    console.log(`  ratio debate page / healthz (16 clients): ${(many.perSecond / health.perSecond).toFixed(3)}`);
  } finally {
    await web.stop();
  }

  // (b) presence
  const url = `${config.supabaseUrl.replace(/^http/, 'ws')}/realtime/v1/websocket?apikey=${config.anonKey}&vsn=2.0.0`;
  const here = new URL('./debates-presence-clients.ts', import.meta.url).pathname;
  interface Report { joined: number; tracked: number; refused: number; joinedMs: number; trackedMs: number; convergedMs: number; messages: number }
  const crowd = async (name: string, topic: string, isPrivate: boolean) => {
    const child = fork(here, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    try {
      const r = await rpc<Report>(child, { cmd: 'start', url, count: PEOPLE, topic, token: config.anonKey, private: isPrivate });
      console.log(
        `  ${name.padEnd(44)} ${(r.joined / (r.joinedMs / 1000)).toFixed(0).padStart(6)} joins/s   all joined ${r.joinedMs.toFixed(0)} ms, ` +
          `all tracked ${r.trackedMs.toFixed(0)} ms, all saw all ${r.convergedMs.toFixed(0)} ms   (${r.messages.toLocaleString('en')} messages${r.refused ? `, ${r.refused} refused` : ''})`,
      );
      return r;
    } finally {
      // The clients' process ends there (no answer to wait for).
      child.send({ cmd: 'stop' });
      child.kill();
    }
  };
  const priv = await crowd('debate channel (private: RLS per join)', `realtime:debate:${seeded.debateId}`, true);
  const pub = await crowd('public channel (no authorisation: ceiling)', `realtime:bench-presence-${Date.now()}`, false);
  console.log(`  ratio private / public joins per second: ${(priv.joined / priv.joinedMs / (pub.joined / pub.joinedMs)).toFixed(2)}`);
}
