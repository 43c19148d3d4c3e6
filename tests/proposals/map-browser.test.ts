import type { Browser as Chromium, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../web/browser.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProposalPoint } from '../../src/features/proposals/map.ts';
import { stack } from '../web/helpers.ts';

/*
 * The proposals map in a real browser (headless Chromium, WebGL through SwiftShader), on the
 * development preview page (src/pages/dev/map-preview.astro: 12 fixed points). No token is
 * configured: the map must draw from the platform's own style and never ask another host for
 * anything. Every request is recorded; any request to a host that is not this machine is aborted
 * and fails the test.
 */

let chromiumBrowser: Chromium;
let context: BrowserContext;
let page: Page;
const external: string[] = [];
const local: string[] = [];
const consoleErrors: string[] = [];

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
function isLocal(url: string): boolean {
  const u = new URL(url);
  if (u.protocol === 'blob:' || u.protocol === 'data:') return true;
  return LOCAL_HOSTS.has(u.hostname);
}

const region = '[role="region"].proposals-map';
const attr = (name: string) => page.getAttribute(region, name);
async function waitReady(points: number) {
  await page.waitForSelector(`${region}[data-map-ready="true"][data-map-points="${points}"]`, { timeout: 30_000 });
}
const update = (features: ProposalPoint[]) =>
  page.evaluate((f) => window.dispatchEvent(new CustomEvent('proposals:map-update', { detail: { features: f } })), features);

/** Share of the map's pixels close to a colour (a screenshot decoded in the page itself). */
async function shareOfColour(hex: string): Promise<number> {
  const png = (await page.locator(region).screenshot()).toString('base64');
  return page.evaluate(
    async ({ png, hex }) => {
      const img = new Image();
      img.src = `data:image/png;base64,${png}`;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = img.width;
      c.height = img.height;
      const ctx = c.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      const { data } = ctx.getImageData(0, 0, c.width, c.height);
      const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
      let n = 0;
      for (let i = 0; i < data.length; i += 4) if (Math.abs(data[i]! - r) + Math.abs(data[i + 1]! - g) + Math.abs(data[i + 2]! - b) < 24) n++;
      return n / (data.length / 4);
    },
    { png, hex },
  );
}

beforeAll(async () => {
  // WebGL without a GPU: SwiftShader through ANGLE.
  chromiumBrowser = await launchChromium({ webgl: true });
  context = await chromiumBrowser.newContext({ viewport: { width: 1000, height: 800 } });
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (isLocal(url)) return route.continue();
    external.push(url);
    return route.abort('blockedbyclient');
  });
  page = await context.newPage();
  page.on('request', (req) => {
    if (!isLocal(req.url())) external.push(req.url());
    else local.push(req.url());
  });
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') consoleErrors.push(msg.text());
  });
  page.on('pageerror', (err) => consoleErrors.push(String(err)));
  await page.goto(`${stack().siteUrl}/dev/map-preview`);
  // The page sets bboxParamNames: the island announces the visible area after each move.
  await page.evaluate(() => {
    const w = window as unknown as { bounds: unknown[] };
    w.bounds = [];
    window.addEventListener('proposals:map-bounds', (e) => w.bounds.push((e as CustomEvent).detail));
  });
}, 90_000);

afterAll(async () => {
  await context?.close();
  await chromiumBrowser?.close();
});

describe('proposals map in a real browser, without a Mapbox token', () => {
  it('draws the 12 points of the page, clustered, from the platform style, and asks nothing of any other host', async () => {
    await waitReady(12);
    expect(await attr('aria-label')).toBe('Carte des propositions');
    expect(await page.locator(`${region} canvas.mapboxgl-canvas`).count()).toBe(1);
    expect(local.some((u) => new URL(u).pathname === '/map/style.json')).toBe(true);
    // The 8 close points of the town centre are one cluster, a button with an accessible name.
    await page.waitForSelector('button.proposals-map__cluster[aria-label="8 propositions"]', { timeout: 10_000 });
    expect(await page.textContent('button.proposals-map__cluster[aria-label="8 propositions"]')).toBe('8');
    // mapbox-gl checks the map session once the first frame is complete, and stops drawing when it
    // fails: give it the time to, then look at the pixels.
    await page.waitForTimeout(1500);
    expect(await shareOfColour('#f3f1ec')).toBeGreaterThan(0.05); // the style's background
    expect(await shareOfColour('#e3ecdf')).toBeGreaterThan(0.05); // the districts
    expect(await shareOfColour('#1f5f8b')).toBeGreaterThan(0.0005); // clusters and points
    expect(consoleErrors.filter((m) => /access token|mapbox/i.test(m))).toEqual([]);
    expect(external).toEqual([]);
  }, 60_000);

  it('a click on a cluster zooms in until it splits', async () => {
    await page.click('button.proposals-map__cluster[aria-label="8 propositions"]');
    await page.waitForSelector('button.proposals-map__cluster[aria-label="8 propositions"]', { state: 'detached', timeout: 10_000 });
    await page.waitForFunction(() => (window as unknown as { bounds: unknown[] }).bounds.length > 0);
    const [first] = await page.evaluate(() => (window as unknown as { bounds: { bbox: number[]; params: Record<string, string> }[] }).bounds);
    expect(Object.keys(first!.params).sort()).toEqual(['e', 'n', 's', 'w']);
    const [w, s, e, n] = first!.bbox as [number, number, number, number];
    expect(w).toBeLessThan(2.85);
    expect(e).toBeGreaterThan(2.85);
    expect(s).toBeLessThan(47.5);
    expect(n).toBeGreaterThan(47.5);
    expect(first!.params['w']).toBe(w.toFixed(5));
    expect(external).toEqual([]);
  }, 30_000);

  it('takes live updates: proposals:map-update replaces what the map shows', async () => {
    const town: ProposalPoint[] = [
      { id: 'u1', title: 'Un', href: '/fr/p/u1', lat: 47.49, lng: 2.83 },
      { id: 'u2', title: 'Deux', href: '/fr/p/u2', lat: 47.51, lng: 2.87 },
      { id: 'u3', title: 'Trois', href: '/fr/p/u3', lat: 47.5, lng: 2.85 },
    ];
    await update(town);
    await waitReady(3);
    await update([]);
    await waitReady(0);
    expect(await page.locator('button.proposals-map__cluster').count()).toBe(0);
  }, 30_000);

  it('a click on a point opens a popup whose title links to the proposal', async () => {
    const title = 'Piste cyclable <Saint-Martin> & école';
    // One point: the map centres on it, so it is in the middle of the canvas.
    await update([{ id: 'solo', title, href: '/fr/p/solo', lat: 47.497, lng: 2.812 }]);
    await waitReady(1);
    const box = (await page.locator(`${region} canvas`).boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    const link = page.locator('.mapboxgl-popup a');
    await link.waitFor({ timeout: 10_000 });
    expect(await link.textContent()).toBe(title); // text, never HTML
    expect(await link.getAttribute('href')).toBe('/fr/p/solo');
    expect(await link.getAttribute('title')).toBe('Ouvrir la proposition');
    expect(await page.getAttribute('.mapboxgl-popup-close-button', 'aria-label')).toBe('Fermer');
    expect(external).toEqual([]);
  }, 30_000);
});
