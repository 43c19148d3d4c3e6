import type { Browser as Chromium, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { person, proposalsPlace, type Person, type Place } from '../proposals/page-fixtures.ts';
import { launchChromium } from '../web/browser.ts';
import { stack } from '../web/helpers.ts';
import { closeTestDb, testDb } from '../web/spaces-helpers.ts';

/*
 * A co-editing connection whose rights drop to read-only (a collaborator removed while the draft
 * stays readable) is told in words, in the status and the live region, and the text stops being
 * editable; a reader who never could write is told at once. Real browser, real service.
 */

let chromium: Chromium;
let place: Place;
let alice: Person;
let bob: Person;
let carol: Person;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  place = await proposalsPlace({ collaborative_drafts_enabled: true });
  [alice, bob, carol] = await Promise.all([person('Alice Lecture'), person('Bruno Lecture'), person('Carole Lecture')]);
  chromium = await launchChromium();
}, 60_000);

afterAll(async () => {
  for (const c of contexts) await c.close();
  await chromium?.close();
  await closeTestDb();
});

async function pageAs(p: Person, locale: 'fr' | 'en' = 'fr') {
  const site = new URL(stack().siteUrl);
  const context = await chromium.newContext();
  contexts.push(context);
  await context.addCookies([...p.browser.cookies].map(([name, value]) => ({ name, value, domain: site.hostname, path: '/' })));
  const page = await context.newPage();
  return { page, base: `${stack().siteUrl}${locale === 'en' ? place.list.replace(/^\/fr\//, '/en/') : place.list}` };
}

async function draftWithBob(): Promise<string> {
  const db = testDb();
  const [draft] = await db<{ id: string }[]>`
    insert into public.proposal_collaborative_drafts (component_id, space_id, author_id, title, body)
    values (${place.componentId}, ${place.spaceId}, ${alice.id}, 'Des bancs au marché', '<p>Installer des bancs.</p>')
    returning id`;
  await db`insert into public.proposal_draft_requests (draft_id, user_id) values (${draft!.id}, ${bob.id})`;
  await db`insert into public.proposal_draft_collaborators (draft_id, user_id) values (${draft!.id}, ${bob.id})`;
  return draft!.id;
}

describe('a co-editing connection downgraded to read-only', () => {
  it('says so in words and stops being editable when a collaborator is removed', async () => {
    const draftId = await draftWithBob();
    const { page, base } = await pageAs(bob);
    await page.goto(`${base}/drafts/${draftId}`);
    const editor = page.locator('.rich-text-editor__content');
    await editor.waitFor({ timeout: 20_000 });
    await page.waitForSelector('[data-collab-status="connected"]', { timeout: 10_000 });
    expect(await editor.getAttribute('contenteditable')).toBe('true');
    expect(await page.locator('.rich-text-editor__toolbar').count()).toBe(1);

    // Bob is removed from the collaborators; the draft stays open and readable by him.
    await testDb()`delete from public.proposal_draft_collaborators where draft_id = ${draftId} and user_id = ${bob.id}`;

    await page.waitForSelector('[data-collab-status="readOnly"]', { timeout: 20_000 });
    expect(await page.locator('[role="status"][data-collab-status]').innerText()).toBe('Lecture seule : vous pouvez suivre le texte, pas le modifier.');
    expect(await page.locator('[data-announcements]').innerText()).toBe(
      'Vos droits ont changé : le texte est désormais en lecture seule, vous ne pouvez plus le modifier.',
    );
    expect(await page.locator('[data-announcements]').getAttribute('aria-live')).toBe('polite');
    expect(await editor.getAttribute('contenteditable')).toBe('false');
    expect(await page.locator('.rich-text-editor__toolbar').count()).toBe(0);
    // Typing changes nothing.
    await editor.click();
    await page.keyboard.type('Ignoré');
    expect(await editor.innerText()).toBe('Installer des bancs.');
  }, 60_000);

  it('a reader who is not a collaborator is told at once, in their language', async () => {
    const draftId = await draftWithBob();
    const { page, base } = await pageAs(carol, 'en');
    await page.goto(`${base}/drafts/${draftId}`);
    await page.waitForSelector('[data-collab-status="readOnly"]', { timeout: 20_000 });
    expect(await page.locator('[role="status"][data-collab-status]').innerText()).toBe('Read only: you can follow the text, not change it.');
    expect(await page.locator('.rich-text-editor__content').getAttribute('contenteditable')).toBe('false');
  }, 60_000);

  it('the access endpoint answers as the visitor, and refuses a malformed name', async () => {
    const draftId = await draftWithBob();
    const doc = encodeURIComponent(`proposals/${draftId}/draft_body`);
    const asBob = await bob.browser.get(`/api/realtime/access?document=${doc}`);
    expect(JSON.parse(asBob.html)).toEqual({ access: 'write' });
    const asCarol = await carol.browser.get(`/api/realtime/access?document=${doc}`);
    expect(JSON.parse(asCarol.html)).toEqual({ access: 'read' });
    const bad = await carol.browser.get('/api/realtime/access?document=..%2Fetc');
    expect(bad.status).toBe(400);
  }, 30_000);
});
