/**
 * The page-weight budget, on the production build: what a phone downloads before a page can be
 * used. Bytes do not depend on the machine's speed, so this is a test, not a benchmark.
 */
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { pageWeight } from '../../bench/page-weight.ts';
import { createProposalsComponent } from '../proposals/fixtures.ts';
import { stack } from '../web/helpers.ts';

const SEED = '00000000-0000-4000-8004-000000000010';
const LIST = `/fr/processes/budget-participatif-2027/f/${SEED}`;
const BUDGET = 30 * 1024;

const sql = postgres(stack().databaseUrl, { max: 1, onnotice: () => {} });
afterAll(() => sql.end());

/**
 * A published proposal, with a point (the seed's: they all have one) or without (in a component
 * of this test's own, so the shared seed stays as it is).
 */
async function proposalPage(withMap: boolean): Promise<string> {
  if (withMap) {
    const [row] = await sql<{ id: string }[]>`
      select id from public.proposals
      where component_id = ${SEED} and published_at is not null and hidden_at is null and withdrawn_at is null and latitude is not null
      order by number limit 1`;
    return `${LIST}/proposals/${row!.id}`;
  }
  const f = await createProposalsComponent(sql);
  const [author] = await sql<{ id: string }[]>`select id from public.profiles order by created_at limit 1`;
  const [made] = await sql<{ id: string; slug: string }[]>`
    with p as (
      insert into public.proposals (component_id, space_id, author_id, title, body, published_at)
      values (${f.componentId}, ${f.spaceId}, ${author!.id}, 'Une proposition sans lieu', '<p>Sans adresse ni point sur la carte.</p>', now())
      returning id)
    select p.id, s.slug from p, public.spaces s where s.id = ${f.spaceId}`;
  return `/fr/processes/${made!.slug}/f/${f.componentId}/proposals/${made!.id}`;
}

describe('read-only pages ship at most 30 KB of gzipped JavaScript at load', () => {
  it.each([
    ['home', '/fr/'],
    ['processes', '/fr/processes'],
    ['a process', '/fr/processes/budget-participatif-2027'],
    ['assemblies', '/en/assemblies'],
    ['sign-in', '/fr/sign-in'],
    ['proposals list', LIST],
  ])('%s', async (_name, path) => {
    const w = await pageWeight(stack().siteUrl, path);
    expect(w.status).toBe(200);
    expect(w.jsGzipBytes, w.assets.map((a) => `${a.url} ${a.gzipBytes}`).join('\n')).toBeLessThanOrEqual(BUDGET);
  });

  it('a proposal page without a map', async () => {
    const w = await pageWeight(stack().siteUrl, await proposalPage(false));
    expect(w.status).toBe(200);
    expect(w.jsGzipBytes, w.assets.map((a) => `${a.url} ${a.gzipBytes}`).join('\n')).toBeLessThanOrEqual(BUDGET);
    expect(w.deferred.some((u) => /mapbox/.test(u))).toBe(false);
  });
});

describe('the map', () => {
  it('mapbox-gl is never part of a page load: the map view and a mapped proposal fetch it on demand only', async () => {
    for (const path of [`${LIST}?view=map`, await proposalPage(true)]) {
      const w = await pageWeight(stack().siteUrl, path);
      expect(w.status).toBe(200);
      expect(w.assets.filter((a) => /mapbox/.test(a.url)).map((a) => a.url), path).toEqual([]);
      expect(w.jsGzipBytes, path).toBeLessThanOrEqual(BUDGET);
    }
  });

  it('the list view does not even reference the map bundle', async () => {
    const w = await pageWeight(stack().siteUrl, LIST);
    expect([...w.assets.map((a) => a.url), ...w.deferred].filter((u) => /mapbox/.test(u))).toEqual([]);
  });
});
