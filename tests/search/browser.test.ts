import type { Browser as Chromium, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations } from '../web/axe.ts';
import { launchChromium } from '../web/browser.ts';
import { stack } from '../web/helpers.ts';
import { closeTestDb, testDb } from '../web/spaces-helpers.ts';
import { createProposal, createProposalsComponent } from '../proposals/fixtures.ts';

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

  it('a comment is found, named after its proposal, and its link lands on the comment', async () => {
    const db = testDb();
    const word = `grenouillere${Date.now().toString(36)}`;
    // A published proposal in a public space of its own (the seed's rows and counters stay as seeded).
    const f = await createProposalsComponent(db);
    const [author] = await db<{ id: string }[]>`select id from auth.users where email = 'admin@demo.decidons.fr'`;
    const proposalId = await createProposal(db, f, author!.id, { title: `Un ponton sur la rivière ${Date.now().toString(36)}` });
    const [p] = await db<{ id: string; title: string }[]>`select id, title from public.proposals where id = ${proposalId}`;
    const [c] = await db<{ id: string }[]>`
      insert into public.comments (resource_type, resource_id, author_id, body) values ('proposal', ${p!.id}, ${author!.id}, ${`Une ${word} sous le pont`}) returning id`;
    const page = await context.newPage();
    await page.goto(`${stack().siteUrl}/fr/search?q=${word}`, { waitUntil: 'load' });
    await expect(page.getByRole('navigation', { name: 'Types de contenu' }).getByRole('link', { name: 'Commentaires (1)' }).count()).resolves.toBe(1);
    const link = page.locator('.search-hit__title a');
    expect(await link.textContent()).toBe(`Sur « ${p!.title} »`);
    expect(await page.locator('.search-hit__snippet mark').textContent()).toBe(word);
    await Promise.all([page.waitForURL(new RegExp(`/proposals/${p!.id}#comment-${c!.id}$`)), link.click()]);
    await expect(page.locator(`#comment-${c!.id}`).textContent()).resolves.toContain(word);
    await page.close();
  });
});
