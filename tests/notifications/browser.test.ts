import type { Browser as Chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkers, type Workers } from '../../workers/index.ts';
import { deliverJob } from '../../workers/notifications/deliver.ts';
import { sendEmailsJob } from '../../workers/notifications/send-emails.ts';
import { createProposal, createProposalsComponent } from '../proposals/fixtures.ts';
import { launchChromium } from '../web/browser.ts';
import { createConfirmedUser, signedIn, stack, type Browser } from '../web/helpers.ts';
import { closeTestDb, testDb } from '../web/spaces-helpers.ts';
import { commentOn } from './fixtures.ts';

/*
 * A real browser (headless Chromium) with the bell in its header, and the real workers: when
 * someone replies to her comment, the reply's event is delivered by the `notifications.deliver`
 * job (woken by the NOTIFY of the reply's commit) and her bell's count rises without a reload,
 * announced in its live region.
 */

let chromium: Chromium;
let workers: Workers;
let reader: { id: string; browser: Browser };
let writer: { id: string };

beforeAll(async () => {
  const [r, w] = await Promise.all([createConfirmedUser({ name: 'Inès Attend' }), createConfirmedUser({ name: 'Yanis Répond' })]);
  reader = { id: r.id, browser: await signedIn(r.email, r.password) };
  writer = { id: w.id };
  // The workers the site runs beside it (no SMTP here: emails wait, which this test does not look at).
  workers = await startWorkers({ databaseUrl: stack().databaseUrl }, { jobs: [deliverJob, sendEmailsJob] });
  chromium = await launchChromium();
}, 60_000);

afterAll(async () => {
  await chromium?.close();
  await workers?.stop();
  await closeTestDb();
});

describe('the bell, live', () => {
  it('its count rises when someone replies, without a reload, and says so in its live region', async () => {
    const f = await createProposalsComponent(testDb());
    const p = await createProposal(testDb(), f, writer.id, { title: 'Une halte-garderie au centre' });
    const mine = await commentOn(testDb(), reader.id, { type: 'proposal', id: p }, 'Qui s’en occuperait ?');
    await testDb()`update public.notifications set read_at = now() where user_id = ${reader.id} and read_at is null`;

    const site = new URL(stack().siteUrl);
    const context = await chromium.newContext();
    await context.addCookies([...reader.browser.cookies].map(([name, value]) => ({ name, value, domain: site.hostname, path: '/' })));
    const page = await context.newPage();
    await page.goto(`${stack().siteUrl}/fr/`);
    await page.waitForSelector('a[data-bell][data-live="on"]', { timeout: 20_000 });
    expect(await page.locator('a[data-bell] [data-bell-count]').isHidden()).toBe(true);

    await commentOn(testDb(), writer.id, { type: 'proposal', id: p }, 'La mairie, avec une association.', mine);
    await page.waitForFunction(() => document.querySelector('a[data-bell] [data-bell-count]')?.textContent === '1', undefined, { timeout: 15_000 });
    expect(await page.locator('a[data-bell] [data-bell-count]').isVisible()).toBe(true);
    await page.waitForFunction(() => (document.querySelector('[data-bell-live]')?.textContent ?? '').includes('1 notification non lue'));
    expect(await page.locator('a[data-bell] [data-bell-status]').textContent()).toBe(', 1 non lue');

    // Read elsewhere (the page, another tab): the count goes back down here too.
    await reader.browser.post('/fr/notifications?_action=notifications.markAllRead', {});
    await page.waitForFunction(() => (document.querySelector('a[data-bell] [data-bell-count]') as HTMLElement | null)?.hidden === true, undefined, { timeout: 15_000 });
    await context.close();
  }, 60_000);
});
