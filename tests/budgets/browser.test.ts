import type { Browser as Chromium, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { person, type Person } from '../proposals/page-fixtures.ts';
import { launchChromium } from '../web/browser.ts';
import { stack } from '../web/helpers.ts';
import { closeTestDb, testDb } from '../web/spaces-helpers.ts';
import { asUser } from '../../src/lib/db/index.ts';
import { userClaims } from '../db/fixtures.ts';
import {
  addProject,
  checkout,
  createBudget,
  createBudgetsComponent,
  createProjects,
  createTaxonomy,
  createUsers,
  grantRole,
  updatePhase,
  verify,
  type BudgetsFixture,
} from './fixtures.ts';

/*
 * The ballot in real browsers. One person, two pages (two tabs, or a phone and a laptop): a
 * project added in one is sent without reload, and appears in the other page's ballot without
 * reload — its progress bar moves, its words say the new amount, its button turns to "remove",
 * announced in the live region. A checkout asked to confirm, then the same in the other page.
 * Another person's page hears nothing. Also live: projects' counts where the phase shows them, the
 * admins' numbers; and the results chart, drawn by Chart.js under the production CSP.
 */

let chromium: Chromium;
let f: BudgetsFixture;
let budget: string;
let projects: string[];
let voter: Person;
let neighbour: Person;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  f = await createBudgetsComponent(testDb());
  budget = await createBudget(testDb(), f, { total: 1000, thresholdPercent: 50 });
  projects = await createProjects(testDb(), budget, [400, 300, 200]);
  [voter, neighbour] = await Promise.all([person('Vera Votante'), person('Nino Voisin')]);
  await verify(testDb(), voter.id, 'direct');
  await verify(testDb(), neighbour.id, 'direct');
  chromium = await launchChromium();
}, 60_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await chromium?.close();
  await closeTestDb();
});

async function pageOf(who: Person) {
  const site = new URL(stack().siteUrl);
  const context = await chromium.newContext();
  contexts.push(context);
  await context.addCookies([...who.browser.cookies].map(([name, value]) => ({ name, value, domain: site.hostname, path: '/' })));
  return context.newPage();
}

