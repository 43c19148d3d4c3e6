import type { Browser as Chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../supabase/demo-accounts.ts';
import { person, proposalsPlace, published } from '../proposals/page-fixtures.ts';
import { png } from '../storage/helpers.ts';
import { axeViolations } from '../web/axe.ts';
import { launchChromium } from '../web/browser.ts';
import { type Browser, signedIn, stack } from '../web/helpers.ts';
import { closeTestDb, testDb } from '../web/spaces-helpers.ts';
import { PDF } from './helpers.ts';

/**
 * The attachments' pages in a real browser, read by axe in French and English: a proposal's
 * gallery and document list (as a visitor, and as its author with the upload form and the
 * remove buttons), the avatar on the account page, the hero image in a space's admin. The gallery's
 * images load lazily with their size reserved (no layout shift).
 */

let chromium: Chromium;
beforeAll(async () => {
  chromium = await launchChromium();
});
afterAll(async () => {
  await chromium?.close();
  await closeTestDb();
});

async function read(cookies: Browser | null, paths: string[]) {
  const context = await chromium.newContext({ viewport: { width: 1100, height: 900 }, bypassCSP: true });
  const host = new URL(stack().siteUrl).hostname;
  if (cookies) await context.addCookies([...cookies.cookies].map(([name, value]) => ({ name, value, domain: host, path: '/' })));
  const page = await context.newPage();
  const findings = [];
  const lazy: boolean[] = [];
  for (const path of paths) {
    for (const locale of ['fr', 'en']) {
      await page.goto(`${stack().siteUrl}${path.replace(/^\/fr(\/|$)/, `/${locale}$1`)}`, { waitUntil: 'load' });
      findings.push(...(await axeViolations(page)));
      lazy.push(...(await page.$$eval('.attachments__gallery img', (imgs) => imgs.map((i) => i.getAttribute('loading') === 'lazy' && !!i.getAttribute('width') && !!i.getAttribute('height')))));
    }
  }
  await context.close();
  return { findings, lazy };
}

describe('attachments in a browser', () => {
  it('a proposal’s gallery and documents (in a folder), the upload and folder forms, the avatar and hero forms pass axe', async () => {
    const place = await proposalsPlace({ attachments_allowed: true });
    const author = await person('Inès Autrice');
    const id = await published(place, author.id);
    const page = place.page(id);
    const post = (fields: Record<string, string>, file: { data: Uint8Array | string; name: string; type: string }) => {
      const fd = new FormData();
      for (const [k, v] of Object.entries(fields)) fd.append(k, v);
      fd.append('file', new File([typeof file.data === 'string' ? file.data : new Uint8Array(file.data)], file.name, { type: file.type }));
      return author.browser.post(`${page}?_action=attachments.addAttachment`, fd);
    };
    expect((await post({ resource_type: 'proposal', resource_id: id, title: 'Le square' }, { data: await png(900, 600), name: 'square.png', type: 'image/png' })).status).toBe(303);
    // A folder, so the folders' list, the upload's folder choice and the files' move forms are read too.
    expect((await author.browser.post(`${page}?_action=attachments.addCollection`, { resource_type: 'proposal', resource_id: id, name: 'Budget' })).status).toBe(303);
    const [folder] = await testDb()<{ id: string }[]>`select id from public.attachment_collections where resource_id = ${id}`;
    expect((await post({ resource_type: 'proposal', resource_id: id, title: 'Plan de financement', collection_id: folder!.id }, { data: PDF, name: 'plan.pdf', type: 'application/pdf' })).status).toBe(303);

    const [space] = await testDb()<{ id: string }[]>`select id from public.spaces where id = '00000000-0000-4000-8002-000000000001'`;
    const admin = await signedIn('admin@demo.decidons.fr', DEMO_PASSWORD);
    const results = await Promise.all([
      read(null, [page]),
      read(author.browser, [page, '/fr/account']),
      read(admin, [`/fr/admin/spaces/${space!.id}`]),
    ]);
    const findings = results.flatMap((r) => r.findings);
    expect(findings, JSON.stringify(findings, null, 2)).toEqual([]);
    const lazy = results.flatMap((r) => r.lazy);
    expect(lazy.length).toBeGreaterThan(0);
    expect(lazy.every(Boolean)).toBe(true);
  });
});
