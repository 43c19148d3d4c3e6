import type { Browser as Chromium, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { person, proposalsPlace, type Person, type Place } from '../proposals/page-fixtures.ts';
import { axeViolations } from '../web/axe.ts';
import { launchChromium } from '../web/browser.ts';
import { stack } from '../web/helpers.ts';
import { closeTestDb, testDb } from '../web/spaces-helpers.ts';

/*
 * The history panel of a co-edited text in real browsers (the collaborative draft page, the
 * co-editing service, /api/collab/history): a writer names versions, compares two (insertions and
 * deletions marked and said in words), shows one, restores one, and the other writer's open
 * editor follows; a reader sees the history but the server refuses her a restore.
 */

let chromiumBrowser: Chromium;
let place: Place;
let alice: Person;
let bob: Person;
let carol: Person;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  place = await proposalsPlace({ collaborative_drafts_enabled: true });
  [alice, bob, carol] = await Promise.all([person('Alice Versions'), person('Bruno Versions'), person('Carole Lit')]);
  chromiumBrowser = await launchChromium();
}, 60_000);

afterAll(async () => {
  for (const c of contexts) await c.close();
  await chromiumBrowser?.close();
  await closeTestDb();
});

async function pageAs(p: Person) {
  const site = new URL(stack().siteUrl);
  // bypassCSP: axe-core is injected as an inline script, which the site's policy refuses.
  const context = await chromiumBrowser.newContext({ bypassCSP: true });
  contexts.push(context);
  await context.addCookies([...p.browser.cookies].map(([name, value]) => ({ name, value, domain: site.hostname, path: '/' })));
  return context.newPage();
}

/** The editor's text, without the other people's carets and name labels. */
const textOf = (editor: ReturnType<Page['locator']>) =>
  editor.evaluate((el) => {
    const copy = el.cloneNode(true) as HTMLElement;
    copy.querySelectorAll('.collaboration-carets__caret').forEach((c) => c.remove());
    return [...copy.querySelectorAll('p')].map((p) => p.textContent ?? '').join('\n');
  });

