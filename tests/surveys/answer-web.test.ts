import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCondition, addQuestions, createSurvey, type BuiltQuestion, type SurveyFixture } from '../forms/fixtures.ts';
import { Browser, createConfirmedUser, signedIn, stack, type Page } from '../web/helpers.ts';

/*
 * The participant form without JavaScript, through the real site: page by page (separators are
 * page breaks), each page's problems next to their question, translated, nothing saved; the
 * conditions applied on each page to what was answered so far; the draft kept between pages and
 * reloads; the terms; one submission, then "already answered"; visitors only where allowed, once
 * per browser.
 */

const sql = postgres(stack().databaseUrl, { max: 2, onnotice: () => {} });
afterAll(() => sql.end());

let f: SurveyFixture;
let q: Record<string, BuiltQuestion>;
let base: string;

beforeAll(async () => {
  f = await createSurvey(sql, { phase: { allow_answers: true, terms: { fr: '<p>Le règlement du questionnaire.</p>', en: '<p>The survey’s rules.</p>' } } });
  const [where, mark, , equipment, why, ranking, , matrix, idea] = await addQuestions(sql, f.questionnaireId, [
    { kind: 'single_option', mandatory: true, options: ['Centre', 'Rives'], body: { fr: 'Votre quartier', en: 'Your neighbourhood' } },
    { kind: 'scale', scale_max: 4 },
    { kind: 'separator' },
    { kind: 'multiple_option', max_choices: 2, options: ['Bancs', 'Arbres', 'Jeux'] },
    { kind: 'short_answer', mandatory: true, body: { fr: 'Pourquoi les Rives ?', en: 'Why the riverside?' } },
    { kind: 'sorting', options: ['A', 'B', 'C'] },
    { kind: 'separator' },
    { kind: 'matrix_single', mandatory: true, options: ['Bien', 'Mal'], rows: ['Propreté', 'Sécurité'] },
    { kind: 'long_answer' },
  ]);
  await addCondition(sql, why!.id, where!.id, 'equal', { option: where!.options[1] });
  q = { where: where!, mark: mark!, equipment: equipment!, why: why!, ranking: ranking!, matrix: matrix!, idea: idea! };
  base = `/fr/processes/${f.slug}/f/${f.componentId}`;
});

function fields(page: number, intent: string, more: [string, string][] = []): URLSearchParams {
  return new URLSearchParams([['component_id', f.componentId], ['questionnaire_id', f.questionnaireId], ['page', String(page)], ['intent', intent], ...more]);
}
const post = (b: Browser, body: URLSearchParams, locale = 'fr') => b.post(`${base.replace(/^\/fr/, `/${locale}`)}/answer?_action=surveys.answer`, body);
const name = (question: BuiltQuestion) => `q-${question.id}`;
/** The error shown under a question, as text. */
function errorOf(page: Page, question: BuiltQuestion): string | undefined {
  const block = new RegExp(`id="question-${question.id}"[\\s\\S]*?(?=<div class="form-question|</form>)`).exec(page.html)?.[0] ?? '';
  const m = /class="(?:form-question__error|field__error)"[^>]*>([\s\S]*?)<\/p>/.exec(block);
  return m ? m[1]!.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim() : undefined;
}
async function responses(): Promise<number> {
  const [r] = await sql<{ n: number }[]>`select count(*)::int as n from public.form_responses where questionnaire_id = ${f.questionnaireId}`;
  return r!.n;
}

