import { randomUUID } from 'node:crypto';
import type { Browser as Chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkers, type Workers } from '../../workers/index.ts';
import { NEWSLETTER_JOBS } from '../../workers/newsletters/jobs.ts';
import { startDueNewsletters } from '../../workers/newsletters/send.ts';
import { launchChromium } from '../web/browser.ts';
import { createConfirmedUser, signedIn, stack, type Browser } from '../web/helpers.ts';
import { closeTestDb, testDb, uniqueSlug } from '../web/spaces-helpers.ts';

/*
 * The admin's progress bar in a real browser (headless Chromium): the letter's page is open while
 * the real workers send it to 600 people; the bar moves without a reload, the counts follow, the
 * end is announced. Reloading in the middle shows where it is.
 */

const RECIPIENTS = 600;
let chromium: Chromium;
let workers: Workers | undefined;
let orgAdmin: { id: string; browser: Browser };

beforeAll(async () => {
  const u = await createConfirmedUser({ name: 'Paul Progrès' });
  orgAdmin = { id: u.id, browser: await signedIn(u.email, u.password) };
  await testDb()`insert into public.organization_admins (user_id) values (${u.id})`;
  await testDb()`update public.profile_preferences set newsletter_answered_at = now() where id = ${u.id}`;
  chromium = await launchChromium();
}, 60_000);

afterAll(async () => {
  await chromium?.close();
  await workers?.stop();
  await closeTestDb();
});

describe('the progress bar, live', () => {
  it('moves while the workers send, then says it is done', { timeout: 180_000 }, async () => {
    const db = testDb();
    const space = randomUUID();
    const tag = uniqueSlug('prog');
    await db`insert into public.spaces (id, kind, slug, title, published_at) values (${space}, 'process', ${tag}, ${db.json({ fr: 'Progrès' })}, now())`;
    await db`with made as (
               insert into auth.users (id, aud, role, email, raw_user_meta_data, raw_app_meta_data, created_at, updated_at)
               select gen_random_uuid(), 'authenticated', 'authenticated', ${tag} || '-' || n || '@example.org',
                      jsonb_build_object('name', 'Lecteur ' || n, 'newsletter', true), '{}', now(), now()
               from generate_series(1, ${RECIPIENTS}) n returning id)
             insert into public.space_follows (space_id, user_id) select ${space}, id from made`;
    const [letter] = await db<{ id: string }[]>`
      insert into public.newsletters (subject, blocks, audience, status, scheduled_at)
      values (${db.json({ fr: `Lettre ${tag}` })}, '[]', ${db.json({ scope: 'followers', spaces: [space] })}, 'scheduled', now() + interval '1 day')
      returning id`;

    const site = new URL(stack().siteUrl);
    const context = await chromium.newContext();
    await context.addCookies([...orgAdmin.browser.cookies].map(([name, value]) => ({ name, value, domain: site.hostname, path: '/' })));
    const page = await context.newPage();
    await page.goto(`${stack().siteUrl}/fr/admin/newsletters/${letter!.id}`);
    await page.waitForSelector('[data-letter-progress][data-live="on"]', { timeout: 20_000 });
    expect(await page.getAttribute('#letter-progress', 'value')).toBe('0');
    // Its time comes: the letter starts (its recipients written) and the page hears how many.
    await db`update public.newsletters set scheduled_at = now() where id = ${letter!.id}`;
    await startDueNewsletters(db);
    await page.waitForFunction((n) => (document.querySelector('#letter-progress') as HTMLProgressElement | null)?.max === n, RECIPIENTS, { timeout: 15_000 });

    const seen = new Set<number>();
    const watching = (async () => {
      for (let i = 0; i < 600 && !seen.has(RECIPIENTS); i++) {
        seen.add(Number(await page.getAttribute('#letter-progress', 'value')));
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    workers = await startWorkers({ databaseUrl: stack().databaseUrl, smtpUrl: stack().smtpUrl, siteUrl: stack().siteUrl, jwtSecret: stack().jwtSecret }, { jobs: NEWSLETTER_JOBS });
    await page.waitForFunction((n) => (document.querySelector('#letter-progress') as HTMLProgressElement | null)?.value === n, RECIPIENTS, { timeout: 120_000 });
    await watching;
    // It moved through values between the start and the end, without a reload.
    expect([...seen].filter((v) => v > 0 && v < RECIPIENTS).length).toBeGreaterThan(0);
    await page.waitForFunction(() => (document.querySelector('[data-progress-live]')?.textContent ?? '').includes('Envoi terminé'));
    expect(await page.textContent('[data-progress-detail]')).toContain(`${RECIPIENTS} envoyées, 0 en échec, 0 restantes`);
    // After a reload: the counts as they are, read-only with its statistics.
    await page.reload();
    expect(await page.getAttribute('#letter-progress', 'value')).toBe(String(RECIPIENTS));
    expect(await page.textContent('[data-stat="delivered"]')).toBe(String(RECIPIENTS));
    await context.close();
  });
});
