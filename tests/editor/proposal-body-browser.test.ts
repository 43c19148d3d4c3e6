import type { Browser as Chromium, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../src/lib/markdown/index.ts';
import { person, proposalsPlace, published, type Person } from '../proposals/page-fixtures.ts';
import { launchChromium } from '../web/browser.ts';
import { stack } from '../web/helpers.ts';
import { closeTestDb, testDb } from '../web/spaces-helpers.ts';

/*
 * A proposal's body with the rich-text editor (the component's rich_text_editor_in_public_views):
 * the participant formats with the toolbar, the form posts Markdown as always, and the stored
 * body is the HTML the server renders from it. Off (the default), the page has the plain
 * Markdown textarea and loads none of the editor. An amendment's body gets the same editor, fetched
 * only when its folded form is opened.
 */

let chromium: Chromium;
let author: Person;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  author = await person('Éloïse Enrichie');
  chromium = await launchChromium();
}, 60_000);

afterAll(async () => {
  for (const c of contexts) await c.close();
  await chromium?.close();
  await closeTestDb();
});

async function pageAs(p: Person) {
  const site = new URL(stack().siteUrl);
  const context = await chromium.newContext();
  contexts.push(context);
  await context.addCookies([...p.browser.cookies].map(([name, value]) => ({ name, value, domain: site.hostname, path: '/' })));
  return context.newPage();
}

describe('the proposal body with the rich-text editor', () => {
  it('formats with the toolbar and stores the HTML the server renders from the posted Markdown', async () => {
    const place = await proposalsPlace({ rich_text_editor_in_public_views: true });
    const page = await pageAs(author);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${stack().siteUrl}${place.list}/proposals/new`);
    const editor = page.locator('.rich-text-editor__content');
    await editor.waitFor({ timeout: 20_000 });
    expect(await page.isHidden('#proposal-body')).toBe(true);
    // Labelled by the field's label; no heading buttons (the subset has no headings).
    const labelId = await editor.getAttribute('aria-labelledby');
    expect(await page.locator(`#${labelId}`).innerText()).toContain('Votre proposition');
    expect(await page.locator('[data-command="heading2"]').count()).toBe(0);
    expect(await editor.getAttribute('aria-required')).toBe('true');

    await page.fill('#proposal-title', 'Des fontaines dans chaque quartier');
    await editor.click();
    await page.keyboard.type('Installer des fontaines ');
    await page.click('[data-command="bold"]');
    await page.keyboard.type('potables');
    await page.click('[data-command="bold"]');
    await page.keyboard.type(' dans les parcs, pour tout le monde.');
    await page.keyboard.press('Enter');
    await page.click('[data-command="bulletList"]');
    await page.keyboard.type('au parc du Moulin');
    await page.keyboard.press('Enter');
    await page.keyboard.type('square Victor-Hugo');

    const markdown = await page.locator('#proposal-body').inputValue();
    expect(markdown).toBe('Installer des fontaines **potables** dans les parcs, pour tout le monde.\n\n-   au parc du Moulin\n-   square Victor-Hugo');
    // The body counter follows the editor (it listens to the textarea).
    await expect.poll(() => page.locator('[data-body-counter]').isVisible(), { timeout: 5_000 }).toBe(true);

    await Promise.all([
      page.waitForURL((u) => !u.pathname.endsWith('/proposals/new'), { timeout: 20_000 }),
      page.locator('form.wizard-form .form__actions button[type="submit"]').click(),
    ]);
    const [row] = await testDb()<{ body: string }[]>`
      select body from public.proposals where component_id = ${place.componentId} and author_id = ${author.id}`;
    // What the server renders from the posted Markdown (its line breaks between blocks aside).
    expect(row?.body).toBe(renderMarkdown(markdown).replace(/>\n</g, '><'));
    expect(row?.body).toBe('<p>Installer des fontaines <strong>potables</strong> dans les parcs, pour tout le monde.</p><ul><li>au parc du Moulin</li><li>square Victor-Hugo</li></ul>');
    expect(errors).toEqual([]);
  }, 60_000);

  it('an amendment’s body: the editor is fetched when its form is opened, and posts Markdown as the proposal’s does', async () => {
    const place = await proposalsPlace({ rich_text_editor_in_public_views: true });
    const proposer = await person('Paul Proposant');
    const id = await published(place, proposer.id, { title: 'Des arbres rue Basse', body: '<p>Planter des arbres rue Basse.</p>' });
    const page = await pageAs(author);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    const scripts: string[] = [];
    page.on('request', (r) => {
      if (r.resourceType() === 'script') scripts.push(r.url());
    });
    await page.goto(`${stack().siteUrl}${place.page(id)}`);
    await page.waitForLoadState('networkidle');
    // Folded: the page has not fetched the editor.
    expect(scripts.filter((u) => /MarkdownRichTextEditor|editor-core/.test(u))).toEqual([]);
    expect(await page.locator('.rich-text-editor').count()).toBe(0);

    await page.locator('.proposal-amend summary').click();
    const editor = page.locator('.proposal-amend .rich-text-editor__content');
    await editor.waitFor({ timeout: 20_000 });
    expect(scripts.some((u) => /MarkdownRichTextEditor/.test(u))).toBe(true);
    expect(await page.isHidden('#amendment-body')).toBe(true);
    expect(await editor.innerText()).toContain('Planter des arbres rue Basse.');
    await editor.click();
    await page.keyboard.press('End');
    await page.keyboard.type(' Et des ');
    await page.click('.proposal-amend [data-command="bold"]');
    await page.keyboard.type('fruitiers');
    expect(await page.locator('#amendment-body').inputValue()).toBe('Planter des arbres rue Basse. Et des **fruitiers**');

    await Promise.all([
      page.waitForURL((u) => u.searchParams.get('status') === 'amended', { timeout: 20_000 }),
      page.locator('.proposal-amend .form__actions button[type="submit"]').click(),
    ]);
    const [row] = await testDb()<{ body: string }[]>`select body from public.proposals where amends_id = ${id}`;
    expect(row?.body).toBe('<p>Planter des arbres rue Basse. Et des <strong>fruitiers</strong></p>');
    expect(errors).toEqual([]);
  }, 60_000);

  it('off by default: the Markdown textarea, and none of the editor', async () => {
    const place = await proposalsPlace();
    const page = await pageAs(author);
    const scripts: string[] = [];
    page.on('request', (r) => {
      if (r.resourceType() === 'script') scripts.push(r.url());
    });
    await page.goto(`${stack().siteUrl}${place.list}/proposals/new`);
    await page.waitForLoadState('networkidle');
    expect(await page.isVisible('#proposal-body')).toBe(true);
    expect(await page.locator('.rich-text-editor').count()).toBe(0);
    expect(scripts.filter((u) => /Editor|tiptap/i.test(u))).toEqual([]);
  }, 60_000);
});
