import { randomUUID } from 'node:crypto';
import type { Browser as Chromium, BrowserContext } from 'playwright-core';
import { launchChromium } from '../web/browser.ts';
import type postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asUser } from '../../src/lib/db/index.ts';
import { userClaims } from '../db/fixtures.ts';
import { connectTestDb } from '../helpers/db.ts';
import { createConfirmedUser, signedIn, stack, type Browser } from '../web/helpers.ts';
import { createProposal, createProposalsComponent, createUsers, support, type ProposalsFixture } from './fixtures.ts';

/*
 * The proposals list in real browsers (headless Chromium): two pages open on the list, one signed
 * in and one anonymous; a support written in the database as a real user moves the count on both
 * without reload and is announced; a new proposal is announced and inserted on request; a hidden
 * one disappears; the filter being typed is kept. The map view shows exactly the proposals of the
 * current filter that have a point, and follows new ones live.
 */

let sql: postgres.Sql;
let f: ProposalsFixture;
let path: string;
let chromiumBrowser: Chromium;
let reader: Browser;
let author: string;
let supporters: string[];
const p: Record<string, string> = {};
const tax = { a: randomUUID(), b: randomUUID() };

beforeAll(async () => {
  sql = connectTestDb();
  f = await createProposalsComponent(sql, { settings: { threshold_per_proposal: 5, default_sort: 'recent' } });
  const [space] = await sql<{ slug: string }[]>`select slug from public.spaces where id = ${f.spaceId}`;
  path = `/fr/processes/${space!.slug}/f/${f.componentId}`;
  await sql`insert into public.taxonomies (id, name) values (${tax.a}, ${sql.json({ fr: 'Quartier A' })}), (${tax.b}, ${sql.json({ fr: 'Quartier B' })})`;
  [author, ...supporters] = (await createUsers(sql, 3, 'livelist')) as [string, ...string[]];
  p['un'] = await createProposal(sql, f, author, { title: 'Première proposition en direct', taxonomyId: tax.a, latitude: 47.5, longitude: 2.85 });
  p['deux'] = await createProposal(sql, f, author, { title: 'Deuxième proposition en direct', taxonomyId: tax.b, latitude: 47.51, longitude: 2.86 });
  p['trois'] = await createProposal(sql, f, author, { title: 'Troisième proposition en direct', taxonomyId: tax.b, latitude: 47.49, longitude: 2.84 });
  p['quatre'] = await createProposal(sql, f, author, { title: 'Quatrième proposition, sans adresse', taxonomyId: tax.a });
  const r = await createConfirmedUser({ name: 'Rita Lit' });
  reader = await signedIn(r.email, r.password);
  chromiumBrowser = await launchChromium({ webgl: true });
}, 90_000);

afterAll(async () => {
  await chromiumBrowser?.close();
  await sql.end();
});

async function contexts(): Promise<[BrowserContext, BrowserContext]> {
  const site = new URL(stack().siteUrl);
  const signedInContext = await chromiumBrowser.newContext({ viewport: { width: 1000, height: 900 } });
  await signedInContext.addCookies([...reader.cookies].map(([name, value]) => ({ name, value, domain: site.hostname, path: '/' })));
  const anonymousContext = await chromiumBrowser.newContext({ viewport: { width: 1000, height: 900 } });
  return [signedInContext, anonymousContext];
}

