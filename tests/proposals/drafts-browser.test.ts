import { gzipSync } from 'node:zlib';
import type { Browser as Chromium, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../web/browser.ts';
import { stack } from '../web/helpers.ts';
import { closeTestDb, testDb } from '../web/spaces-helpers.ts';
import { person, proposalsPlace, type Person, type Place } from './page-fixtures.ts';

/*
 * Two people co-edit the same collaborative draft in two real browsers (headless Chromium, the
 * TipTap island, the co-editing service): each sees the other's text and caret, and who is here;
 * the toolbar says its state; publishing makes the proposal with both as authors.
 */

let chromiumBrowser: Chromium;
let place: Place;
let alice: Person;
let bob: Person;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  place = await proposalsPlace({ collaborative_drafts_enabled: true });
  [alice, bob] = await Promise.all([person('Alice Ensemble'), person('Bruno Ensemble')]);
  chromiumBrowser = await launchChromium();
}, 60_000);

afterAll(async () => {
  for (const c of contexts) await c.close();
  await chromiumBrowser?.close();
  await closeTestDb();
});

async function pageAs(p: Person) {
  const site = new URL(stack().siteUrl);
  const context = await chromiumBrowser.newContext();
  contexts.push(context);
  await context.addCookies([...p.browser.cookies].map(([name, value]) => ({ name, value, domain: site.hostname, path: '/' })));
  return context.newPage();
}

/** The scripts a page loads, with their gzipped size. */
function scriptsOf(page: Page): { url: string; gz: number }[] {
  const scripts: { url: string; gz: number }[] = [];
  page.on('response', (r) => {
    if (r.request().resourceType() !== 'script') return;
    void r.body().then((b) => scripts.push({ url: r.url(), gz: gzipSync(b, { level: 9 }).length }), () => {});
  });
  return scripts;
}

