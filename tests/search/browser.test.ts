import type { Browser as Chromium, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations } from '../web/axe.ts';
import { launchChromium } from '../web/browser.ts';
import { stack } from '../web/helpers.ts';
import { closeTestDb } from '../web/spaces-helpers.ts';

/**
 * The search in a real browser: from the header's box, by keyboard, to the results page (words
 * highlighted, counts per type, filters), each state read by axe in French and English.
 */

let chromium: Chromium;
let context: BrowserContext;

beforeAll(async () => {
  chromium = await launchChromium();
  // axe is injected as an inline script: the page's CSP would refuse it.
  context = await chromium.newContext({ viewport: { width: 1100, height: 900 }, bypassCSP: true });
});
afterAll(async () => {
  await context?.close();
  await chromium?.close();
  await closeTestDb();
});

describe('the search in a browser', () => {
  it('the header’s box leads, by keyboard, to highlighted results; the page passes axe in both languages', async () => {
    const page = await context.newPage();
    await page.goto(`${stack().siteUrl}/fr/`, { waitUntil: 'load' });
    const box = page.getByRole('searchbox', { name: 'Rechercher sur la plateforme' });
    await box.focus();
    await page.keyboard.type('piste cyclable');
    await Promise.all([page.waitForURL(/\/fr\/search\?q=piste\+cyclable/), page.keyboard.press('Enter')]);
    // The seed's proposals about cycle lanes, the words marked.
    expect(await page.locator('.search-hit').count()).toBeGreaterThan(0);
    expect(await page.locator('.search-hit mark').first().textContent()).toMatch(/pist|cyclab/i);
    await expect(page.getByRole('navigation', { name: 'Types de contenu' }).getByRole('link', { name: /Propositions \(\d+\)/ }).count()).resolves.toBe(1);
    expect(await page.getByRole('searchbox', { name: 'Rechercher sur la plateforme' }).inputValue()).toBe('piste cyclable');
    const findings = [...(await axeViolations(page))];
    for (const path of ['/en/search?q=piste+cyclable', '/fr/search', '/fr/search?q=introuvablezzz', '/fr/search?q=v%C3%A9lo&type=proposal&from=2020-01-01']) {
      await page.goto(`${stack().siteUrl}${path}`, { waitUntil: 'load' });
      findings.push(...(await axeViolations(page)));
    }
    await page.close();
    expect(findings, JSON.stringify(findings, null, 2)).toEqual([]);
  });
});
