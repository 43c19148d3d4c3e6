import type { Browser as Chromium, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sanitizeHtml } from '../../src/lib/html/sanitize.ts';
import { launchChromium } from '../web/browser.ts';
import { stack, type Browser } from '../web/helpers.ts';
import { addPagesComponent, claire, closeTestDb, createProcess, publishComponent, publishSpace, testDb, uniqueSlug } from '../web/spaces-helpers.ts';

/*
 * The rich-text editor on an admin form (a page's body, through TranslatedField) in a real
 * browser: type, bold from the toolbar, a link through the accessible dialog (a refused address
 * says why next to the field; Escape closes it and gives focus back), save; what is stored and
 * rendered is exactly what the editor wrote, which the server's sanitiser leaves unchanged. The
 * same form without JavaScript: the plain textarea posts.
 */

let chromium: Chromium;
let admin: Browser;
let spaceId: string;
let componentId: string;
let slug: string;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  admin = await claire();
  slug = uniqueSlug('editor');
  spaceId = await createProcess(admin, { slug, title: 'Éditeur de texte' });
  componentId = await addPagesComponent(admin, spaceId, 'Règlement');
  await publishComponent(admin, spaceId, componentId);
  await publishSpace(admin, spaceId);
  chromium = await launchChromium();
}, 60_000);

afterAll(async () => {
  for (const c of contexts) await c.close();
  await chromium?.close();
  await closeTestDb();
});

async function adminPage(javaScriptEnabled = true) {
  const site = new URL(stack().siteUrl);
  const context = await chromium.newContext({ javaScriptEnabled });
  contexts.push(context);
  await context.addCookies([...admin.cookies].map(([name, value]) => ({ name, value, domain: site.hostname, path: '/' })));
  return context.newPage();
}

const manage = () => `${stack().siteUrl}/fr/admin/spaces/${spaceId}/components/${componentId}/manage`;

async function storedBody(): Promise<{ fr?: string; en?: string }> {
  const [row] = await testDb()<{ body: { fr?: string; en?: string } }[]>`select body from public.pages where component_id = ${componentId}`;
  return row?.body ?? {};
}