describe('the participant form without JavaScript', () => {
  let b: Browser;
  beforeAll(async () => {
    const u = await createConfirmedUser({ name: 'Inès Martin' });
    b = await signedIn(u.email, u.password);
  });

  it('shows the first page on the survey’s page', async () => {
    const page = await b.get(base);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Page 1 sur 3');
    expect(page.html).toContain(`name="${name(q['where']!)}"`);
    expect(page.html).not.toContain(`name="${name(q['equipment']!)}"`);
  });

  it('refuses an incomplete page with the error next to its question, in the page’s language, saving no answer', async () => {
    const fr = await post(b, fields(1, 'next'));
    expect(fr.status).toBe(422);
    expect(errorOf(fr, q['where']!)).toBe('Erreur : Répondez à cette question.');
    expect(fr.html).toContain('Le formulaire contient des erreurs');
    expect(fr.html).toMatch(new RegExp(`href="#question-${q['where']!.id}"`));
    const en = await post(b, fields(1, 'next', [[name(q['mark']!), '9']]), 'en');
    expect(en.status).toBe(422);
    expect(errorOf(en, q['where']!)).toBe('Error: Please answer this question.');
    expect(errorOf(en, q['mark']!)).toBe('Error: Choose a value from 1 to 4.');
    expect(await responses()).toBe(0);
  });

  it('goes page by page, applying the conditions to the answers so far, and keeps the draft', async () => {
    const p1 = await post(b, fields(1, 'next', [[name(q['where']!), q['where']!.options[1]!], [name(q['mark']!), '3']]));
    expect(p1.status).toBe(303);
    expect(p1.location).toBe(`${base}/answer?page=2`);
    // "Rives" chosen: the conditional question is on page 2, and required.
    const p2 = await b.get(p1.location!);
    expect(p2.text).toContain('Page 2 sur 3');
    expect(p2.html).toMatch(new RegExp(`id="question-${q['why']!.id}"[^>]*data-question="[^"]+"(?! hidden)`));
    const refused = await post(b, fields(2, 'next', [[name(q['equipment']!), q['equipment']!.options[0]!], [name(q['equipment']!), q['equipment']!.options[1]!], [name(q['equipment']!), q['equipment']!.options[2]!]]));
    expect(refused.status).toBe(422);
    expect(errorOf(refused, q['equipment']!)).toBe('Erreur : Choisissez au plus 2 option(s).');
    expect(errorOf(refused, q['why']!)).toBe('Erreur : Répondez à cette question.');
    // What was typed stays checked after the refusal.
    expect(refused.html).toMatch(new RegExp(`value="${q['equipment']!.options[2]}"[^>]*checked`));
    // A ranking given twice the same rank is refused.
    const rank = (o: number, r: string): [string, string] => [`q-${q['ranking']!.id}-rank-${q['ranking']!.options[o]}`, r];
    const twice = await post(b, fields(2, 'next', [[name(q['why']!), 'La Loire'], rank(0, '1'), rank(1, '1'), rank(2, '2')]));
    expect(errorOf(twice, q['ranking']!)).toBe('Erreur : Chaque option ne peut être choisie ou classée qu’une fois.');
    // Back to page 1: the draft shows what was answered.
    const back = await post(b, fields(2, 'back', [[name(q['why']!), 'La Loire']]));
    expect(back.location).toBe(`${base}/answer?page=1`);
    const p1again = await b.get(back.location!);
    expect(p1again.html).toMatch(new RegExp(`value="${q['where']!.options[1]}"[^>]*checked`));
    // A reload of page 2 finds the text typed before going back.
    expect((await b.get(`${base}/answer?page=2`)).html).toContain('value="La Loire"');
    // Changing the answer hides the conditional question: its answer is dropped, not refused.
    const centre = await post(b, fields(1, 'next', [[name(q['where']!), q['where']!.options[0]!], [name(q['mark']!), '3']]));
    expect(centre.location).toBe(`${base}/answer?page=2`);
    const hidden = await b.get(centre.location!);
    expect(hidden.html).toMatch(new RegExp(`id="question-${q['why']!.id}" data-question="${q['why']!.id}" hidden`));
    const p2ok = await post(b, fields(2, 'next', [[name(q['why']!), 'sent anyway'], rank(0, '2'), rank(1, '3'), rank(2, '1')]));
    expect(p2ok.location).toBe(`${base}/answer?page=3`);
    expect(await responses()).toBe(0);
  });

  it('submits once the last page is complete and the terms accepted, then shows "already answered"', async () => {
    const p3 = await b.get(`${base}/answer?page=3`);
    expect(p3.text).toContain('Le règlement du questionnaire.');
    const row = (r: number, o: number): [string, string] => [`q-${q['matrix']!.id}-row-${q['matrix']!.rows[r]}`, q['matrix']!.options[o]!];
    const noTerms = await post(b, fields(3, 'submit', [row(0, 0)]));
    expect(noTerms.status).toBe(422);
    expect(errorOf(noTerms, q['matrix']!)).toBe('Erreur : Répondez à cette question.');
    expect(noTerms.text).toContain('Acceptez les conditions pour envoyer vos réponses.');
    const done = await post(b, fields(3, 'submit', [row(0, 0), row(1, 1), [name(q['idea']!), 'Des bancs <b>partout</b>'], ['terms_accepted', 'yes']]));
    expect(done.status).toBe(303);
    expect(done.location).toBe(`${base}?status=answered`);
    expect((await b.get(done.location!)).text).toContain('Merci ! Vos réponses ont été enregistrées.');
    expect(await responses()).toBe(1);
    const stored = await sql<{ question_id: string; body: string | null }[]>`
      select a.question_id, a.body from public.form_answers a join public.form_responses r on r.id = a.response_id where r.questionnaire_id = ${f.questionnaireId}`;
    expect(stored.map((s) => s.question_id)).not.toContain(q['why']!.id);
    expect(stored.find((s) => s.question_id === q['idea']!.id)?.body).toBe('Des bancs <b>partout</b>');
    const again = await b.get(base);
    expect(again.text).toContain('Vous avez déjà répondu à ce questionnaire.');
    expect(again.html).not.toContain(`name="${name(q['where']!)}"`);
    const twice = await post(b, fields(3, 'submit', [row(0, 0), row(1, 1), ['terms_accepted', 'yes']]));
    expect(twice.status).toBe(409);
    expect(twice.text).toContain('Vous avez déjà répondu à ce questionnaire.');
    expect(await responses()).toBe(1);
  });
});

