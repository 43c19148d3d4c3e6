import type { Browser as Chromium, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../web/browser.ts';
import { createConfirmedUser, signedIn, stack, type Browser } from '../web/helpers.ts';
import { closeTestDb, testDb } from '../web/spaces-helpers.ts';
import { debatesPlace, insertDebate, type Place } from './place.ts';

/*
 * Two people on the same debate in real browsers (headless Chromium): both are counted present,
 * one sees the other "writing an argument" while they type (their name: they are signed in and
 * did not opt out) and no longer once they stop; the argument they post appears in the right
 * column of the other's page without a reload, announced politely, the other's own draft intact,
 * the column's count updated. Someone who chose to stay anonymous is counted, not named.
 */

let place: Place;
let debateId: string;
let chromium: Chromium;
let awa: Browser;
let remi: Browser;
let discreet: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  place = await debatesPlace();
  const [a, r, d] = await Promise.all([
    createConfirmedUser({ name: 'Awa Poste' }),
    createConfirmedUser({ name: 'Rémi Lit' }),
    createConfirmedUser({ name: 'Dora Discrète' }),
  ]);
  [awa, remi, discreet] = await Promise.all([signedIn(a.email, a.password), signedIn(r.email, r.password), signedIn(d.email, d.password)]);
  await testDb()`insert into public.debate_presence_preferences (user_id, show_name) values (${d.id}, false)`;
  debateId = await insertDebate(place, r.id, { title: 'Faut-il piétonniser la rue du Test ?' });
  chromium = await launchChromium();
}, 90_000);

afterAll(async () => {
  for (const c of contexts) await c.close();
  await chromium?.close();
  await closeTestDb();
});

async function open(who: Browser): Promise<Page> {
  const site = new URL(stack().siteUrl);
  const context = await chromium.newContext();
  contexts.push(context);
  await context.addCookies([...who.cookies].map(([name, value]) => ({ name, value, domain: site.hostname, path: '/' })));
  const page = await context.newPage();
  await page.goto(`${stack().siteUrl}${place.page(debateId)}`);
  await page.waitForSelector('#arguments[data-live="on"]', { timeout: 20_000 });
  await page.waitForSelector('[data-presence][data-live="on"]', { timeout: 20_000 });
  return page;
}

const text = (page: Page, selector: string) => page.locator(selector).textContent();

