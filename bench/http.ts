/**
 * The site as visitors get it: the production build behind compression (what `npm start` runs),
 * over HTTP.
 * (a) page weight of the main pages — requests, bytes, gzipped JS at load, and what is fetched
 *     later on demand (the map's bundle);
 * (b) server time p50/p95 of the proposal page with 1,000 comments and of the list over 10,000
 *     proposals, one client, and the requests per second one web process sustains for each at
 *     16 concurrent clients.
 */
import type postgres from 'postgres';
import type { Config } from '../src/lib/config.ts';
import { ensureBuilt } from '../scripts/build.ts';
import { startWeb } from '../scripts/web.ts';
import type { BenchTools } from './proposals.ts';
import type { BigComponent } from './proposals.ts';
import { pageWeight } from './page-weight.ts';

const SEED_PROPOSALS = '/fr/processes/budget-participatif-2027/f/00000000-0000-4000-8004-000000000010';
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

export async function benchHttp(config: Config, sql: postgres.Sql, big: BigComponent, tools: BenchTools): Promise<void> {
  const { measure, row } = tools;
  await ensureBuilt((l) => console.log(`  ${l}`));
  const web = await startWeb(config, { mode: 'prod', timeoutMs: 60_000 });
  try {
    const [seeded] = await sql<{ id: string; mapped: string }[]>`
      select (select id from public.proposals where component_id = '00000000-0000-4000-8004-000000000010'
                and published_at is not null and latitude is null and hidden_at is null order by number limit 1) as id,
             (select id from public.proposals where component_id = '00000000-0000-4000-8004-000000000010'
                and published_at is not null and latitude is not null and hidden_at is null order by number limit 1) as mapped`;
    const pages: [string, string][] = [
      ['home', '/fr/'],
      ['processes list', '/fr/processes'],
      ['proposals list', SEED_PROPOSALS],
      ...(seeded?.id ? ([['proposal page, no map', `${SEED_PROPOSALS}/proposals/${seeded.id}`]] as [string, string][]) : []),
      ...(seeded?.mapped ? ([['proposal page, with a map', `${SEED_PROPOSALS}/proposals/${seeded.mapped}`]] as [string, string][]) : []),
      ['proposals map view', `${SEED_PROPOSALS}?view=map`],
    ];
    console.log('\nPage weight on the production build (as a visitor; gzip as sent; "later" = fetched on demand, not at load)');
    console.log(`  ${'page'.padEnd(28)} ${'requests'.padStart(8)} ${'bytes'.padStart(10)} ${'gzipped'.padStart(10)} ${'JS gzipped'.padStart(11)} ${'later'.padStart(10)}`);
    for (const [name, path] of pages) {
      const w = await pageWeight(web.url, path);
      console.log(
        `  ${name.padEnd(28)} ${String(w.requests).padStart(8)} ${kb(w.bytes).padStart(10)} ${kb(w.gzipBytes).padStart(10)} ${kb(w.jsGzipBytes).padStart(11)} ${kb(w.deferredJsGzipBytes).padStart(10)}${w.status === 200 ? '' : `  (HTTP ${w.status})`}`,
      );
    }

    const [space] = await sql<{ slug: string }[]>`select slug from public.spaces where id = ${big.spaceId}`;
    const base = `${web.url}/fr/processes/${space!.slug}/f/${big.componentId}`;
    const get = (url: string) => async () => {
      const r = await fetch(url, { headers: { 'accept-encoding': 'br, gzip' } });
      await r.arrayBuffer();
      if (r.status !== 200) throw new Error(`${url}: ${r.status}`);
    };
    console.log('\nThrough HTTP on the built server (one web process; brotli; as a visitor)');
    for (const [name, url] of [
      ['proposal page, 1,000 comments', `${base}/proposals/${big.proposalId}`],
      ['list page of 50 over 10,000 proposals (random order)', base],
    ] as const) {
      row(`${name}, 1 client`, await measure(1, get(url)));
      row(`${name}, 16 clients`, await measure(16, get(url)));
    }
    const health = await measure(16, get(`${web.url}/healthz`));
    row('GET /healthz, 16 clients (HTTP + one query ceiling)', health);
  } finally {
    await web.stop();
  }
}
