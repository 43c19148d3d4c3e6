import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import type { Browser as Chromium, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { person, proposalsPlace, published, type Person, type Place } from '../proposals/page-fixtures.ts';
import { launchChromium } from '../web/browser.ts';
import { stack } from '../web/helpers.ts';
import { closeTestDb, testDb } from '../web/spaces-helpers.ts';

/*
 * The site in a real browser (headless Chromium, WebGL through SwiftShader for the map):
 * - destructive actions ask first, in a modal <dialog> that the keyboard can drive;
 * - the "Commentaires (n)" heading follows the comments that arrive live;
 * - the map's 1.9 MB mapbox-gl is fetched only where a map is wanted, and only then;
 * - axe-core finds no WCAG 2.1 A/AA violation on the main public pages, in French and English.
 */

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
// mapbox-gl's JavaScript (the dev server's pre-bundled dependency, or the production chunk); its
// CSS, linked as a URL, does not count.
const MAPBOX_JS = /\/mapbox-gl[^/]*\.js(\?|$)/;

let chromiumBrowser: Chromium;
let place: Place;
let author: Person;
let reader: Person;
let mapped: string;
const site = () => new URL(stack().siteUrl);

async function contextAs(who: Person | null, opts: { bypassCSP?: boolean } = {}): Promise<BrowserContext> {
  const context = await chromiumBrowser.newContext({ viewport: { width: 1100, height: 900 }, ...opts });
  if (who) await context.addCookies([...who.browser.cookies].map(([name, value]) => ({ name, value, domain: site().hostname, path: '/' })));
  return context;
}

function recordScripts(page: Page): string[] {
  const urls: string[] = [];
  page.on('request', (r) => {
    if (r.resourceType() === 'script' || MAPBOX_JS.test(r.url())) urls.push(r.url());
  });
  return urls;
}

beforeAll(async () => {
  place = await proposalsPlace();
  [author, reader] = await Promise.all([person('Inès Autrice'), person('Tom Lecteur')]);
  mapped = await published(place, author.id, { title: 'Un kiosque place du Marché' });
  await testDb()`update public.proposals set latitude = 47.3941, longitude = 0.6848, address = '3 place du Marché' where id = ${mapped}`;
  chromiumBrowser = await launchChromium({ webgl: true });
}, 90_000);

afterAll(async () => {
  await chromiumBrowser?.close();
  await closeTestDb();
});

describe('destructive actions ask for confirmation', () => {
  it('delete a comment: the dialog opens, cancel keeps it (focus back on the button), confirm deletes it', async () => {
    const id = await published(place, author.id, { title: 'Des jeux pour enfants' });
    const posted = await author.browser.post(`${place.page(id)}?_action=comments.addComment`, {
      resource_type: 'proposal',
      resource_id: id,
      body: 'Un commentaire à supprimer',
    });
    expect(posted.status).toBe(303);
    const commentId = /#comment-([0-9a-f-]{36})$/.exec(posted.location ?? '')![1]!;
    const deletedAt = async () => (await testDb()<{ deleted_at: Date | null }[]>`select deleted_at from public.comments where id = ${commentId}`)[0]!.deleted_at;

    const context = await contextAs(author);
    const page = await context.newPage();
    await page.goto(`${stack().siteUrl}${place.page(id)}`);
    const button = page.locator(`#comment-${commentId} [data-confirm-question]`);
    // With JavaScript the "Je confirme" box is hidden: the dialog asks instead.
    await page.waitForFunction(() => document.documentElement.classList.contains('js-confirm'));
    expect(await page.locator(`#comment-${commentId} [data-confirm-check]`).isVisible()).toBe(false);

    await button.focus();
    await page.keyboard.press('Enter');
    const dialog = page.locator('dialog.confirm-dialog[open]');
    await dialog.waitFor({ timeout: 5_000 });
    expect(await dialog.getAttribute('aria-labelledby')).toBe('confirm-dialog-title');
    expect(await page.textContent('#confirm-dialog-title')).toBe('Confirmer');
    expect(await page.textContent('#confirm-dialog-question')).toBe('Supprimer ce commentaire ? Son texte sera effacé pour de bon.');
    // The safe choice has the focus.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Annuler');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached', timeout: 5_000 }).catch(() => undefined);
    expect(await page.locator('dialog.confirm-dialog[open]').count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-confirm-question'))).toBe('Supprimer ce commentaire ? Son texte sera effacé pour de bon.');
    expect(await deletedAt()).toBeNull();

    // Escape cancels too.
    await button.click();
    await dialog.waitFor({ timeout: 5_000 });
    await page.keyboard.press('Escape');
    expect(await page.locator('dialog.confirm-dialog[open]').count()).toBe(0);
    expect(await deletedAt()).toBeNull();

    await button.click();
    await dialog.waitFor({ timeout: 5_000 });
    await Promise.all([page.waitForURL(/[?#]/), page.click('dialog.confirm-dialog [data-confirm-dialog-ok]')]);
    await expect.poll(deletedAt, { timeout: 10_000 }).not.toBeNull();
    expect(await page.textContent(`#comment-${commentId}`)).toContain('Ce commentaire a été supprimé.');
    await context.close();
  }, 60_000);
});

describe('the live comments heading', () => {
  it('"Commentaires (n)" in another browser follows a comment posted live', async () => {
    const id = await published(place, author.id, { title: 'Un banc à l’ombre' });
    const first = await author.browser.post(`${place.page(id)}?_action=comments.addComment`, { resource_type: 'proposal', resource_id: id, body: 'Premier' });
    expect(first.status).toBe(303);
    const [readerContext, anonymousContext] = await Promise.all([contextAs(reader), contextAs(null)]);
    const pages = await Promise.all([readerContext.newPage(), anonymousContext.newPage()]);
    await Promise.all(pages.map((p) => p.goto(`${stack().siteUrl}${place.page(id)}`)));
    for (const p of pages) {
      await p.waitForSelector('#comments[data-live="on"]', { timeout: 20_000 });
      expect((await p.textContent('#comments-title'))?.trim()).toBe('Commentaires (1)');
    }
    const second = await author.browser.post(`${place.page(id)}?_action=comments.addComment`, { resource_type: 'proposal', resource_id: id, body: 'Deuxième' });
    expect(second.status).toBe(303);
    for (const p of pages) {
      await p.waitForFunction(() => document.querySelector('#comments-title')?.textContent?.trim() === 'Commentaires (2)', undefined, { timeout: 10_000 });
    }
    await Promise.all([readerContext.close(), anonymousContext.close()]);
  }, 60_000);
});

describe('the map loads only where and when it is wanted', () => {
  it('the list view never fetches mapbox-gl', async () => {
    const context = await contextAs(null);
    const page = await context.newPage();
    const scripts = recordScripts(page);
    await page.goto(`${stack().siteUrl}${place.list}`, { waitUntil: 'networkidle' });
    await page.mouse.wheel(0, 4000);
    await page.waitForTimeout(500);
    expect(scripts.filter((u) => MAPBOX_JS.test(u))).toEqual([]);
    await context.close();
  }, 60_000);

  it('a proposal page shows the address and a button; mapbox-gl is fetched on the click, and the map draws', async () => {
    const context = await contextAs(null);
    const page = await context.newPage();
    const scripts = recordScripts(page);
    await page.goto(`${stack().siteUrl}${place.page(mapped)}`, { waitUntil: 'networkidle' });
    const placeholder = page.locator('.proposals-map__placeholder');
    expect(await placeholder.textContent()).toContain('3 place du Marché');
    const show = page.locator('[data-map-show]');
    await show.waitFor({ timeout: 10_000 });
    expect(await show.textContent()).toBe('Afficher la carte');
    await page.waitForTimeout(300);
    expect(scripts.filter((u) => MAPBOX_JS.test(u))).toEqual([]);

    await show.click();
    await page.waitForSelector('.proposals-map[data-map-ready="true"]', { timeout: 30_000 });
    expect(scripts.filter((u) => MAPBOX_JS.test(u)).length).toBeGreaterThan(0);
    // Focus follows the button that disappeared: on the map itself.
    expect(await page.evaluate(() => document.activeElement?.classList.contains('mapboxgl-canvas'))).toBe(true);
    await context.close();
  }, 60_000);

  it('the map view loads it by itself once the map is on screen', async () => {
    const context = await contextAs(null);
    const page = await context.newPage();
    await page.goto(`${stack().siteUrl}${place.list}?view=map`);
    await page.locator('.proposals-map').scrollIntoViewIfNeeded();
    await page.waitForSelector('.proposals-map[data-map-ready="true"][data-map-points="1"]', { timeout: 30_000 });
    await context.close();
  }, 60_000);
});

describe('accessibility (axe-core, WCAG 2.1 A and AA)', () => {
  async function violations(page: Page): Promise<{ id: string; nodes: string[] }[]> {
    await page.addScriptTag({ content: AXE_SOURCE });
    return page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run: (ctx: Document, opts: unknown) => Promise<{ violations: { id: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
      const result = await axe.run(document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
        // A best practice, not a WCAG rule: two landmarks with one name cannot be told apart.
        rules: { 'landmark-unique': { enabled: true } },
      });
      return result.violations.map((v) => ({ id: v.id, nodes: v.nodes.map((n) => JSON.stringify(n.target)) }));
    });
  }

  for (const locale of ['fr', 'en'] as const) {
    it(`home, a process, the proposals list, its map view and a proposal page have no violation (${locale})`, async () => {
      // axe is injected as an inline script, which the site's Content-Security-Policy rightly refuses.
      const context = await contextAs(reader, { bypassCSP: true });
      const page = await context.newPage();
      const l = (path: string) => `${stack().siteUrl}${path.replace(/^\/fr\//, `/${locale}/`)}`;
      const pages: { url: string; ready: string | null; showMap?: boolean }[] = [
        { url: l('/fr/'), ready: null },
        { url: l(`/fr/processes/${place.slug}`), ready: null },
        { url: l(place.list), ready: null },
        { url: l(`${place.list}?view=map`), ready: '.proposals-map[data-map-ready="true"]' },
        { url: l(place.page(mapped)), ready: '#comments[data-live="on"]' },
        // The same page once its map is shown: the map's region and its canvas each have a name.
        { url: l(place.page(mapped)), ready: '#comments[data-live="on"]', showMap: true },
      ];
      const found: Record<string, { id: string; nodes: string[] }[]> = {};
      for (const { url, ready, showMap } of pages) {
        await page.goto(url, { waitUntil: 'networkidle' });
        if (ready?.startsWith('.proposals-map')) await page.locator('.proposals-map').scrollIntoViewIfNeeded();
        if (ready) await page.waitForSelector(ready, { timeout: 30_000 });
        if (showMap) {
          await page.click('[data-map-show]');
          await page.waitForSelector('.proposals-map[data-map-ready="true"]', { timeout: 30_000 });
        }
        const v = await violations(page);
        if (v.length > 0) found[url] = v;
      }
      expect(found).toEqual({});
      await context.close();
    }, 120_000);
  }
});