describe('a collaborative draft in two real browsers', () => {
  // The budget: 150 KB for a co-editing page (the editor, Yjs and ProseMirror, is ~135 KB of it).
  it('loads the editor only where it edits, within 150 KB of gzipped JavaScript', async () => {
    const db = testDb();
    const [draft] = await db<{ id: string }[]>`
      insert into public.proposal_collaborative_drafts (component_id, space_id, author_id, title)
      values (${place.componentId}, ${place.spaceId}, ${alice.id}, 'Un brouillon à peser') returning id`;
    const page = await pageAs(alice);
    const onDraft = scriptsOf(page);
    await page.goto(`${stack().siteUrl}${place.list}/drafts/${draft!.id}`);
    await page.locator('.rich-text-editor__content').waitFor({ timeout: 20_000 });
    await page.waitForLoadState('networkidle');
    expect(onDraft.some((s) => /CollaborativeEditor/.test(s.url))).toBe(true);
    const total = onDraft.reduce((n, s) => n + s.gz, 0);
    expect(total, onDraft.map((s) => `${s.url} ${s.gz}`).join('\n')).toBeLessThanOrEqual(150 * 1024);
    const list = await pageAs(alice);
    const onList = scriptsOf(list);
    await list.goto(`${stack().siteUrl}${place.list}`);
    await list.waitForLoadState('networkidle');
    expect(await list.locator(`a[href$="/drafts"]`).count()).toBe(1);
    expect(onList.filter((s) => /Editor|yjs|tiptap/i.test(s.url))).toEqual([]);
  }, 60_000);

  it('two people type together, see each other’s text and caret, and publish it as one proposal of both', async () => {
    const db = testDb();
    const [draft] = await db<{ id: string }[]>`
      insert into public.proposal_collaborative_drafts (component_id, space_id, author_id, title, body)
      values (${place.componentId}, ${place.spaceId}, ${alice.id}, 'Un verger dans le parc', '<p>Planter un verger partagé.</p>')
      returning id`;
    await db`insert into public.proposal_draft_requests (draft_id, user_id) values (${draft!.id}, ${bob.id})`;
    await db`insert into public.proposal_draft_collaborators (draft_id, user_id) values (${draft!.id}, ${bob.id})`;
    const url = `${stack().siteUrl}${place.list}/drafts/${draft!.id}`;

    const [a, b] = await Promise.all([pageAs(alice), pageAs(bob)]);
    const errors: string[] = [];
    for (const pg of [a, b]) pg.on('pageerror', (e) => errors.push(String(e)));
    await Promise.all([a.goto(url), b.goto(url)]);
    const editorA = a.locator('.rich-text-editor__content');
    const editorB = b.locator('.rich-text-editor__content');
    await Promise.all([editorA.waitFor({ timeout: 20_000 }), editorB.waitFor({ timeout: 20_000 })]);
    await a.waitForSelector('[data-collab-status="connected"]', { timeout: 10_000 });
    await b.waitForSelector('[data-collab-status="connected"]', { timeout: 10_000 });
    // The saved text seeds the document once, not once per person.
    await expect.poll(() => editorA.innerText(), { timeout: 10_000 }).toBe('Planter un verger partagé.');
    await expect.poll(() => editorB.innerText(), { timeout: 10_000 }).toBe('Planter un verger partagé.');
    expect(await a.isHidden('#draft-saved-body')).toBe(true);

    // Alice types at the end, in bold from the toolbar (whose button says it is pressed).
    await editorA.click();
    await a.keyboard.press('End');
    await a.click('[data-command="bold"]');
    expect(await a.getAttribute('[data-command="bold"]', 'aria-pressed')).toBe('true');
    await a.keyboard.type(' Des pommiers.');
    await expect.poll(() => editorB.innerText(), { timeout: 10_000 }).toContain('Des pommiers.');
    expect(await b.locator('.rich-text-editor__content strong').innerText()).toContain('Des pommiers.');

    // Bob types a new paragraph; Alice sees it.
    await editorB.click();
    await b.keyboard.press('Control+End');
    await b.keyboard.press('Enter');
    await b.keyboard.type('Et des poiriers.');
    await expect.poll(() => editorA.innerText(), { timeout: 10_000 }).toContain('Et des poiriers.');

    // Each sees the other's caret with their name, and the other in the here-now list.
    await expect.poll(() => a.locator('.collaboration-carets__label').allInnerTexts(), { timeout: 10_000 }).toContain('Bruno Ensemble');
    await expect.poll(() => b.locator('.collaboration-carets__label').allInnerTexts(), { timeout: 10_000 }).toContain('Alice Ensemble');
    expect(await a.locator(`[data-peers] [data-peer="${bob.id}"]`).innerText()).toContain('Bruno Ensemble');
    expect(await a.locator('[data-announcements]').innerText()).toContain('Bruno Ensemble');

    // Bob publishes: the proposal carries the shared text and both authors.
    await b.fill('[data-publish] input[name="title"]', 'Un verger partagé dans le parc');
    await Promise.all([b.waitForURL(/\/proposals\/[0-9a-f-]{36}/, { timeout: 20_000 }), b.click('[data-publish] button[type="submit"]')]);
    const proposalId = /\/proposals\/([0-9a-f-]{36})/.exec(b.url())![1]!;
    const [p] = await db<{ title: string; body: string }[]>`select title, body from public.proposals where id = ${proposalId}`;
    expect(p!.title).toBe('Un verger partagé dans le parc');
    // (Bob's new paragraph continues the bold text his caret was at the end of.)
    expect(p!.body).toBe('<p>Planter un verger partagé.<strong> Des pommiers.</strong></p><p><strong>Et des poiriers.</strong></p>');
    const authors = await db<{ user_id: string }[]>`select user_id from public.proposal_coauthors where proposal_id = ${proposalId} and status = 'accepted'`;
    expect(authors.map((r) => r.user_id).sort()).toEqual([alice.id, bob.id].sort());
    expect(await b.locator('h1').innerText()).toContain('Un verger partagé dans le parc');
    expect(errors).toEqual([]);
  }, 90_000);
});
