import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSurvey, createUser, submit, type SurveyFixture } from '../forms/fixtures.ts';
import { Browser, createConfirmedUser, signedIn, stack, type Page } from '../web/helpers.ts';

/*
 * The survey's admin without JavaScript, through the real site, as one of the space's admins:
 * the builder (questions added, edited, moved, duplicated and deleted with plain buttons; options
 * and matrix rows; display conditions), its translated errors next to the field, destructive
 * actions refused without their confirmation, the lock once answered and the clearing that lifts
 * it, the preview, the publication of the results, the exports and the survey's dates; and
 * nobody else getting in.
 */

const sql = postgres(stack().databaseUrl, { max: 2, onnotice: () => {} });
afterAll(() => sql.end());

let f: SurveyFixture;
let b: Browser;
let adminPath: string;
let questions: string;

beforeAll(async () => {
  f = await createSurvey(sql);
  const a = await createConfirmedUser({ name: 'Admin Questionnaire' });
  await sql`insert into public.space_roles (space_id, user_id, role) values (${f.spaceId}, ${a.id}, 'admin')`;
  b = await signedIn(a.email, a.password);
  adminPath = `/fr/admin/spaces/${f.spaceId}/components/${f.componentId}`;
  questions = `${adminPath}/survey/questions`;
});

const form = (pairs: [string, string][]) => new URLSearchParams(pairs);
async function act(path: string, action: string, pairs: [string, string][]): Promise<Page> {
  return b.post(`${path}?_action=forms.${action}`, form(pairs));
}
async function structure() {
  return sql<{ id: string; position: number; kind: string; body: Record<string, string>; mandatory: boolean; max_choices: number | null; options: string[] | null }[]>`
    select x.id, x.position, x.kind, x.body, x.mandatory, x.max_choices,
      (select array_agg(o.body ->> 'fr' order by o.position) from public.form_options o where o.question_id = x.id) as options
    from public.form_questions x where x.questionnaire_id = ${f.questionnaireId} order by x.position`;
}

