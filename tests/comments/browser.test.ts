import { randomUUID } from 'node:crypto';
import type { Browser as Chromium } from 'playwright-core';
import { launchChromium } from '../web/browser.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConfirmedUser, signedIn, stack, type Browser } from '../web/helpers.ts';
import { closeTestDb, testDb, uniqueSlug } from '../web/spaces-helpers.ts';

/*
 * Two real browsers (headless Chromium) on the same page: a comment posted elsewhere appears in
 * both without a reload, announced in the live region, and the text someone is typing in the
 * comment box stays as it was.
 */

const slug = uniqueSlug('live');
const spaceId = randomUUID();
const componentId = randomUUID();
const path = `/fr/processes/${slug}/f/${componentId}`;
let chromiumBrowser: Chromium;
let poster: Browser;
let reader: Browser;

beforeAll(async () => {
  const db = testDb();
  await db`insert into public.spaces (id, kind, slug, title, published_at) values (${spaceId}, 'process', ${slug}, ${db.json({ fr: 'Direct' })}, now())`;
  await db`
    insert into public.components (id, space_id, feature, name, published_at, settings)
    values (${componentId}, ${spaceId}, 'pages', ${db.json({ fr: 'Page en direct' })}, now(), ${db.json({ comments_enabled: true })})`;
  const [a, b] = await Promise.all([createConfirmedUser({ name: 'Awa Poste' }), createConfirmedUser({ name: 'Rémi Lit' })]);
  [poster, reader] = await Promise.all([signedIn(a.email, a.password), signedIn(b.email, b.password)]);
  chromiumBrowser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await chromiumBrowser?.close();
  await closeTestDb();
});

describe('live comments in a real browser', () => {
  it('a comment posted elsewhere appears on open pages without reload; the typed draft is kept', async () => {
    const site = new URL(stack().siteUrl);
    const signedInContext = await chromiumBrowser.newContext();
    await signedInContext.addCookies([...reader.cookies].map(([name, value]) => ({ name, value, domain: site.hostname, path: '/' })));
    const anonymousContext = await chromiumBrowser.newContext();
    const [typing, watching] = await Promise.all([signedInContext.newPage(), anonymousContext.newPage()]);
    await Promise.all([typing.goto(`${stack().siteUrl}${path}`), watching.goto(`${stack().siteUrl}${path}`)]);
    await Promise.all([
      typing.waitForSelector('#comments[data-live="on"]', { timeout: 20_000 }),
      watching.waitForSelector('#comments[data-live="on"]', { timeout: 20_000 }),
    ]);
    await typing.fill('#comment-body', 'Mon brouillon en cours');

    const posted = await poster.post(`${path}?_action=comments.addComment`, { resource_type: 'page', resource_id: componentId, body: 'Bonjour en **direct**' });
    expect(posted.status).toBe(303);
    const id = /#comment-([0-9a-f-]{36})$/.exec(posted.location ?? '')?.[1];
    for (const page of [typing, watching]) {
      await page.waitForSelector(`#comment-${id} strong`, { timeout: 10_000 });
      expect(await page.textContent(`#comment-${id} .comment__body`)).toBe('Bonjour en direct');
      await page.waitForFunction(() => (document.querySelector('[data-comments-live-region]')?.textContent ?? '').includes('Awa Poste'));
    }
    expect(await typing.inputValue('#comment-body')).toBe('Mon brouillon en cours');
    // The new comment works like the others: the signed-in reader can vote on it and reply.
    expect(await typing.locator(`#comment-${id} button[name="value"][value="up"]`).textContent()).toContain('D’accord (0)');
    expect(await typing.locator(`#comment-${id} textarea[name="body"]`).count()).toBe(1);
    // A vote elsewhere updates the count in place.
    expect((await reader.post(`${path}?_action=comments.voteComment`, { comment_id: id!, value: 'up' })).status).toBe(303);
    await watching.waitForFunction((cid) => document.querySelector(`#comment-${cid} button[value="up"]`)?.textContent?.includes('(1)'), id);
    expect(await typing.inputValue('#comment-body')).toBe('Mon brouillon en cours');

    // Hidden by a moderator: it disappears from open pages.
    await testDb()`update public.comments set hidden_at = now() where id = ${id!}`;
    await watching.waitForSelector(`#comment-${id}`, { state: 'detached', timeout: 10_000 });
    await signedInContext.close();
    await anonymousContext.close();
  }, 60_000);
});