describe('the rich-text editor in an admin form', () => {
  it('types, bolds, links through the dialog, saves the sanitised HTML the page renders', async () => {
    const page = await adminPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(manage());
    const fr = page.locator('.rich-text-editor__content[lang="fr"]');
    await fr.waitFor({ timeout: 20_000 });
    // One editor per language, each labelled by its language; the textareas they fill are hidden.
    expect(await page.locator('.rich-text-editor__content').count()).toBe(2);
    expect(await page.isHidden('#page-body-fr')).toBe(true);
    expect(await fr.getAttribute('aria-labelledby')).toBe('page-body-fr-label');
    expect(await page.locator('#page-body-fr-label').innerText()).toBe('Français');
    // The editor's scripts load on this page only (a public page loads none: the page-weight test).

    // The language's label leads to its editor (the textarea it labels is hidden).
    await page.click('#page-body-fr-label');
    expect(await fr.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type('Le règlement ');
    const toolbarFr = page.locator('.rich-text-editor', { has: fr });
    await toolbarFr.locator('[data-command="bold"]').click();
    expect(await toolbarFr.locator('[data-command="bold"]').getAttribute('aria-pressed')).toBe('true');
    await page.keyboard.type('complet');
    await toolbarFr.locator('[data-command="bold"]').click();
    await page.keyboard.type(' : ');

    // The link dialog: opened from the toolbar, focus in its labelled field.
    const linkButton = toolbarFr.locator('[data-command="link"]');
    await linkButton.click();
    const dialog = page.locator('dialog[data-link-dialog]');
    expect(await dialog.evaluate((d: HTMLDialogElement) => d.open)).toBe(true);
    expect(await dialog.getAttribute('aria-labelledby')).toBeTruthy();
    expect(await page.locator(`#${await dialog.getAttribute('aria-labelledby')}`).innerText()).toBe('Lien');
    const input = dialog.locator('input');
    expect(await input.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await page.locator(`label[for="${await input.getAttribute('id')}"]`).innerText()).toBe('Adresse du lien');
    // A refused address: the translated error next to the field, the dialog stays open, the form is not posted.
    await page.keyboard.type('javascript:alert(1)');
    await page.keyboard.press('Enter');
    expect(await dialog.evaluate((d: HTMLDialogElement) => d.open)).toBe(true);
    expect(page.url()).toBe(manage());
    expect(await dialog.locator('[data-link-error]').innerText()).toContain('Cette adresse n’est pas valable');
    expect(await input.getAttribute('aria-invalid')).toBe('true');
    expect(await input.getAttribute('aria-describedby')).toContain(await dialog.locator('[data-link-error]').getAttribute('id'));
    // Escape closes it without a change and gives focus back to the link button.
    await page.keyboard.press('Escape');
    expect(await dialog.evaluate((d: HTMLDialogElement) => d.open)).toBe(false);
    expect(await linkButton.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await fr.locator('a').count()).toBe(0);
    // Again, with a good address (a bare host gets https://): the address becomes the link's text.
    await linkButton.press('Enter');
    // The dialog opens once its module's import resolves (asynchronous even when loaded): wait for
    // it, or a loaded machine reads the dialog still closed from the first time.
    await page.waitForSelector('dialog[data-link-dialog][open]', { timeout: 5_000 });
    expect(await dialog.evaluate((d: HTMLDialogElement) => d.open)).toBe(true);
    expect(await dialog.locator('[data-link-error]').isHidden()).toBe(true);
    expect(await input.getAttribute('aria-invalid')).toBeNull();
    await page.keyboard.type('example.org/reglement');
    await page.keyboard.press('Enter');
    expect(await dialog.evaluate((d: HTMLDialogElement) => d.open)).toBe(false);
    expect(await fr.locator('a').getAttribute('href')).toBe('https://example.org/reglement');

    const written = await page.locator('#page-body-fr').inputValue();
    expect(written).toBe('<p>Le règlement <strong>complet</strong> : <a href="https://example.org/reglement" rel="nofollow noopener">https://example.org/reglement</a></p>');
    // What the editor writes is already what the server's sanitiser keeps.
    expect(sanitizeHtml(written)).toBe(written);

    await Promise.all([page.waitForURL(/status=content-saved/, { timeout: 20_000 }), page.locator('form:has(#page-body) button[type="submit"]').click()]);
    const body = await storedBody();
    expect(body.fr).toBe(written);
    // The editor opens again on the stored text.
    await fr.waitFor({ timeout: 20_000 });
    expect(await fr.locator('strong').innerText()).toBe('complet');

    // The public page renders it, sanitised, as written.
    const pub = await adminPage();
    await pub.goto(`${stack().siteUrl}/fr/processes/${slug}/f/${componentId}`);
    expect(await pub.content()).toContain(written);
    expect(errors).toEqual([]);
  }, 90_000);

  it('without JavaScript the same form posts its plain textarea', async () => {
    const page = await adminPage(false);
    await page.goto(manage());
    expect(await page.locator('.rich-text-editor').count()).toBe(0);
    expect(await page.isVisible('#page-body-fr')).toBe(true);
    await page.fill('#page-body-fr', '<p>Sans <em>script</em>.</p><p onclick="x()">Nettoyé</p>');
    await page.fill('#page-body-en', '<p>No script.</p>');
    await Promise.all([page.waitForURL(/status=content-saved/, { timeout: 20_000 }), page.locator('form:has(#page-body) button[type="submit"]').click()]);
    const body = await storedBody();
    expect(body.fr).toBe('<p>Sans <em>script</em>.</p><p>Nettoyé</p>');
    expect(body.en).toBe('<p>No script.</p>');
  }, 60_000);

  it('a text holding markup the editor cannot hold keeps its plain textarea (nothing dropped); the other language gets the editor', async () => {
    await testDb()`update public.pages set body = ${testDb().json({ fr: '<p>Tapez <code>npm start</code>, puis <u>relisez</u>.</p><hr>', en: '<p>Plain.</p>' })}
                   where component_id = ${componentId}`;
    const page = await adminPage();
    await page.goto(manage());
    await page.locator('.rich-text-editor__content[lang="en"]').waitFor({ timeout: 20_000 });
    expect(await page.isVisible('#page-body-fr')).toBe(true);
    expect(await page.locator('.rich-text-editor__content[lang="fr"]').count()).toBe(0);
    expect(await page.inputValue('#page-body-fr')).toBe('<p>Tapez <code>npm start</code>, puis <u>relisez</u>.</p><hr>');
  }, 60_000);
});