describe('the live list in a real browser', () => {
  it('a support moves the count on every open page, announced; new proposals are offered; hidden ones disappear', async () => {
    const [c1, c2] = await contexts();
    try {
      const [one, two] = await Promise.all([c1.newPage(), c2.newPage()]);
      await Promise.all([one.goto(`${stack().siteUrl}${path}`), two.goto(`${stack().siteUrl}${path}`)]);
      await Promise.all([
        one.waitForSelector('#proposals[data-live="on"]', { timeout: 20_000 }),
        two.waitForSelector('#proposals[data-live="on"]', { timeout: 20_000 }),
      ]);
      await one.fill('#proposals-q', 'un filtre en cours de saisie');
      const card = `#proposal-${p['deux']} [data-count="supports"]`;
      expect(await two.getAttribute(card, 'data-value')).toBe('0');

      await support(sql, supporters[0]!, p['deux']!);
      for (const page of [one, two]) {
        await page.waitForSelector(`${card}[data-value="1"]`, { timeout: 10_000 });
        expect(await page.textContent(`${card} [data-count-text]`)).toBe('1 soutien');
        expect(await page.getAttribute(`${card} progress`, 'value')).toBe('1');
        await page.waitForFunction(() => /Proposition n° \d+ : 1 soutien/.test(document.querySelector('[data-proposals-live-region]')?.textContent ?? ''));
      }
      await support(sql, supporters[1]!, p['deux']!);
      await two.waitForSelector(`${card}[data-value="2"]`, { timeout: 10_000 });
      expect(await one.inputValue('#proposals-q')).toBe('un filtre en cours de saisie');

      // A new proposal: announced, inserted on request.
      const fresh = await createProposal(sql, f, author, { title: 'Une toute nouvelle proposition', latitude: 47.502, longitude: 2.851 });
      for (const page of [one, two]) {
        await page.waitForSelector('[data-proposals-new]:not([hidden])', { timeout: 10_000 });
        expect(await page.textContent('[data-proposals-new-text]')).toBe('Une nouvelle proposition');
        await page.waitForFunction(() => (document.querySelector('[data-proposals-live-region]')?.textContent ?? '').includes('Une nouvelle proposition'));
      }
      await two.click('[data-proposals-new-show]');
      await two.waitForSelector(`#proposal-${fresh}`);
      expect(await two.textContent(`#proposal-${fresh} h3`)).toBe('Une toute nouvelle proposition');
      expect(await two.isHidden('[data-proposals-new]')).toBe(true);
      await two.waitForFunction(() => (document.querySelector('[data-proposals-count]')?.textContent ?? '') === '5 propositions');

      // An answer: the card is fetched again (state badge).
      await sql`update public.proposals set state_id = ${f.states['accepted']!}, answered_at = now() where id = ${p['un']!}`;
      await two.waitForSelector(`#proposal-${p['un']} [data-state="accepted"]`, { timeout: 10_000 });

      // Hidden by moderation: gone from both pages.
      await sql`update public.proposals set hidden_at = now() where id = ${p['trois']!}`;
      for (const page of [one, two]) await page.waitForSelector(`#proposal-${p['trois']}`, { state: 'detached', timeout: 10_000 });
      expect(await one.inputValue('#proposals-q')).toBe('un filtre en cours de saisie');
      // Withdrawn by its author: gone too.
      await asUser(userClaims(author), (tx) => tx`update public.proposals set withdrawn_at = now() where id = ${p['quatre']!}`, sql);
      for (const page of [one, two]) await page.waitForSelector(`#proposal-${p['quatre']}`, { state: 'detached', timeout: 10_000 });
      await sql`update public.proposals set hidden_at = null where id = ${p['trois']!}`;
      await sql`update public.proposals set hidden_at = now() where id = ${fresh}`;
    } finally {
      await c1.close();
      await c2.close();
    }
  }, 90_000);

  it('the map view shows exactly the proposals of the filter that have a point, and follows new ones', async () => {
    const [c1, c2] = await contexts();
    try {
      const page = await c2.newPage();
      const region = '[role="region"].proposals-map';
      // mapbox-gl is fetched once the map is about to be seen: bring it on screen after each load.
      const showMap = () => page.locator(region).scrollIntoViewIfNeeded();
      const expected = async (where: string) => {
        const [row] = await sql<{ n: number }[]>`
          select count(*)::int as n from public.proposals p
          where p.component_id = ${f.componentId} and p.published_at is not null and p.hidden_at is null and p.withdrawn_at is null
            and p.amends_id is null and p.latitude is not null ${where === 'b' ? sql`and p.taxonomy_id = ${tax.b}` : sql``}`;
        return row!.n;
      };
      const all = await expected('all');
      expect(all).toBeGreaterThan(1);
      await page.goto(`${stack().siteUrl}${path}?view=map`);
      await showMap();
      await page.waitForSelector(`${region}[data-map-ready="true"][data-map-points="${all}"]`, { timeout: 30_000 });
      await page.waitForSelector('#proposals[data-live="on"]', { timeout: 20_000 });

      // Another filter (the GET form): the map changes with it.
      await page.selectOption('#proposals-taxonomy', tax.b);
      await Promise.all([page.waitForURL(/taxonomy=/), page.click('#proposals-filters button[type="submit"]')]);
      const inB = await expected('b');
      expect(inB).toBeGreaterThan(0);
      expect(inB).toBeLessThan(all);
      await showMap();
      await page.waitForSelector(`${region}[data-map-ready="true"][data-map-points="${inB}"]`, { timeout: 30_000 });
      expect(page.url()).toContain('view=map');

      // Live: a new proposal of this filter with a point joins the map; one of another filter does not.
      await createProposal(sql, f, author, { title: 'Autre quartier, pas sur cette carte', taxonomyId: tax.a, latitude: 47.5, longitude: 2.8 });
      await createProposal(sql, f, author, { title: 'Nouvelle au quartier B', taxonomyId: tax.b, latitude: 47.505, longitude: 2.855 });
      await page.waitForSelector(`${region}[data-map-points="${inB + 1}"]`, { timeout: 15_000 });
      expect(await expected('b')).toBe(inB + 1);
      await page.waitForTimeout(500);
      expect(await page.getAttribute(region, 'data-map-points')).toBe(String(inB + 1));

      // "Search this area": the visible box becomes the filter (real SQL on the server).
      const link = await page.waitForSelector('[data-search-area]:not([hidden])', { timeout: 15_000 });
      const href = (await link.getAttribute('href')) ?? '';
      const box = new URL(href, stack().siteUrl).searchParams;
      for (const k of ['s', 'w', 'n', 'e']) expect(box.get(k)).toMatch(/^-?\d+\.\d+$/);
      await Promise.all([page.waitForURL(/[?&]s=/), link.click()]);
      await page.waitForSelector('text=Limitées à une zone de la carte.');
      await showMap();
      const [inBox] = await sql<{ n: number }[]>`
        select count(*)::int as n from public.proposals p
        where p.component_id = ${f.componentId} and p.published_at is not null and p.hidden_at is null and p.withdrawn_at is null
          and p.amends_id is null and p.taxonomy_id = ${tax.b}
          and public.geo_in_box(p.latitude, p.longitude, ${Number(box.get('s'))}, ${Number(box.get('w'))}, ${Number(box.get('n'))}, ${Number(box.get('e'))})`;
      await page.waitForSelector(`${region}[data-map-ready="true"][data-map-points="${inBox!.n}"]`, { timeout: 30_000 });
      expect(await page.getAttribute('[data-proposals-count]', 'data-total')).toBe(String(inBox!.n));
    } finally {
      await c1.close();
      await c2.close();
    }
  }, 120_000);
});