describe('the builder', () => {
  let first: string;
  let second: string;

  it('adds a question and opens it; refuses a question without text next to its field', async () => {
    expect((await b.get(questions)).text).toContain('Aucune question pour le moment.');
    const empty = await act(questions, 'addQuestion', [['questionnaire_id', f.questionnaireId], ['kind', 'single_option'], ['body.fr', '']]);
    expect(empty.status).toBe(303);
    await sql`delete from public.form_questions where questionnaire_id = ${f.questionnaireId}`;
    const bad = await act(questions, 'addQuestion', [['questionnaire_id', f.questionnaireId], ['kind', 'nonsense'], ['body.fr', 'x']]);
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Type de question');
    const added = await act(questions, 'addQuestion', [['questionnaire_id', f.questionnaireId], ['kind', 'single_option'], ['body.fr', 'Votre âge ?'], ['body.en', 'Your age?']]);
    expect(added.status).toBe(303);
    first = /\/questions\/([0-9a-f-]{36})\?done=saved$/.exec(added.location ?? '')![1]!;
    const page = await b.get(added.location!);
    expect(page.text).toContain('Question enregistrée.');
    expect(page.text).toContain('Options');
  });

  it('options: added, refused when empty (next to the field), moved, duplicated, deleted only once confirmed', async () => {
    const here = `${questions}/${first}`;
    for (const text of ['Moins de 25 ans', '25 à 60 ans', 'Plus de 60 ans']) {
      expect((await act(here, 'savePart', [['part', 'option'], ['question_id', first], ['body.fr', text]])).status).toBe(303);
    }
    const empty = await act(here, 'savePart', [['part', 'option'], ['question_id', first], ['body.fr', '  ']]);
    expect(empty.status).toBe(400);
    expect(empty.html).toMatch(/id="new-option-body-error"[\s\S]*?Ce champ est obligatoire/);
    const ids = async () => (await sql<{ id: string }[]>`select id from public.form_options where question_id = ${first} order by position`).map((r) => r.id);
    const [o1, o2] = await ids();
    expect((await act(here, 'movePart', [['id', o1!], ['direction', 'down']])).status).toBe(303);
    expect((await ids()).slice(0, 2)).toEqual([o2, o1]);
    expect((await act(here, 'duplicatePart', [['id', o1!]])).status).toBe(303);
    expect((await structure())[0]!.options).toEqual(['25 à 60 ans', 'Moins de 25 ans', 'Moins de 25 ans', 'Plus de 60 ans']);
    const copy = (await ids())[2]!;
    const unconfirmed = await act(here, 'deletePart', [['id', copy]]);
    expect(unconfirmed.status).toBe(400);
    expect(await ids()).toHaveLength(4);
    expect((await act(here, 'deletePart', [['id', copy], ['confirm', 'yes']])).status).toBe(303);
    expect((await structure())[0]!.options).toEqual(['25 à 60 ans', 'Moins de 25 ans', 'Plus de 60 ans']);
  });

  it('edits a question: text, kind, required, limits; a limit out of range is refused next to its field', async () => {
    const here = `${questions}/${first}`;
    const save = (more: [string, string][]) =>
      act(here, 'updateQuestion', [['question_id', first], ['kind', 'multiple_option'], ['body.fr', 'Vos âges ?'], ['body.en', 'Your ages?'], ...more]);
    const bad = await save([['max_choices', '0']]);
    expect(bad.status).toBe(400);
    expect(bad.html).toMatch(/id="question-max-choices-error"[\s\S]*?Erreur/);
    expect((await save([['max_choices', '2'], ['mandatory', 'true']])).status).toBe(303);
    expect((await structure())[0]).toMatchObject({ kind: 'multiple_option', body: { fr: 'Vos âges ?', en: 'Your ages?' }, mandatory: true, max_choices: 2 });
  });

  it('conditions on an earlier question; an invalid pattern is refused with a translated message', async () => {
    const added = await act(questions, 'addQuestion', [['questionnaire_id', f.questionnaireId], ['kind', 'short_answer'], ['body.fr', 'Pourquoi ?']]);
    second = /\/questions\/([0-9a-f-]{36})\?/.exec(added.location ?? '')![1]!;
    const here = `${questions}/${second}`;
    const [option] = await sql<{ id: string }[]>`select id from public.form_options where question_id = ${first} order by position limit 1`;
    const bad = await act(here, 'addCondition', [['question_id', second], ['condition_question_id', first], ['kind', 'match'], ['pattern', '('], ['mandatory', 'true']]);
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Ce n’est pas une expression régulière valide.');
    expect((await act(here, 'addCondition', [['question_id', second], ['condition_question_id', first], ['kind', 'equal'], ['option_id', option!.id], ['mandatory', 'true']])).status).toBe(303);
    expect((await b.get(here)).text).toContain('Quand « Vos âges ? » a pour réponse « 25 à 60 ans » (obligatoire)');
  });

  it('moves and duplicates questions with buttons; a question stays after the one its condition reads', async () => {
    const up = await act(questions, 'moveQuestion', [['id', second], ['direction', 'up']]);
    expect(up.status).toBe(422);
    expect(up.text).toContain('Une condition porte sur une question précédente');
    expect((await act(questions, 'duplicateQuestion', [['question_id', first]])).status).toBe(303);
    const s = await structure();
    expect(s.map((x) => x.body['fr'])).toEqual(['Vos âges ?', 'Vos âges ?', 'Pourquoi ?']);
    expect(s[1]!.options).toEqual(s[0]!.options);
    expect((await act(questions, 'moveQuestion', [['id', s[1]!.id], ['direction', 'down']])).status).toBe(303);
    expect((await structure()).map((x) => x.id)).toEqual([s[0]!.id, second, s[1]!.id]);
    const page = await b.get(questions);
    expect(page.html).toContain(`aria-label="Monter « Pourquoi ? »"`);
    expect((await act(questions, 'deleteQuestion', [['question_id', s[1]!.id]])).status).toBe(400);
    expect((await act(questions, 'deleteQuestion', [['question_id', s[1]!.id], ['confirm', 'yes']])).status).toBe(303);
    expect(await structure()).toHaveLength(2);
  });

  it('is in English too', async () => {
    const en = await b.get(questions.replace(/^\/fr/, '/en'));
    expect(en.status).toBe(200);
    expect(en.text).toContain('Add a question');
    expect(en.text).toContain('Your ages?');
  });

  it('locks the questions once answered; clearing the answers (confirmed) unlocks them', async () => {
    const [option] = await sql<{ id: string }[]>`select id from public.form_options where question_id = ${first} order by position limit 1`;
    await submit(sql, await createUser(sql, 'respondent'), f.questionnaireId, { [first]: { choices: [{ option: option!.id }] } });
    const page = await b.get(questions);
    expect(page.text).toContain('Ce formulaire a reçu 1 réponse(s)');
    expect(page.html).not.toContain('?_action=forms.moveQuestion');
    const locked = await act(`${questions}/${first}`, 'updateQuestion', [['question_id', first], ['kind', 'multiple_option'], ['body.fr', 'Changée']]);
    expect(locked.status).toBe(422);
    expect(locked.text).toContain('Ce formulaire a déjà des réponses : effacez-les avant de modifier ses questions.');
    expect((await act(questions, 'clearResponses', [['questionnaire_id', f.questionnaireId]])).status).toBe(400);
    const cleared = await act(questions, 'clearResponses', [['questionnaire_id', f.questionnaireId], ['confirm', 'yes']]);
    expect(cleared.location).toContain('done=cleared');
    expect((await b.get(cleared.location!)).text).toContain('Toutes les réponses ont été effacées');
    expect((await act(`${questions}/${first}`, 'updateQuestion', [['question_id', first], ['kind', 'multiple_option'], ['body.fr', 'Changée']])).status).toBe(303);
  });
});

