import type { Browser as Chromium } from 'playwright-core';
import { launchChromium } from '../web/browser.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stack } from '../web/helpers.ts';
import { closeTestDb, testDb } from '../web/spaces-helpers.ts';
import { person, proposalsPlace, published, type Person, type Place } from './page-fixtures.ts';

/*
 * Two real browsers (headless Chromium) on the same proposal: a support clicked in one moves the
 * count and the progress in the other without reload, announced in its live region; an answer
 * published meanwhile replaces the state block; a hidden proposal shows a notice.
 */

let chromiumBrowser: Chromium;
let place: Place;
let supporter: Person;
let author: Person;

beforeAll(async () => {
  place = await proposalsPlace({ threshold_per_proposal: 10, publish_answers_immediately: true, proposal_answering_enabled: true });
  [supporter, author] = await Promise.all([person('Sam Soutient'), person('Ada Autrice')]);
  chromiumBrowser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await chromiumBrowser?.close();
  await closeTestDb();
});

describe('a live proposal page in a real browser', () => {
  it('a support clicked in page A moves the count in page B without reload, announced politely', async () => {
    const id = await published(place, author.id, { title: 'Une piste cyclable rue Neuve' });
    const url = `${stack().siteUrl}${place.page(id)}`;
    const site = new URL(stack().siteUrl);
    const signedInContext = await chromiumBrowser.newContext();
    await signedInContext.addCookies([...supporter.browser.cookies].map(([name, value]) => ({ name, value, domain: site.hostname, path: '/' })));
    const anonymousContext = await chromiumBrowser.newContext();
    const [a, b] = await Promise.all([signedInContext.newPage(), anonymousContext.newPage()]);
    await Promise.all([a.goto(url), b.goto(url)]);
    await Promise.all([
      a.waitForSelector(`[data-proposal-id="${id}"][data-live="on"]`, { timeout: 20_000 }),
      b.waitForSelector(`[data-proposal-id="${id}"][data-live="on"]`, { timeout: 20_000 }),
    ]);
    expect((await b.textContent('[data-proposal-supports]'))?.trim()).toBe('0 soutien(s) sur les 10 nécessaires');
    // B marks itself: a reload would lose the mark.
    await b.evaluate(() => {
      (window as unknown as { marked: boolean }).marked = true;
    });

    await a.click('[data-support-button="support"]');
    await a.waitForURL(/status=supported/);
    expect(await a.textContent('[role="status"]')).toContain('Votre soutien est enregistré.');

    await b.waitForFunction(() => document.querySelector('[data-proposal-supports]')?.textContent?.trim() === '1 soutien(s) sur les 10 nécessaires', undefined, { timeout: 10_000 });
    expect(await b.getAttribute('[data-proposal-progress]', 'value')).toBe('1');
    await b.waitForFunction(() => (document.querySelector('[data-proposal-live-region]')?.textContent ?? '').includes('Soutiens : 1'));
    expect(await b.getAttribute('[data-proposal-live-region]', 'aria-live')).toBe('polite');
    expect(await b.evaluate(() => (window as unknown as { marked?: boolean }).marked)).toBe(true);

    // An answer published elsewhere: the state block changes in place.
    const db = testDb();
    const [state] = await db<{ id: string }[]>`select id from public.proposal_states where component_id = ${place.componentId} and token = 'evaluating'`;
    await db`insert into public.proposal_answers (proposal_id, state_id, answer) values (${id}, ${state!.id}, ${db.json({ fr: '<p>Nous étudions la rue.</p>' })})`;
    await b.waitForFunction(() => document.querySelector('[data-proposal-status] [data-state="evaluating"]') !== null, undefined, { timeout: 10_000 });
    expect(await b.textContent('.proposal-answer')).toContain('Nous étudions la rue.');
    await b.waitForFunction(() => (document.querySelector('[data-proposal-live-region]')?.textContent ?? '').includes('La réponse officielle a été mise à jour.'));

    // Hidden by moderation: a notice.
    await db`update public.proposals set hidden_at = now() where id = ${id}`;
    await b.waitForSelector('[data-proposal-notice]:not([hidden])', { timeout: 10_000 });
    expect(await b.textContent('[data-proposal-notice]')).toContain('masquée en attente de modération');
    expect(await b.evaluate(() => (window as unknown as { marked?: boolean }).marked)).toBe(true);
    await signedInContext.close();
    await anonymousContext.close();
  }, 60_000);

  it('the wizard\'s map picker fills latitude and longitude on a click', async () => {
    const [draft] = await testDb()<{ id: string }[]>`
      insert into public.proposals (component_id, author_id, title, body) values (${place.componentId}, ${author.id}, 'Un point à placer', '<p>Un texte assez long pour valoir.</p>') returning id`;
    const site = new URL(stack().siteUrl);
    const context = await chromiumBrowser.newContext();
    await context.addCookies([...author.browser.cookies].map(([name, value]) => ({ name, value, domain: site.hostname, path: '/' })));
    const page = await context.newPage();
    await page.goto(`${stack().siteUrl}${place.page(draft!.id)}/complete`);
    await page.waitForSelector('.wizard-map-picker[data-picker-ready="true"]', { timeout: 20_000 });
    await page.click('.wizard-map-picker canvas', { position: { x: 100, y: 80 } });
    await page.waitForFunction(() => (document.getElementById('field-latitude') as HTMLInputElement).value !== '');
    const lat = Number(await page.inputValue('#field-latitude'));
    const lng = Number(await page.inputValue('#field-longitude'));
    expect(lat).toBeGreaterThan(40);
    expect(lat).toBeLessThan(55);
    expect(lng).toBeGreaterThan(-5);
    expect(lng).toBeLessThan(10);
    await page.fill('#field-address', 'Place du Marché');
    await page.click('.wizard-form button[type="submit"]');
    await page.waitForURL(/\/publish$/);
    const [row] = await testDb()<{ latitude: number; longitude: number }[]>`select latitude, longitude from public.proposals where id = ${draft!.id}`;
    expect(row!.latitude).toBeCloseTo(lat, 5);
    expect(row!.longitude).toBeCloseTo(lng, 5);
    await context.close();
  }, 60_000);
});
