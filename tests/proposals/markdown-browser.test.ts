import type { Browser as Chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../web/browser.ts';
import { stack } from '../web/helpers.ts';
import { closeTestDb } from '../web/spaces-helpers.ts';
import { person, proposalsPlace, type Person, type Place } from './page-fixtures.ts';

/*
 * The Markdown field's preview in a real browser (headless Chromium): typed text, the "Preview"
 * button reached and pressed with the keyboard, the formatted text appears under the field
 * without leaving the page (rendered by the server's endpoint, raw HTML as text), and the polite
 * live region says the preview was updated. Enter in the title still sends the form.
 */

let chromiumBrowser: Chromium;
let place: Place;
let alice: Person;

beforeAll(async () => {
  place = await proposalsPlace();
  alice = await person('Alice Aperçu');
  chromiumBrowser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await chromiumBrowser?.close();
  await closeTestDb();
});

describe('the Markdown preview in a real browser', () => {
  it('type, press Preview with the keyboard: the formatted text appears in place, announced', async () => {
    const site = new URL(stack().siteUrl);
    const context = await chromiumBrowser.newContext();
    await context.addCookies([...alice.browser.cookies].map(([name, value]) => ({ name, value, domain: site.hostname, path: '/' })));
    const page = await context.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(`${r.method()} ${new URL(r.url()).pathname}`));
    await page.goto(`${stack().siteUrl}${place.list}/proposals/new`);
    await page.evaluate(() => {
      (window as unknown as { marked: boolean }).marked = true;
    });
    const button = page.locator('[data-preview-button]');
    expect(await button.textContent()).toContain('Prévisualiser');
    expect(await page.locator('#proposal-body-preview').isHidden()).toBe(true);

    await page.fill('#proposal-title', 'Un titre tapé');
    await page.focus('#proposal-body');
    await page.keyboard.type('Un **jardin** partagé\n\n- des bacs\n\n<img src=x onerror="window.pwned=1">');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.hasAttribute('data-preview-button'))).toBe(true);
    await page.keyboard.press('Enter');

    await page.waitForSelector('#proposal-body-preview strong', { timeout: 10_000 });
    expect(await page.locator('#proposal-body-preview strong').textContent()).toBe('jardin');
    expect(await page.locator('#proposal-body-preview li').textContent()).toBe('des bacs');
    expect(await page.locator('#proposal-body-preview').textContent()).toContain('<img src=x onerror="window.pwned=1">');
    expect(await page.locator('#proposal-body-preview img').count()).toBe(0);
    await page.waitForFunction(() => document.querySelector('[data-preview-status]')?.textContent === 'Aperçu mis à jour.', undefined, { timeout: 5_000 });
    expect(await page.getAttribute('[data-preview-status]', 'role')).toBe('status');
    expect(await page.getAttribute('#proposal-body-preview', 'aria-labelledby')).toBe('proposal-body-preview-title');
    // Same page, nothing lost, nothing run.
    expect(await page.evaluate(() => (window as unknown as { marked?: boolean; pwned?: number }).marked === true && !(window as unknown as { pwned?: number }).pwned)).toBe(true);
    expect(await page.inputValue('#proposal-title')).toBe('Un titre tapé');
    expect(await page.inputValue('#proposal-body')).toContain('Un **jardin** partagé');
    expect(requests).toContain('POST /api/markdown/preview');
    expect(requests.filter((r) => r.startsWith('POST') && !r.includes('/api/markdown/preview'))).toEqual([]);

    // Enter in the title sends the form with its own button, not the preview (the first submit button).
    await page.focus('#proposal-title');
    await Promise.all([page.waitForURL(/\/proposals\/[0-9a-f-]{36}\/complete$/, { timeout: 10_000 }), page.keyboard.press('Enter')]);
    await context.close();
  });
});
