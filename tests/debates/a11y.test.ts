import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser as Chromium, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../web/browser.ts';
import { createConfirmedUser, signedIn, stack, type Browser } from '../web/helpers.ts';
import { claire, closeTestDb, testDb } from '../web/spaces-helpers.ts';
import { debatesPlace, insertDebate, type Place } from './place.ts';

/*
 * The debates' pages the accessibility crawl (tests/a11y/crawl.test.ts) cannot reach from the
 * seed: an author's edit and close forms, a debate's versions, the admin's forms for an official
 * debate and for managing one, forms refused with their errors, the withdraw dialog open — each
 * through axe-core in a real browser, WCAG 2.1 A and AA, in French and English.
 */

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

let chromium: Chromium;
let place: Place;
let debateId: string;
let officialId: string;
let author: Browser;
let admin: Browser;

beforeAll(async () => {
  place = await debatesPlace();
  const a = await createConfirmedUser({ name: 'Ana Autrice' });
  [author, admin] = await Promise.all([signedIn(a.email, a.password), claire()]);
  debateId = await insertDebate(place, a.id, { title: 'Faut-il ouvrir la cour de l’école le dimanche ?' });
  await testDb()`update public.debates set title = 'Faut-il ouvrir la cour de l’école le samedi ?' where id = ${debateId}`;
  officialId = await insertDebate(place, null, { official: true, title: 'Un débat officiel minuté', startsAt: new Date(Date.now() - 3600_000), endsAt: new Date(Date.now() + 3600_000) });
  chromium = await launchChromium();
}, 90_000);

afterAll(async () => {
  await chromium?.close();
  await closeTestDb();
});

async function pageAs(who: Browser): Promise<Page> {
  const site = new URL(stack().siteUrl);
  // axe is injected as a script: the page's own CSP (hashes of its scripts) would refuse it.
  const context = await chromium.newContext({ bypassCSP: true });
  await context.addCookies([...who.cookies].map(([name, value]) => ({ name, value, domain: site.hostname, path: '/' })));
  return context.newPage();
}

async function violations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE_SOURCE });
  return page.evaluate(async () => {
    const run = (window as unknown as { axe: { run: (ctx: Document, opts: unknown) => Promise<{ violations: { id: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
    const result = await run.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      rules: { 'landmark-unique': { enabled: true } },
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => JSON.stringify(n.target)).join(' ')}`);
  });
}

async function check(page: Page, path: string, after?: (page: Page) => Promise<void>): Promise<string[]> {
  const out: string[] = [];
  for (const locale of ['fr', 'en']) {
    const res = await page.goto(`${stack().siteUrl}${path.replace(/^\/fr\//, `/${locale}/`)}`);
    expect(res?.status(), path).toBeLessThan(500);
    await page.waitForLoadState('networkidle');
    if (after) await after(page);
    out.push(...(await violations(page)).map((v) => `${locale} ${path}: ${v}`));
  }
  return out;
}

describe('accessibility of the debates pages behind a role or a form', () => {
  it('author’s forms, versions and the withdraw dialog', async () => {
    const page = await pageAs(author);
    const found = [
      ...(await check(page, `${place.page(debateId)}/edit`)),
      ...(await check(page, `${place.page(debateId)}/close`)),
      ...(await check(page, `${place.page(debateId)}/versions`)),
      ...(await check(page, `${place.list}/debates/new`)),
      ...(await check(page, place.page(debateId), async (p) => {
        await p.click('.debate__actions button:has-text("Retirer"), .debate__actions button:has-text("Withdraw")');
        await p.waitForSelector('dialog[open]');
      })),
    ];
    // A refused argument (no side) and a refused close (conclusions too short), as they come back.
    await page.goto(`${stack().siteUrl}${place.page(debateId)}`);
    await page.fill('#argument-body', 'Sans côté');
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('#argument-new button[type="submit"]')]);
    expect(await page.locator('#argument-errors').count()).toBe(1);
    found.push(...(await violations(page)).map((v) => `refused argument: ${v}`));
    await page.goto(`${stack().siteUrl}${place.page(debateId)}/close`);
    await page.fill('#debate-conclusions', 'Court');
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('form[action*="closeDebate"] button.btn--primary')]);
    expect(await page.locator('#debate-close-errors').count()).toBe(1);
    found.push(...(await violations(page)).map((v) => `refused close: ${v}`));
    expect(found).toEqual([]);
  }, 120_000);

  it('the admin’s forms', async () => {
    const page = await pageAs(admin);
    const base = `/fr/admin/spaces/${place.spaceId}/components/${place.componentId}`;
    const found = [
      ...(await check(page, `${base}/manage`)),
      ...(await check(page, `${base}/debates/new`)),
      ...(await check(page, `${base}/debates/${officialId}`)),
      ...(await check(page, `${base}/debates/${debateId}`)),
    ];
    await page.goto(`${stack().siteUrl}${base}/debates/new`);
    await page.fill('#official-starts_at', '2031-01-01T10:00');
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('form[action*="createOfficialDebate"] button.btn--primary')]);
    expect(await page.locator('#official-errors').count()).toBe(1);
    found.push(...(await violations(page)).map((v) => `refused official debate: ${v}`));
    expect(found).toEqual([]);
  }, 120_000);
});
