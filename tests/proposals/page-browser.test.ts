import type { Browser as Chromium } from 'playwright-core';
import { launchChromium } from '../web/browser.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stack } from '../web/helpers.ts';
import { closeTestDb, testDb } from '../web/spaces-helpers.ts';
import { act, person, proposalsPlace, published, type Person, type Place } from './page-fixtures.ts';

/*
 * Two real browsers (headless Chromium) on the same proposal: a support clicked in one is sent
 * without reload (the island calls the action: the button, the count and the supports left change
 * in place, focus stays on the button) and moves the count and the progress in the other, announced
 * in its live region; an answer published meanwhile replaces the state block; a hidden proposal
 * shows a notice. A support refused at the vote limit shows the translated refusal, without reload.
 */

let chromiumBrowser: Chromium;
let place: Place;
let supporter: Person;
let author: Person;

beforeAll(async () => {
  place = await proposalsPlace({ threshold_per_proposal: 10, vote_limit: 2, publish_answers_immediately: true, proposal_answering_enabled: true });
  [supporter, author] = await Promise.all([person('Sam Soutient'), person('Ada Autrice')]);
  chromiumBrowser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await chromiumBrowser?.close();
  await closeTestDb();
});

describe('a live proposal page in a real browser', () => {
  it('a support clicked in page A is sent without reloading A and moves the count in page B, announced politely', async () => {
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
    expect((await b.textContent('[data-proposal-supports]'))?.trim()).toBe('0 soutien sur les 10 nécessaires');
    expect((await a.textContent('[data-supports-remaining]'))?.trim()).toBe('Il vous reste 2 soutiens sur 2.');
    // Both pages mark themselves: a reload would lose the mark.
    for (const page of [a, b]) {
      await page.evaluate(() => {
        (window as unknown as { marked: boolean }).marked = true;
      });
    }
    await a.waitForSelector(`[data-proposal-id="${id}"][data-participation-ready="true"]`, { timeout: 20_000 });

    await a.focus('[data-support-button="support"]');
    await a.keyboard.press('Enter');
    await a.waitForSelector('[data-support-button="withdraw"]', { timeout: 10_000 });
    await a.waitForFunction(() => document.querySelector('[data-supports-remaining]')?.textContent?.trim() === 'Il vous reste 1 soutien sur 2.', undefined, { timeout: 10_000 });
    expect((await a.textContent('[data-proposal-supports]'))?.trim()).toBe('1 soutien sur les 10 nécessaires');
    expect(await a.getAttribute('[data-proposal-progress]', 'value')).toBe('1');
    expect((await a.textContent('[data-support-button]'))?.trim()).toBe('Retirer mon soutien');
    expect((await a.textContent('[data-supported-line]'))?.trim()).toBe('Vous soutenez cette proposition.');
    expect((await a.textContent('[data-proposal-js-status]'))?.trim()).toBe('Votre soutien est enregistré.');
    expect(await a.getAttribute('[data-proposal-js-status]', 'role')).toBe('status');
    expect(await a.isVisible('[data-proposal-js-status]')).toBe(true);
    expect(await a.isHidden('[data-proposal-js-alert]')).toBe(true);
    expect(await a.evaluate(() => document.activeElement?.getAttribute('data-support-button'))).toBe('withdraw');
    expect(a.url()).toBe(url);
    expect(await a.evaluate(() => (window as unknown as { marked?: boolean }).marked)).toBe(true);

    await b.waitForFunction(() => document.querySelector('[data-proposal-supports]')?.textContent?.trim() === '1 soutien sur les 10 nécessaires', undefined, { timeout: 10_000 });
    expect(await b.getAttribute('[data-proposal-progress]', 'value')).toBe('1');
    await b.waitForFunction(() => (document.querySelector('[data-proposal-live-region]')?.textContent ?? '').includes('Soutiens : 1'));
    expect(await b.getAttribute('[data-proposal-live-region]', 'aria-live')).toBe('polite');
    expect(await b.evaluate(() => (window as unknown as { marked?: boolean }).marked)).toBe(true);
    // A's own broadcast came back too: the count is set, not added again.
    await new Promise((r) => setTimeout(r, 500));
    expect((await a.textContent('[data-proposal-supports]'))?.trim()).toBe('1 soutien sur les 10 nécessaires');

    // Withdrawn from A, still without reload: everything goes back; B follows.
    await a.click('[data-support-button="withdraw"]');
    await a.waitForSelector('[data-support-button="support"]', { timeout: 10_000 });
    await a.waitForFunction(() => document.querySelector('[data-supports-remaining]')?.textContent?.trim() === 'Il vous reste 2 soutiens sur 2.', undefined, { timeout: 10_000 });
    expect((await a.textContent('[data-proposal-supports]'))?.trim()).toBe('0 soutien sur les 10 nécessaires');
    expect((await a.textContent('[data-proposal-js-status]'))?.trim()).toBe('Votre soutien est retiré.');
    expect(await a.isHidden('[data-supported-line]')).toBe(true);
    await b.waitForFunction(() => document.querySelector('[data-proposal-supports]')?.textContent?.trim() === '0 soutien sur les 10 nécessaires', undefined, { timeout: 10_000 });

    // Like and follow: the pressed state, the label and the count change in place.
    await a.click('[data-participate="like"] button');
    await a.waitForSelector('[data-participate="like"] button[aria-pressed="true"]', { timeout: 10_000 });
    expect((await a.textContent('[data-proposal-likes]'))?.trim()).toBe('1 « j’aime »');
    await a.click('[data-participate="follow"] button');
    await a.waitForSelector('[data-participate="follow"] button[aria-pressed="true"]', { timeout: 10_000 });
    await a.waitForFunction(() => /^\d+ abonné·e/.test(document.querySelector('[data-proposal-follows]')?.textContent?.trim() ?? ''), undefined, { timeout: 10_000 });
    expect(a.url()).toBe(url);
    expect(await a.evaluate(() => (window as unknown as { marked?: boolean }).marked)).toBe(true);

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

  it('a support refused at the vote limit shows the translated refusal, without reload', async () => {
    const limited = await proposalsPlace({ vote_limit: 1 });
    const voter = await person('Vera Vote');
    const [first, second] = await Promise.all([published(limited, author.id), published(limited, author.id)]);
    expect((await voter.browser.post(act(limited.page(first), 'supportProposal'), { proposal_id: first })).status).toBe(303);
    const site = new URL(stack().siteUrl);
    const context = await chromiumBrowser.newContext();
    await context.addCookies([...voter.browser.cookies].map(([name, value]) => ({ name, value, domain: site.hostname, path: '/' })));
    const page = await context.newPage();
    const url = `${stack().siteUrl}${limited.page(second)}`;
    await page.goto(url);
    await page.waitForSelector(`[data-proposal-id="${second}"][data-participation-ready="true"]`, { timeout: 20_000 });
    await page.evaluate(() => {
      (window as unknown as { marked: boolean }).marked = true;
    });
    await page.click('[data-support-button="support"]');
    await page.waitForSelector('[data-proposal-js-alert]:not([hidden])', { timeout: 10_000 });
    expect((await page.textContent('[data-proposal-js-alert]'))?.trim()).toBe('Vous avez utilisé tous vos soutiens (1).');
    expect(await page.getAttribute('[data-proposal-js-alert]', 'role')).toBe('alert');
    expect(await page.isVisible('[data-proposal-js-alert]')).toBe(true);
    expect(await page.isHidden('[data-proposal-js-status]')).toBe(true);
    expect((await page.textContent('[data-support-button]'))?.trim()).toBe('Soutenir');
    expect((await page.textContent('[data-proposal-supports]'))?.trim()).toBe('0 soutien');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-support-button'))).toBe('support');
    expect(page.url()).toBe(url);
    expect(await page.evaluate(() => (window as unknown as { marked?: boolean }).marked)).toBe(true);
    await context.close();
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
