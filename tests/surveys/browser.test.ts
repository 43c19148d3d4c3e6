import type { Browser as Chromium, BrowserContext } from 'playwright-core';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCondition, addQuestions, createSurvey, type BuiltQuestion, type SurveyFixture } from '../forms/fixtures.ts';
import { launchChromium } from '../web/browser.ts';
import { createConfirmedUser, signedIn, stack } from '../web/helpers.ts';

/*
 * Real browsers (headless Chromium): a participant answers in one page while the survey's admin
 * watches its results in another; the admin's chart and table move without a reload, announced
 * in a polite live region. On the participant's side, conditions apply as one answers and the
 * answers in progress survive a reload (the draft, kept as one types).
 */

const sql = postgres(stack().databaseUrl, { max: 2, onnotice: () => {} });
let chromium: Chromium;
let f: SurveyFixture;
let q: BuiltQuestion[];
let participant: BrowserContext;
let admin: BrowserContext;
const site = () => stack().siteUrl;

async function contextFor(email: string, password: string): Promise<BrowserContext> {
  const b = await signedIn(email, password);
  const context = await chromium.newContext();
  const host = new URL(site()).hostname;
  await context.addCookies([...b.cookies].map(([name, value]) => ({ name, value, domain: host, path: '/' })));
  return context;
}

beforeAll(async () => {
  f = await createSurvey(sql);
  q = await addQuestions(sql, f.questionnaireId, [
    { kind: 'single_option', mandatory: true, options: ['À pied', 'À vélo'], body: { fr: 'Comment venez-vous ?', en: 'How do you come?' } },
    { kind: 'short_answer', mandatory: true, body: { fr: 'Où garez-vous votre vélo ?', en: 'Where do you park your bike?' } },
    { kind: 'long_answer', body: { fr: 'Une remarque ?', en: 'Any remark?' } },
  ]);
  await addCondition(sql, q[1]!.id, q[0]!.id, 'equal', { option: q[0]!.options[1] });
  const [a, p] = await Promise.all([createConfirmedUser({ name: 'Claire Résultats' }), createConfirmedUser({ name: 'Paul Répond' })]);
  await sql`insert into public.space_roles (space_id, user_id, role) values (${f.spaceId}, ${a.id}, 'admin')`;
  chromium = await launchChromium();
  [admin, participant] = await Promise.all([contextFor(a.email, a.password), contextFor(p.email, p.password)]);
}, 90_000);

afterAll(async () => {
  await chromium?.close();
  await sql.end();
});

describe('surveys in a real browser', () => {
  it('conditions apply as one answers; the answers in progress survive a reload', async () => {
    const page = await participant.newPage();
    await page.goto(`${site()}/fr/processes/${f.slug}/f/${f.componentId}`);
    const conditional = page.locator(`#question-${q[1]!.id}`);
    await expect.poll(() => conditional.isHidden()).toBe(true);
    await page.check(`#q-${q[0]!.id}-${q[0]!.options[1]}`);
    await conditional.waitFor({ state: 'visible', timeout: 5_000 });
    await page.fill(`#q-${q[1]!.id}`, 'Devant la médiathèque');
    await page.fill(`#q-${q[2]!.id}`, 'Merci pour ce questionnaire');
    await page.waitForFunction(() => (document.querySelector('[data-draft-status]')?.textContent ?? '').includes('Brouillon enregistré'), undefined, { timeout: 10_000 });
    await page.reload();
    expect(await page.isChecked(`#q-${q[0]!.id}-${q[0]!.options[1]}`)).toBe(true);
    expect(await page.inputValue(`#q-${q[1]!.id}`)).toBe('Devant la médiathèque');
    expect(await page.inputValue(`#q-${q[2]!.id}`)).toBe('Merci pour ce questionnaire');
    // Walking instead: the bike question goes away, and its input with it (not sent).
    await page.check(`#q-${q[0]!.id}-${q[0]!.options[0]}`);
    await conditional.waitFor({ state: 'hidden', timeout: 5_000 });
    expect(await page.isDisabled(`#q-${q[1]!.id}`)).toBe(true);
    await page.check(`#q-${q[0]!.id}-${q[0]!.options[1]}`);
    await conditional.waitFor({ state: 'visible', timeout: 5_000 });
    await page.close();
  }, 60_000);

  it('an answer submitted in one page moves the admin’s chart in another, without a reload', async () => {
    const results = await admin.newPage();
    await results.goto(`${site()}/fr/admin/spaces/${f.spaceId}/components/${f.componentId}/survey/results`);
    await results.waitForSelector('[data-form-results][data-live="on"][data-charts="on"]', { timeout: 20_000 });
    const chart = `canvas[data-chart="${q[0]!.id}"]`;
    const values = () => results.$eval(chart, (c) => (c as HTMLCanvasElement).dataset['values'] ?? '');
    expect(await values()).toBe('[[0,0]]');
    const cell = results.locator(`[data-count="${q[0]!.id}:${q[0]!.options[1]}"]`);
    expect(await cell.textContent()).toBe('0');

    const page = await participant.newPage();
    await page.goto(`${site()}/fr/processes/${f.slug}/f/${f.componentId}`);
    await page.check(`#q-${q[0]!.id}-${q[0]!.options[1]}`);
    await page.fill(`#q-${q[1]!.id}`, 'Au parking de la gare');
    await Promise.all([page.waitForURL(/status=answered/), page.click('form[data-form] button[value="submit"]')]);
    expect(await page.textContent('main')).toContain('Merci ! Vos réponses ont été enregistrées.');

    await results.waitForFunction((sel) => (document.querySelector(sel) as HTMLCanvasElement | null)?.dataset['values'] === '[[0,1]]', chart, { timeout: 15_000 });
    expect(await cell.textContent()).toBe('1');
    expect(await results.textContent('[data-responses-text]')).toBe('1 réponse');
    await results.waitForFunction(() => (document.querySelector('[data-results-live-region]')?.textContent ?? '').includes('Nouvelle réponse'), undefined, { timeout: 10_000 });
    // The free text arrives too (read again after the answer: the managers' page only).
    await results.waitForFunction((id) => (document.querySelector(`[data-texts="${id}"]`)?.textContent ?? '').includes('Au parking de la gare'), q[1]!.id, { timeout: 15_000 });
    await Promise.all([page.close(), results.close()]);
  }, 90_000);
});
