import type { Browser as Chromium, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueTag } from '../db/fixtures.ts';
import { launchChromium } from '../web/browser.ts';
import { stack, type Browser } from '../web/helpers.ts';
import { claire, closeTestDb, testDb } from '../web/spaces-helpers.ts';

/*
 * The census upload in a real browser: the island reads the file and sends it batch after batch
 * (2,000 lines each) to the API; the progress bar ends at the file's line count, the live region
 * says how many lines were kept and refused, and the refused lines are listed by number and reason.
 * The database holds exactly the kept lines, as hashes.
 */

let chromium: Chromium;
let admin: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  admin = await claire();
  chromium = await launchChromium();
}, 60_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await chromium?.close();
  await closeTestDb();
});

describe('the census upload', () => {
  it('goes batch by batch with its progress, then lists the refused lines by number and reason', { timeout: 90_000 }, async () => {
    const tag = uniqueTag().toUpperCase();
    const rows = Array.from({ length: 4500 }, (_, i) => `C${tag}-${i};${1950 + (i % 50)}-0${1 + (i % 9)}-1${i % 10}`);
    rows[1000] = `C${tag}-1000;31/02/1990`; // no such date
    rows[3999] = `C${tag}-0;1950-01-10`; // the same person twice
    const text = ['identifiant;date_naissance;quartier', ...rows].join('\n');

    const site = new URL(stack().siteUrl);
    const context = await chromium.newContext();
    contexts.push(context);
    await context.addCookies([...admin.cookies].map(([name, value]) => ({ name, value, domain: site.hostname, path: '/' })));
    const page = await context.newPage();
    const batches: number[] = [];
    page.on('request', (r) => (r.url().endsWith('/api/verifications/census') ? batches.push(r.method() === 'POST' ? 1 : 0) : undefined));
    await page.goto(`${stack().siteUrl}/fr/admin/verifications`);
    // The island hydrates when the page is idle (client:idle); until it holds the form, a submit
    // would post the whole file the old way. Under load, network idleness came before it.
    await page.waitForSelector('form[data-census-form][data-census-enhanced="true"]', { state: 'attached', timeout: 30_000 });
    await page.setInputFiles('#census-file', { name: 'recensement.csv', mimeType: 'text/csv', buffer: Buffer.from(text) });
    await page.click('form[data-census-form] button[type="submit"]');
    await page.waitForSelector('[data-census-progress][data-census-done="true"]', { timeout: 60_000 });

    expect(batches.length).toBe(3);
    expect(await page.$eval('#census-progress-bar', (p) => [(p as HTMLProgressElement).value, (p as HTMLProgressElement).max])).toEqual([4501, 4501]);
    // 4,501 lines: the header, 4,498 kept, 2 refused; numbers written the French way.
    expect(await page.textContent('[data-census-progress-text]')).toBe('4\u202f498 lignes ajoutées, 2 refusées.');
    const refused = await page.$$eval('[data-census-result] li', (lis) => lis.map((li) => li.textContent ?? ''));
    expect(refused).toHaveLength(2);
    expect(refused).toEqual(['Ligne 1002 : date de naissance invalide', 'Ligne 4001 : déjà dans le recensement']);
    // Still the form page: nothing was posted the old way.
    expect(new URL(page.url()).search).toBe('');

    const [upload] = await testDb()<{ added: number; lines: number; finished: boolean }[]>`
      select u.lines_added as added, (select count(*)::int from public.census_lines l where l.upload_id = u.id) as lines, u.finished_at is not null as finished
      from public.census_uploads u where u.file_name = 'recensement.csv' order by u.created_at desc limit 1`;
    expect(upload).toEqual({ added: 4498, lines: 4498, finished: true });
  });
});