describe('the history of a collaborative draft', () => {
  it('names, compares, shows and restores versions; the other writer follows; a reader may look but not restore', async () => {
    const db = testDb();
    const [draft] = await db<{ id: string }[]>`
      insert into public.proposal_collaborative_drafts (component_id, space_id, author_id, title, body)
      values (${place.componentId}, ${place.spaceId}, ${alice.id}, 'Un verger pour tous', '<p>Premier jet.</p>')
      returning id`;
    await db`insert into public.proposal_draft_collaborators (draft_id, user_id) values (${draft!.id}, ${bob.id})`;
    const url = `${stack().siteUrl}${place.list}/drafts/${draft!.id}`;
    const [a, b, c] = await Promise.all([pageAs(alice), pageAs(bob), pageAs(carol)]);
    const errors: string[] = [];
    for (const pg of [a, b, c]) pg.on('pageerror', (e) => errors.push(String(e)));
    await a.goto(url);
    await a.waitForSelector('[data-collab-status="connected"]', { timeout: 20_000 });
    const editorA = a.locator('.rich-text-editor__content');
    await expect.poll(() => textOf(editorA), { timeout: 10_000 }).toBe('Premier jet.');
    await b.goto(url);
    await b.waitForSelector('[data-collab-status="connected"]', { timeout: 20_000 });
    const editorB = b.locator('.rich-text-editor__content');
    await expect.poll(() => textOf(editorB), { timeout: 10_000 }).toBe('Premier jet.');

    // The history opens on demand (its code loads then, not with the editor).
    await a.click('[data-history-disclosure] summary');
    await a.locator('[data-collab-history]').scrollIntoViewIfNeeded();
    await a.locator('[data-name-version]').waitFor({ timeout: 10_000 });
    // A name is required: the error is said next to the field.
    await a.locator('[data-name-version] button[type="submit"]').click();
    expect(await a.locator('#collab-history-name-error').innerText()).toContain('1 à 100');
    expect(await a.getAttribute('#collab-history-name', 'aria-invalid')).toBe('true');

    // Alice names the text as it is, writes more, names it again.
    await a.fill('#collab-history-name', 'Premier jet');
    await a.locator('[data-name-version] button[type="submit"]').click();
    await expect.poll(() => a.locator('[data-history-status]').innerText(), { timeout: 10_000 }).toContain('Premier jet');
    await editorA.click();
    await a.keyboard.press('Control+End');
    await a.keyboard.type(' Des pommiers.');
    await expect.poll(() => textOf(editorB), { timeout: 10_000 }).toBe('Premier jet. Des pommiers.');
    await a.fill('#collab-history-name', 'Avec les pommiers');
    await a.locator('[data-name-version] button[type="submit"]').click();
    const rows = a.locator('[data-collab-history] tbody tr');
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(2);
    // Newest first, with its time in the organization's zone and who named it.
    expect(await rows.nth(0).innerText()).toContain('« Avec les pommiers » (nommée par Alice Versions)');
    expect(await rows.nth(0).locator('td').first().innerText()).toMatch(/\d{2}:\d{2}/);
    const [firstId, secondId] = [await rows.nth(1).getAttribute('data-version-id'), await rows.nth(0).getAttribute('data-version-id')];

    // The differences between the two: the addition marked <ins>, and said in words.
    await a.selectOption('#collab-history-from', firstId!);
    await a.selectOption('#collab-history-to', secondId!);
    await a.locator('[data-compare-versions] button[type="submit"]').click();
    const diff = a.locator('[data-history-diff]');
    await diff.waitFor();
    expect(await diff.locator('ins').innerText()).toContain('Des pommiers.');
    expect(await diff.locator('ins .visually-hidden').textContent()).toContain('ajouté');
    expect(await diff.locator('del').count()).toBe(0);
    expect(await a.evaluate(() => document.activeElement?.id)).toBe('collab-history-diff-heading');
    // And back the other way: a deletion, struck through.
    await a.selectOption('#collab-history-from', secondId!);
    await a.selectOption('#collab-history-to', firstId!);
    await a.locator('[data-compare-versions] button[type="submit"]').click();
    await expect.poll(() => diff.locator('del').count(), { timeout: 5000 }).toBe(1);
    expect(await diff.locator('del').innerText()).toContain('Des pommiers.');

    // axe, with the history open, the differences and then a version shown, and the restore dialog.
    expect(await axeViolations(a)).toEqual([]);
    // One version shown read-only.
    await rows.nth(1).locator('[data-show-version]').click();
    const shown = a.locator('[data-history-version]');
    await shown.waitFor();
    expect(await shown.locator('.collab-history__text').innerText()).toBe('Premier jet.');
    expect(await shown.locator('[contenteditable]').count()).toBe(0);
    expect(await axeViolations(a)).toEqual([]);

    // Carol reads the draft: she sees the history, has no restore button, and the server refuses hers.
    await c.goto(url);
    await c.click('[data-history-disclosure] summary');
    await c.locator('[data-collab-history]').scrollIntoViewIfNeeded();
    await c.locator('[data-collab-history] tbody tr').first().waitFor({ timeout: 20_000 });
    expect(await c.locator('[data-collab-history] tbody tr').count()).toBe(2);
    expect(await c.locator('[data-restore-version]').count()).toBe(0);
    expect(await c.locator('[data-name-version]').count()).toBe(0);
    expect(await axeViolations(c)).toEqual([]);
    const refused = await c.evaluate(
      async ([document, version]) => {
        const res = await fetch('/api/collab/history', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ action: 'restore', document, version }) });
        return [res.status, await res.json()] as const;
      },
      [`proposals/${draft!.id}/draft_body`, firstId!] as const,
    );
    expect(refused).toEqual([403, { error: 'forbidden' }]);
    await new Promise((r) => setTimeout(r, 500));
    expect(await textOf(editorB)).toBe('Premier jet. Des pommiers.');

    // Alice restores the first version, after confirming: both open editors follow.
    await rows.nth(1).locator('[data-restore-version]').click();
    const dialog = a.locator('[data-history-confirm]');
    await expect.poll(() => dialog.evaluate((d) => (d as HTMLDialogElement).open), { timeout: 5000 }).toBe(true);
    expect(await a.evaluate(() => document.activeElement?.textContent)).toBe('Annuler');
    expect(await axeViolations(a)).toEqual([]);
    await dialog.locator('[data-confirm-restore]').click();
    await expect.poll(() => textOf(editorA), { timeout: 10_000 }).toBe('Premier jet.');
    await expect.poll(() => textOf(editorB), { timeout: 10_000 }).toBe('Premier jet.');
    await expect.poll(() => a.locator('[data-history-status]').innerText(), { timeout: 10_000 }).toContain('restaurée');
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(3);
    expect(await rows.nth(0).getAttribute('data-version-kind')).toBe('restore');
    // Bob keeps writing from the restored text.
    await editorB.click();
    await b.keyboard.press('Control+End');
    await b.keyboard.type(' Et des poiriers.');
    await expect.poll(() => textOf(editorA), { timeout: 10_000 }).toBe('Premier jet. Et des poiriers.');
    expect(errors).toEqual([]);
  }, 120_000);
});