describe('a live debate in two browsers', () => {
  it('presence counts both; "is writing" comes and goes; the argument lands in its column for the other', async () => {
    const [reader, writer] = await Promise.all([open(remi), open(awa)]);
    for (const page of [reader, writer]) {
      await page.waitForFunction(() => document.querySelector('[data-presence-count]')?.textContent?.includes('2 personnes suivent ce débat'), null, { timeout: 10_000 });
    }
    await reader.fill('#argument-body', 'Mon brouillon à moi');

    // Awa types: Rémi sees her name; she stops (leaves the field): it goes.
    await writer.locator('#argument-body').pressSequentially('La rue serait ', { delay: 20 });
    await reader.waitForFunction(() => document.querySelector('[data-presence-writing]')?.textContent === 'Awa Poste écrit un argument…', null, { timeout: 10_000 });
    // One is never told about oneself (Rémi's own draft makes him a writer on Awa's page).
    expect(await text(writer, '[data-presence-writing]')).not.toContain('Awa');
    await writer.locator('#argument-new input[name="alignment"][value="-1"]').focus();
    await reader.waitForFunction(() => document.querySelector('[data-presence-writing]')?.textContent === '', null, { timeout: 10_000 });

    // She posts an argument against: it appears at the end of Rémi's "against" column.
    await writer.locator('#argument-body').fill('La rue serait plus calme, mais les commerces souffriraient.');
    await writer.check('#argument-new input[name="alignment"][value="-1"]');
    await Promise.all([writer.waitForURL(/status=argued/), writer.click('#argument-new button[type="submit"]')]);
    const against = reader.locator('#arguments-against [data-arguments-list] article').last();
    await against.waitFor({ timeout: 10_000 });
    expect(await against.locator('.comment__body').textContent()).toContain('les commerces souffriraient');
    expect(await reader.locator('#arguments-for [data-arguments-list] article').count()).toBe(0);
    await reader.waitForFunction(() => document.querySelector('#arguments-against-title')?.textContent === 'Arguments contre (1)', null, { timeout: 10_000 });
    await reader.waitForFunction(
      () => (document.querySelector('[data-arguments-live-region]')?.textContent ?? '').includes('Nouvel argument contre de Awa Poste'),
      null,
      { timeout: 10_000 },
    );
    expect(await reader.inputValue('#argument-body')).toBe('Mon brouillon à moi');
    // Her position follows her argument, live on Rémi's page.
    await reader.waitForFunction(() => document.querySelector('[data-positions]')?.textContent === '0 pour · 1 contre · 0 neutres', null, { timeout: 10_000 });
    // After her page reloaded, both are counted again.
    await reader.waitForFunction(() => document.querySelector('[data-presence-count]')?.textContent?.includes('2 personnes'), null, { timeout: 10_000 });
    // Closed by its author meanwhile: Rémi's form stops sending, his draft still there, and it is said.
    expect((await remi.post(`${place.page(debateId)}/close?_action=debates.closeDebate`, { debate_id: debateId, conclusions: 'Le débat est clos pour le test.' })).status).toBe(303);
    await reader.waitForFunction(() => (document.querySelector('#argument-new button[type="submit"]') as HTMLButtonElement | null)?.disabled === true, null, { timeout: 10_000 });
    await reader.waitForFunction(() => (document.querySelector('[data-arguments-live-region]')?.textContent ?? '').includes('Le débat vient d’être clos'), null, { timeout: 10_000 });
    expect(await reader.inputValue('#argument-body')).toBe('Mon brouillon à moi');
    await testDb()`update public.debates set closed_at = null, conclusions = '' where id = ${debateId}`;
  }, 90_000);

  it('the list keeps each card’s counts and "last argument X minutes ago" live', async () => {
    const site = new URL(stack().siteUrl);
    const context = await chromium.newContext();
    contexts.push(context);
    await context.addCookies([...remi.cookies].map(([name, value]) => ({ name, value, domain: site.hostname, path: '/' })));
    const page = await context.newPage();
    const quiet = await insertDebate(place, null, { official: true, title: 'Un débat encore calme' });
    await page.goto(`${stack().siteUrl}${place.list}`);
    await page.waitForSelector('#debates[data-live="on"]', { timeout: 20_000 });
    const card = page.locator(`[data-debate-id="${quiet}"]`);
    expect(await card.locator('[data-card-counts]').textContent()).toContain('Aucun argument');
    await awa.post(`${place.page(quiet)}?_action=debates.addArgument`, { debate_id: quiet, alignment: '1', body: 'Oui, vivement.' });
    await page.waitForFunction((id) => document.querySelector(`[data-debate-id="${id}"] [data-card-counts]`)?.textContent?.startsWith('Arguments : 1 pour, 0 contre, 0 neutres'), quiet, { timeout: 10_000 });
    await page.waitForFunction((id) => document.querySelector(`[data-debate-id="${id}"] [data-last-argument]`)?.textContent === 'Dernier argument à l’instant', quiet, { timeout: 10_000 });
  }, 60_000);

  it('someone who chose to stay anonymous is counted while writing, not named', async () => {
    const [reader, writer] = await Promise.all([open(remi), open(discreet)]);
    await writer.locator('#argument-body').pressSequentially('Je préfère', { delay: 20 });
    await reader.waitForFunction(() => document.querySelector('[data-presence-writing]')?.textContent === '1 personne écrit un argument…', null, { timeout: 10_000 });
    expect(await text(reader, '[data-presence-writing]')).not.toContain('Dora');
  }, 60_000);
});
