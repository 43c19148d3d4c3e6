import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asUser } from '../../src/lib/db/index.ts';
import { verify } from '../budgets/fixtures.ts';
import { userClaims } from '../db/fixtures.ts';
import { addQuestions, createSurvey, submit, visitorToken, type BuiltQuestion, type SurveyFixture } from '../forms/fixtures.ts';
import { Browser, createConfirmedUser, signedIn, stack } from '../web/helpers.ts';

/*
 * A survey whose `answer` action requires a verification (the component's permissions, set in
 * the component's form like budgets' votes): refused in the database to whoever holds none, on
 * every path (form_submit, drafts), visitors too even where the phase lets them answer; the
 * page says the survey is open and offers the verification instead of the form.
 */

const sql = postgres(stack().databaseUrl, { max: 2, onnotice: () => {} });
afterAll(() => sql.end());

let f: SurveyFixture;
let question: BuiltQuestion;
let base: string;

beforeAll(async () => {
  f = await createSurvey(sql, { phase: { allow_answers: true, allow_unregistered: true } });
  [question] = (await addQuestions(sql, f.questionnaireId, [{ kind: 'short_answer', mandatory: true }])) as [BuiltQuestion];
  await sql`update public.components set permissions = ${sql.json({ answer: ['census'] })} where id = ${f.componentId}`;
  base = `/fr/processes/${f.slug}/f/${f.componentId}`;
});

const access = (who: string | null, token: string | null = null) =>
  asUser(who ? userClaims(who) : null, async (tx) => (await tx<{ a: Record<string, boolean> }[]>`select public.form_access(${f.questionnaireId}, ${token}) as a`)[0]!.a, sql);
const responses = async () => (await sql<{ n: number }[]>`select count(*)::int as n from public.form_responses where questionnaire_id = ${f.questionnaireId}`)[0]!.n;

describe('a survey that requires a verification', () => {
  it('is open but not answerable without one: submissions and drafts refused in the database, visitors included', async () => {
    const u = await createConfirmedUser({ name: 'Noé Sans-Preuve' });
    expect(await access(u.id)).toMatchObject({ open: true, answer: false, unverified: true });
    await expect(submit(sql, u.id, f.questionnaireId, { [question.id]: { text: 'Bonjour' } })).rejects.toMatchObject({ code: '42501', constraint_name: 'form_forbidden' });
    await expect(
      asUser(userClaims(u.id), (tx) => tx`select public.form_save_draft(${f.questionnaireId}, ${tx.json({})}, 1, null)`, sql),
    ).rejects.toMatchObject({ code: '42501', constraint_name: 'form_forbidden' });
    const token = visitorToken();
    expect(await access(null, token)).toMatchObject({ open: true, answer: false, unverified: true });
    await expect(submit(sql, null, f.questionnaireId, { [question.id]: { text: 'Visiteur' } }, { token })).rejects.toMatchObject({ code: '42501' });
    expect(await responses()).toBe(0);
  });

  it('takes the answer of a person holding the verification, once', async () => {
    const u = await createConfirmedUser({ name: 'Ana Vérifiée' });
    await verify(sql, u.id, 'census');
    expect(await access(u.id)).toMatchObject({ open: true, answer: true, unverified: false });
    await submit(sql, u.id, f.questionnaireId, { [question.id]: { text: 'Oui' } });
    expect(await responses()).toBe(1);
    await expect(submit(sql, u.id, f.questionnaireId, { [question.id]: { text: 'Encore' } })).rejects.toMatchObject({ code: '23505' });
    expect(await responses()).toBe(1);
  });

  it('a closed survey stays closed for everyone, verified or not', async () => {
    const g = await createSurvey(sql, { phase: { allow_answers: false } });
    await sql`update public.components set permissions = ${sql.json({ answer: ['census'] })} where id = ${g.componentId}`;
    const u = await createConfirmedUser({ name: 'Léo Fermé' });
    const a = await asUser(userClaims(u.id), async (tx) => (await tx<{ a: Record<string, boolean> }[]>`select public.form_access(${g.questionnaireId}, null) as a`)[0]!.a, sql);
    expect(a).toMatchObject({ open: false, answer: false, unverified: false });
  });

  it('the page offers the verification instead of the form (signed in: the census; signed out: sign in first)', async () => {
    const u = await createConfirmedUser({ name: 'Maya Page' });
    const page = await (await signedIn(u.email, u.password)).get(base);
    expect(page.status).toBe(200);
    expect(page.html).toContain('data-verification-needed="participate"');
    expect(page.text).toContain('Cette participation est réservée aux personnes dont le compte est vérifié.');
    expect(page.html).toContain(`href="/fr/verification?next=${encodeURIComponent(base)}"`);
    expect(page.html).not.toContain(`name="q-${question.id}"`);
    const visitor = await new Browser().get(base);
    expect(visitor.html).toContain('data-verification-needed="participate"');
    expect(visitor.text).toContain('Se connecter pour se faire vérifier');
    expect(visitor.html).not.toContain(`name="q-${question.id}"`);
    // Verified, the form is there.
    await verify(sql, u.id, 'census');
    const after = await (await signedIn(u.email, u.password)).get(base);
    expect(after.html).toContain(`name="q-${question.id}"`);
    expect(after.html).not.toContain('data-verification-needed');
  });

  it('the component form offers the requirement for answering', async () => {
    const admin = await createConfirmedUser({ name: 'Admin Enquête' });
    await sql`insert into public.space_roles (space_id, user_id, role) values (${f.spaceId}, ${admin.id}, 'admin')`;
    const form = await (await signedIn(admin.email, admin.password)).get(`/fr/admin/spaces/${f.spaceId}/components/${f.componentId}`);
    expect(form.status).toBe(200);
    expect(form.html).toContain('name="permissions.answer"');
  });
});
