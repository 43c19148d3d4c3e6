import type { Browser as Chromium, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { person, proposalsPlace } from '../proposals/page-fixtures.ts';
import { axeViolations } from '../web/axe.ts';
import { launchChromium } from '../web/browser.ts';
import { stack } from '../web/helpers.ts';
import { closeTestDb, testDb } from '../web/spaces-helpers.ts';

/**
 * The address search in the proposal wizard, in a real browser (WebGL through SwiftShader), with
 * no Mapbox token and every request to another host failing the test: typing suggests the demo
 * town's addresses (keyboard: arrows, Enter), choosing one fills the point and moves the map there,
 * a click on the map fills the nearest address, and the page passes axe with the list open.
 */

let chromium: Chromium;
let context: BrowserContext;
const external: string[] = [];

beforeAll(async () => {
  chromium = await launchChromium({ webgl: true });
});
afterAll(async () => {
  await context?.close();
  await chromium?.close();
  await closeTestDb();
});

describe('address search in the wizard', () => {
  it('suggests, chooses by keyboard, moves the map; a click on the map gives the nearest address', async () => {
    const place = await proposalsPlace();
    const author = await person('Adèle Adresse');
    const created = await author.browser.post(`${place.list}/proposals/new?_action=proposals.createProposal`, {
      component_id: place.componentId,
      title: 'Un abri vélo couvert près de la place',
      body: 'Un abri pour une vingtaine de vélos, couvert et éclairé, près de la place.',
    });
    expect(created.status).toBe(303);
    const completePath = /\/proposals\/[0-9a-f-]{36}\/complete$/.exec(created.location ?? '')?.[0];
    expect(completePath).toBeTruthy();

    context = await chromium.newContext({ viewport: { width: 1100, height: 1000 }, bypassCSP: true });
    const host = new URL(stack().siteUrl).hostname;
    await context.addCookies([...author.browser.cookies].map(([name, value]) => ({ name, value, domain: host, path: '/' })));
    await context.route('**/*', (route) => {
      const u = new URL(route.request().url());
      if (['127.0.0.1', 'localhost'].includes(u.hostname) || u.protocol === 'blob:' || u.protocol === 'data:') return route.continue();
      external.push(u.href);
      return route.abort();
    });
    const page = await context.newPage();
    await page.goto(`${stack().siteUrl}${place.list}${completePath!}`, { waitUntil: 'load' });

    const field = page.locator('#field-address');
    await page.waitForSelector('#field-address[role="combobox"]', { timeout: 20_000 });
    await page.waitForSelector('.wizard-map-picker[data-picker-ready="true"]', { timeout: 30_000 });
    await field.click();
    await page.keyboard.type('12 rue des tann', { delay: 20 });
    await page.waitForSelector('#field-address-suggestions [role="option"]', { state: 'visible', timeout: 10_000 });
    expect(await field.getAttribute('aria-expanded')).toBe('true');
    expect(await page.locator('#field-address-suggestions [role="option"]').first().textContent()).toBe('12 Rue des Tanneurs, 18999 Belleville-sur-Loire');
    const findings = await axeViolations(page);
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => field.getAttribute('aria-activedescendant'), { timeout: 5_000 }).toBe('field-address-suggestions-0');
    await page.keyboard.press('Enter');
    expect(await field.inputValue()).toBe('12 Rue des Tanneurs, 18999 Belleville-sur-Loire');
    await expect.poll(() => field.getAttribute('aria-expanded'), { timeout: 5_000 }).toBe('false');
    const [expected] = await testDb()<{ lat: number; lng: number }[]>`select lat, lng from public.addresses where id = '18999_0019_00012'`;
    expect(Number(await page.inputValue('#field-latitude'))).toBeCloseTo(expected!.lat, 5);
    expect(Number(await page.inputValue('#field-longitude'))).toBeCloseTo(expected!.lng, 5);
    await expect.poll(() => page.locator('.address-search [aria-live="polite"]').textContent(), { timeout: 5_000 }).toContain('Adresse choisie : 12 Rue des Tanneurs');
    // The map moved there.
    await expect.poll(() => page.getAttribute('.wizard-map-picker', 'data-picker-center'), { timeout: 5_000 }).toBe(`${expected!.lat},${expected!.lng}`);

    // A click on the map: the nearest address of that point.
    const box = (await page.locator('.wizard-map-picker').boundingBox())!;
    await page.mouse.click(box.x + box.width / 2 + 40, box.y + box.height / 2);
    await page.waitForFunction((before) => (document.getElementById('field-address') as HTMLInputElement).value !== before, '12 Rue des Tanneurs, 18999 Belleville-sur-Loire', { timeout: 10_000 });
    const filled = await field.inputValue();
    expect(filled).toMatch(/^\d+ .+, 18999 Belleville-sur-Loire$/);
    await expect.poll(() => page.locator('.address-search [aria-live="polite"]').textContent(), { timeout: 5_000 }).toContain(`Adresse la plus proche du point : ${filled}`);

    // Sent: the proposal has that address and the clicked point.
    await Promise.all([page.waitForURL(/\/publish$/), page.click('form.wizard-form button[type="submit"]')]);
    const [saved] = await testDb()<{ address: string; latitude: number }[]>`
      select address, latitude from public.proposals where component_id = ${place.componentId}`;
    expect(saved!.address).toBe(filled);
    expect(saved!.latitude).toBeGreaterThan(47.49);
    expect(findings, JSON.stringify(findings, null, 2)).toEqual([]);
    expect(external).toEqual([]);
  }, 90_000);
});