describe('preview, results, exports, dates', () => {
  it('the preview shows every page to the admins only', async () => {
    await sql`insert into public.form_questions (questionnaire_id, position, kind, body) values (${f.questionnaireId}, 10, 'separator', '{}'), (${f.questionnaireId}, 11, 'long_answer', ${sql.json({ fr: 'Dernière page' })})`;
    const path = `/fr/processes/${f.slug}/f/${f.componentId}/answer?preview`;
    const preview = await b.get(path);
    expect(preview.text).toContain('Aperçu : le formulaire tel que les participants le voient.');
    expect(preview.text).toContain('Dernière page');
    expect(preview.html).not.toContain('name="intent"');
    const citizen = await createConfirmedUser();
    const other = await (await signedIn(citizen.email, citizen.password)).get(path);
    expect(other.text).not.toContain('Aperçu');
    expect(other.text).not.toContain('Dernière page');
  });

  it('publishes chosen questions’ results, which the public page then shows (never the free texts)', async () => {
    const s = await structure();
    const [option] = await sql<{ id: string }[]>`select id from public.form_options where question_id = ${s[0]!.id} order by position limit 1`;
    await submit(sql, await createUser(sql, 'published'), f.questionnaireId, { [s[0]!.id]: { choices: [{ option: option!.id }] }, [s[1]!.id]: { text: 'Texte libre privé' } });
    const results = `${adminPath}/survey/results`;
    const admin = await b.get(results);
    expect(admin.text).toContain('Texte libre privé');
    expect(admin.html).toContain(`data-topic="forms:${f.questionnaireId}:results"`);
    const saved = await b.post(`${results}?_action=forms.publishResults`, form([['questionnaire_id', f.questionnaireId], ['publish', 'true'], ['live', 'true'], ['questions', s[0]!.id], ['questions', s[1]!.id]]));
    expect(saved.location).toBe(`${results}?done=published`);
    const visitor = await new Browser().get(`/fr/processes/${f.slug}/f/${f.componentId}`);
    expect(visitor.text).toContain('Résultats publiés');
    expect(visitor.text).toContain('Changée');
    expect(visitor.text).not.toContain('Texte libre privé');
    expect(visitor.html).toContain(`data-topic="forms:${f.questionnaireId}:public"`);
  });

  it('exports one row per submission, one column per question, for the admins only', async () => {
    const csv = await b.request(`${adminPath}/survey/export?format=csv`);
    expect(csv.status).toBe(200);
    const text = await csv.text();
    const lines = text.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('identifiant,date (Europe/Paris),répondant,langue,1. Changée,2. Pourquoi ?,11. Dernière page');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('Texte libre privé');
    const json = (await (await b.request(`${adminPath}/survey/export?format=json`)).json()) as Record<string, unknown>[];
    expect(json).toHaveLength(1);
    expect(json[0]!['2. Pourquoi ?']).toBe('Texte libre privé');
    const citizen = await createConfirmedUser();
    expect((await (await signedIn(citizen.email, citizen.password)).request(`${adminPath}/survey/export?format=csv`)).status).toBe(403);
    expect((await new Browser().request(`${adminPath}/survey/export?format=csv`)).status).toBe(401);
  });

  it('sets the answering period in the organization’s time zone; an end before the start is refused next to the field', async () => {
    const manage = `${adminPath}/manage`;
    const bad = await b.post(`${manage}?_action=surveys.updateSurvey`, form([['component_id', f.componentId], ['starts_at', '2027-03-10T10:00'], ['ends_at', '2027-03-01T10:00']]));
    expect(bad.status).toBe(400);
    expect(bad.html).toMatch(/id="survey-ends-at-error"[\s\S]*?La fin doit venir après le début\./);
    const ok = await b.post(`${manage}?_action=surveys.updateSurvey`, form([['component_id', f.componentId], ['starts_at', '2027-03-01T10:00'], ['ends_at', '2027-03-10T18:30']]));
    expect(ok.status).toBe(303);
    const [row] = await sql<{ starts_at: Date; ends_at: Date }[]>`select starts_at, ends_at from public.surveys where component_id = ${f.componentId}`;
    expect(row!.starts_at.toISOString()).toBe('2027-03-01T09:00:00.000Z');
    expect(row!.ends_at.toISOString()).toBe('2027-03-10T17:30:00.000Z');
    expect((await b.get(manage)).html).toContain('value="2027-03-10T18:30"');
  });

  it('nobody but the space’s admins enters the builder', async () => {
    const citizen = await createConfirmedUser();
    const other = await signedIn(citizen.email, citizen.password);
    expect((await other.get(questions)).status).toBe(403);
    expect((await new Browser().get(questions)).status).toBe(303);
  });
});