describe('visitors and signed-out people', () => {
  it('a survey for signed-in people asks visitors to sign in and refuses their posts', async () => {
    const visitor = new Browser();
    const page = await visitor.get(base);
    expect(page.text).toContain('Connectez-vous pour répondre à ce questionnaire.');
    expect(page.html).toContain(`/fr/sign-in?next=${encodeURIComponent(base)}`);
    const posted = await post(visitor, fields(1, 'next', [[name(q['where']!), q['where']!.options[0]!]]));
    expect(posted.status).toBe(401);
  });

  it('where the phase allows them, visitors answer once per browser (a cookie), anonymously', async () => {
    const g = await createSurvey(sql, { phase: { allow_answers: true, allow_unregistered: true } });
    const [only] = await addQuestions(sql, g.questionnaireId, [{ kind: 'scale', mandatory: true, scale_max: 3 }]);
    const gBase = `/fr/processes/${g.slug}/f/${g.componentId}`;
    const answer = (v: Browser) =>
      v.post(`${gBase}/answer?_action=surveys.answer`, new URLSearchParams([['component_id', g.componentId], ['page', '1'], ['intent', 'submit'], [`q-${only!.id}`, '2']]));
    const first = new Browser();
    expect((await first.get(gBase)).html).toContain(`name="q-${only!.id}"`);
    expect((await answer(first)).location).toBe(`${gBase}?status=answered`);
    expect(first.cookies.has('decidons_form_visitor')).toBe(true);
    expect((await answer(first)).status).toBe(409);
    expect((await first.get(gBase)).text).toContain('Vous avez déjà répondu à ce questionnaire.');
    expect((await answer(new Browser())).status).toBe(303);
    const rows = await sql<{ person_id: string | null; visitor: boolean }[]>`select person_id, visitor from public.form_responses where questionnaire_id = ${g.questionnaireId}`;
    expect(rows).toEqual([{ person_id: null, visitor: true }, { person_id: null, visitor: true }]);
  });
});