describe('a ballot live across a person’s pages', () => {
  it('a project added on one page appears on the other without reload, and the progress bar moves', { timeout: 90_000 }, async () => {
    const url = `${stack().siteUrl}/fr/processes/${f.slug}/f/${f.componentId}/budgets/${budget}`;
    const [phone, laptop, other] = await Promise.all([pageOf(voter), pageOf(voter), pageOf(neighbour)]);
    await Promise.all([phone.goto(url), laptop.goto(`${url}/projects/${projects[1]}`), other.goto(url)]);
    for (const p of [phone, laptop, other]) {
      await p.waitForSelector(`[data-ballot][data-budget-id="${budget}"][data-live="on"][data-ballot-ready="true"]`, { timeout: 30_000 });
      await p.evaluate(() => ((window as unknown as { marked: boolean }).marked = true));
    }
    expect(await laptop.getAttribute('[data-ballot-progress]', 'value')).toBe('0');
    // (Each page reads its ballot once on arrival; after that, only what concerns it.)
    await other.waitForFunction(() => document.querySelector('[data-ballot]')?.getAttribute('data-ballot-version') === '1', undefined, { timeout: 10_000 });

    // On the phone: add the first project with the keyboard.
    const add = `form[data-ballot-toggle][data-project-id="${projects[0]}"]:not([data-ballot-line-form]) button`;
    await phone.focus(add);
    await phone.keyboard.press('Enter');
    await phone.waitForSelector(`form[data-ballot-toggle][data-project-id="${projects[0]}"][data-on="true"]:not([data-ballot-line-form])`, { timeout: 10_000 });
    expect(await phone.getAttribute('[data-ballot-progress]', 'value')).toBe('400');
    expect(phone.url()).toBe(url);

    // On the laptop, without reload: the ballot lists it, the bar and its words moved, announced.
    await laptop.waitForFunction(() => document.querySelector<HTMLProgressElement>('[data-ballot-progress]')?.value === 400, undefined, { timeout: 15_000 });
    const sentence = (await laptop.textContent('[data-ballot-sentence]'))?.replace(/\s+/g, ' ').trim();
    expect(sentence).toBe('Vous avez choisi 400 € sur 1 000 € : il reste 600 €.');
    expect((await laptop.getAttribute('[data-ballot-progress]', 'aria-valuetext'))?.replace(/\s+/g, ' ')).toBe(sentence);
    expect(await laptop.textContent('[data-ballot-lines]')).toContain('Projet 1');
    await laptop.waitForFunction(() => (document.querySelector('[data-ballot-live-region]')?.textContent ?? '').includes('Projet 1'), undefined, { timeout: 5_000 });
    expect(await laptop.evaluate(() => (window as unknown as { marked?: boolean }).marked)).toBe(true);

    // The laptop adds its project (the page's own button); the phone follows; the rule is met.
    await laptop.click(`form[data-ballot-toggle][data-project-id="${projects[1]}"]:not([data-ballot-line-form]) button`);
    await phone.waitForFunction(() => document.querySelector<HTMLProgressElement>('[data-ballot-progress]')?.value === 700, undefined, { timeout: 15_000 });
    await phone.waitForSelector(`form[data-ballot-toggle][data-project-id="${projects[1]}"][data-on="true"]:not([data-ballot-line-form])`, { timeout: 5_000 });
    expect(await phone.isVisible('form[data-ballot-form="checkout"]')).toBe(true);

    // Checkout on the phone, asked to confirm first; the laptop shows the vote confirmed.
    await phone.click('form[data-ballot-form="checkout"] button[type="submit"]');
    await phone.waitForSelector('dialog.confirm-dialog[open]', { timeout: 5_000 });
    await phone.click('dialog.confirm-dialog [data-confirm-dialog-ok]');
    await phone.waitForSelector('[data-ballot][data-checked-out="true"]', { timeout: 10_000 });
    await laptop.waitForSelector('[data-ballot][data-checked-out="true"]', { timeout: 15_000 });
    expect(await laptop.isVisible('[data-ballot-done]')).toBe(true);
    expect(await laptop.isVisible('form[data-ballot-form="checkout"]')).toBe(false);
    const [row] = await testDb()<{ total: string; checked: boolean }[]>`
      select total::text, checked_out_at is not null as checked from public.ballots where budget_id = ${budget} and user_id = ${voter.id}`;
    expect(row).toEqual({ total: '700', checked: true });

    // The neighbour's page heard nothing of it.
    expect(await other.getAttribute('[data-ballot-progress]', 'value')).toBe('0');
    expect(await other.getAttribute('[data-ballot]', 'data-ballot-version')).toBe('1');
  });

  it('a refusal is said in the ballot, without reload', { timeout: 60_000 }, async () => {
    const url = `${stack().siteUrl}/fr/processes/${f.slug}/f/${f.componentId}/budgets/${budget}`;
    const page = await pageOf(neighbour);
    await page.goto(url);
    await page.waitForSelector(`[data-ballot][data-ballot-ready="true"]`, { timeout: 30_000 });
    await page.click(`form[data-ballot-toggle][data-project-id="${projects[0]}"]:not([data-ballot-line-form]) button`);
    await page.waitForFunction(() => document.querySelector<HTMLProgressElement>('[data-ballot-progress]')?.value === 400, undefined, { timeout: 10_000 });
    // 400 + 300 + 200 = 900 fits; then nothing is left for another 400: set the cost check aside by a
    // second budget-sized project added straight in the database.
    const [big] = await createProjects(testDb(), budget, [700]);
    await page.reload();
    await page.waitForSelector(`[data-ballot][data-ballot-ready="true"]`, { timeout: 30_000 });
    expect(await page.isVisible(`form[data-ballot-toggle][data-project-id="${big}"] [data-ballot-too-expensive]`)).toBe(true);
    await page.click(`form[data-ballot-toggle][data-project-id="${big}"]:not([data-ballot-line-form]) button`);
    await page.waitForFunction(() => !document.querySelector<HTMLElement>('[data-ballot-js-alert]')?.hidden, undefined, { timeout: 10_000 });
    expect(await page.textContent('[data-ballot-js-alert]')).toContain('Ce projet dépasse ce qui reste de l’enveloppe');
    expect(await page.getAttribute('[data-ballot-js-alert]', 'role')).toBe('alert');
  });

  it('with show_votes, a project’s count moves live for every visitor', { timeout: 60_000 }, async () => {
    const g = await createBudgetsComponent(testDb(), { phase: { show_votes: true } });
    const b = await createBudget(testDb(), g, { total: 1000, thresholdPercent: 10 });
    const [p] = await createProjects(testDb(), b, [300]);
    const context = await chromium.newContext();
    contexts.push(context);
    const visitor = await context.newPage();
    await visitor.goto(`${stack().siteUrl}/fr/processes/${g.slug}/f/${g.componentId}/budgets/${b}`);
    await visitor.waitForSelector('[data-project-votes-live][data-live="on"]', { timeout: 30_000 });
    expect((await visitor.textContent(`[data-project-votes="${p}"]`))?.trim()).toBe('0 vote');
    await addProject(testDb(), voter.id, b, p!);
    await checkout(testDb(), voter.id, b);
    await visitor.waitForFunction((id) => document.querySelector(`[data-project-votes="${id}"]`)?.textContent?.trim() === '1 vote', p, { timeout: 15_000 });
  });

  it('the results chart is drawn by Chart.js, fetched on demand, under the production CSP', { timeout: 60_000 }, async () => {
    const g = await createBudgetsComponent(testDb());
    const b = await createBudget(testDb(), g, { total: 1000, thresholdPercent: 10 });
    const ps = await createProjects(testDb(), b, [600, 300]);
    await updatePhase(testDb(), g, { votes: 'finished' });
    await testDb()`select private.budgets_save_tally(${b}, 'greedy', 3, 900, ${testDb().json({})},
      ${testDb().json([
        { project_id: ps[0]!, votes: 3, score: 3, rank: 1, proposed: true },
        { project_id: ps[1]!, votes: 2, score: 2, rank: 2, proposed: true },
      ])})`;
    await grantRole(testDb(), g, voter.id, 'admin');
    await asUser(userClaims(voter.id), (tx) => tx`select public.budgets_confirm_selection(${b}, ${[ps[0]!, ps[1]!]}::uuid[])`, testDb());
    const context = await chromium.newContext();
    contexts.push(context);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => (m.type() === 'error' ? problems.push(m.text()) : undefined));
    page.on('pageerror', (e) => problems.push(e.message));
    const scripts: string[] = [];
    page.on('request', (r) => (r.resourceType() === 'script' ? scripts.push(r.url()) : undefined));
    await page.goto(`${stack().siteUrl}/fr/processes/${g.slug}/f/${g.componentId}/budgets/${b}/results`);
    await page.locator('.results-chart canvas').scrollIntoViewIfNeeded();
    await page.waitForSelector('.results-chart[data-chart-ready="true"]', { timeout: 20_000 });
    expect(await page.getAttribute('.results-chart canvas', 'aria-describedby')).toBe('results-table-title');
    expect(await page.$eval('.results-chart canvas', (c) => (c as HTMLCanvasElement).width)).toBeGreaterThan(0);
    expect(scripts.some((u) => /\/chart\.[\w-]+\.js$/.test(u))).toBe(true);
    expect(scripts.filter((u) => /mapbox/.test(u))).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('the admins’ vote numbers move live as ballots start and are checked out', { timeout: 60_000 }, async () => {
    const g = await createBudgetsComponent(testDb());
    const b = await createBudget(testDb(), g, { total: 1000, thresholdPercent: 10 });
    const [p] = await createProjects(testDb(), b, [300]);
    await grantRole(testDb(), g, neighbour.id, 'admin');
    // A resident of a district with a ballot in progress before the page is read: the district's row.
    const district = await createTaxonomy(testDb());
    const [resident] = await createUsers(testDb(), 1, 'district');
    await verify(testDb(), resident!, 'direct', district);
    await addProject(testDb(), resident!, b, p!);
    const page = await pageOf(neighbour);
    await page.goto(`${stack().siteUrl}/fr/admin/spaces/${g.spaceId}/components/${g.componentId}/manage`);
    await page.waitForSelector('[data-vote-stats][data-live="on"]', { timeout: 30_000 });
    const cell = (kind: string) => page.textContent(`[data-stat="${b}:${kind}"]`);
    const districtCell = (kind: string) => page.textContent(`[data-stat-district="${district}:${kind}"]`);
    expect([await cell('in_progress'), await cell('checked_out')]).toEqual(['1', '0']);
    expect([await districtCell('in_progress'), await districtCell('checked_out')]).toEqual(['1', '0']);
    await addProject(testDb(), voter.id, b, p!);
    await page.waitForFunction((sel) => document.querySelector(sel)?.textContent === '2', `[data-stat="${b}:in_progress"]`, { timeout: 15_000 });
    await checkout(testDb(), resident!, b);
    await page.waitForFunction((sel) => document.querySelector(sel)?.textContent === '1', `[data-stat-district="${district}:checked_out"]`, { timeout: 15_000 });
    expect([await cell('in_progress'), await cell('checked_out')]).toEqual(['1', '1']);
    expect(await districtCell('in_progress')).toBe('0');
  });
});
