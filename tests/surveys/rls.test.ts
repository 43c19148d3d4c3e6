import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Claims, Tx } from '../../src/lib/db/index.ts';
import { attempt, createUser, outcomeOf, userClaims } from '../db/fixtures.ts';
import { addQuestions, createSurvey, submit, visitorToken, type BuiltQuestion, type SurveyFixture } from '../forms/fixtures.ts';
import { stack } from '../web/helpers.ts';

/*
 * The forms and surveys tables as each role sees them, straight in SQL as PostgREST would run it
 * (column privileges included): nobody reads another person's answers, anonymous answers carry
 * no person (so not even their author reads them back), the survey's admins read everything
 * (aggregates, submissions for exports) but never the keyed hashes; nobody writes answers or
 * counts but through form_submit; the structure is written by the space's admins only; the
 * channels are joined by whoever may read what they carry.
 */

const sql = postgres(stack().databaseUrl, { max: 4, onnotice: () => {} });
afterAll(() => sql.end());

let f: SurveyFixture;
let q: BuiltQuestion[];
let author: string, other: string, anonymousAuthor: string, moderator: string;
let named: string;
const who: Record<string, () => Claims | null> = {};

beforeAll(async () => {
  f = await createSurvey(sql);
  q = await addQuestions(sql, f.questionnaireId, [
    { kind: 'single_option', options: ['Oui', 'Non'] },
    { kind: 'short_answer' },
  ]);
  [author, other, anonymousAuthor, moderator] = await Promise.all([createUser(sql, 'author'), createUser(sql, 'other'), createUser(sql, 'anon-author'), createUser(sql, 'moderator')]);
  await sql`insert into public.space_roles (space_id, user_id, role) values (${f.spaceId}, ${moderator}, 'moderator')`;
  named = await submit(sql, author, f.questionnaireId, { [q[0]!.id]: { choices: [{ option: q[0]!.options[0] }] }, [q[1]!.id]: { text: 'Réponse nommée' } });
  await sql`update public.components set phase_settings = ${sql.json({ [f.phaseId]: { allow_answers: true, anonymous: true, allow_unregistered: true } })} where id = ${f.componentId}`;
  await submit(sql, anonymousAuthor, f.questionnaireId, { [q[1]!.id]: { text: 'Réponse anonyme' } });
  await submit(sql, null, f.questionnaireId, { [q[1]!.id]: { text: 'Réponse de visiteur' } }, { token: visitorToken(), address: '203.0.113.9' });
  Object.assign(who, {
    anon: () => null,
    author: () => userClaims(author),
    other: () => userClaims(other),
    anonymousAuthor: () => userClaims(anonymousAuthor),
    moderator: () => userClaims(moderator),
    admin: () => userClaims(f.adminId),
  });
});

/** Rows a role reads (a number), or 'denied' when it has no privilege at all. */
async function reads(role: string, query: (tx: Tx) => Promise<readonly unknown[]>): Promise<number | 'denied'> {
  const r = await attempt(sql, who[role]!(), query);
  if (r.ok) return r.value.length;
  if (r.error.code === '42501') return 'denied';
  throw r.error;
}

describe('who reads what', () => {
  it('every forms and surveys table has RLS on', async () => {
    const rows = await sql<{ relname: string; relrowsecurity: boolean }[]>`
      select relname, relrowsecurity from pg_class
      where relnamespace in ('public'::regnamespace, 'private'::regnamespace) and relkind = 'r' and (relname like 'form%' or relname = 'surveys')`;
    expect(rows.map((r) => r.relname).sort()).toEqual(
      ['form_answer_choices', 'form_answers', 'form_conditions', 'form_drafts', 'form_matrix_rows', 'form_options', 'form_owner_types', 'form_questionnaires', 'form_questions', 'form_responses', 'form_secret', 'form_tallies', 'form_visitor_submissions', 'surveys'].sort(),
    );
    for (const r of rows) expect(r.relrowsecurity, r.relname).toBe(true);
  });

  it('submissions: their named author reads theirs, the admins all three, nobody else any; no role reads the keyed hashes', async () => {
    const matrix: Record<string, number | 'denied'> = {};
    for (const role of Object.keys(who)) matrix[role] = await reads(role, (tx) => tx`select id, person_id from public.form_responses where questionnaire_id = ${f.questionnaireId}`);
    expect(matrix).toEqual({ anon: 'denied', author: 1, other: 0, anonymousAuthor: 0, moderator: 0, admin: 3 });
    for (const role of ['author', 'admin']) expect(await reads(role, (tx) => tx`select respondent from public.form_responses`)).toBe('denied');
    const people = await sql<{ person_id: string | null; anonymous: boolean; visitor: boolean }[]>`
      select person_id, anonymous, visitor from public.form_responses where questionnaire_id = ${f.questionnaireId} order by created_at`;
    expect(people.filter((p) => p.anonymous).every((p) => p.person_id === null)).toBe(true);
    expect(people.filter((p) => p.person_id !== null)).toEqual([{ person_id: author, anonymous: false, visitor: false }]);
  });

  it('answers and choices: the same (their author reads only their own, the admins all)', async () => {
    const answers: Record<string, number | 'denied'> = {};
    const choices: Record<string, number | 'denied'> = {};
    for (const role of Object.keys(who)) {
      answers[role] = await reads(role, (tx) => tx`select a.body from public.form_answers a join public.form_questions x on x.id = a.question_id where x.questionnaire_id = ${f.questionnaireId}`);
      choices[role] = await reads(role, (tx) => tx`select c.option_id from public.form_answer_choices c where c.question_id = ${q[0]!.id}`);
    }
    expect(answers).toEqual({ anon: 'denied', author: 2, other: 0, anonymousAuthor: 0, moderator: 0, admin: 4 });
    expect(choices).toEqual({ anon: 'denied', author: 1, other: 0, anonymousAuthor: 0, moderator: 0, admin: 1 });
  });

  it('counts: the admins; the public only for published questions once results are public', async () => {
    const count = async () => {
      const m: Record<string, number | 'denied'> = {};
      for (const role of Object.keys(who)) m[role] = await reads(role, (tx) => tx`select key, count from public.form_tallies where questionnaire_id = ${f.questionnaireId}`);
      return m;
    };
    const [all] = await sql<{ n: number }[]>`select count(*)::int as n from public.form_tallies where questionnaire_id = ${f.questionnaireId}`;
    expect(await count()).toEqual({ anon: 0, author: 0, other: 0, anonymousAuthor: 0, moderator: 0, admin: all!.n });
    await sql`update public.form_questionnaires set results_published_at = now(), results_live = true where id = ${f.questionnaireId}`;
    await sql`update public.form_questions set results_published = true where id = ${q[0]!.id}`;
    // `responses`, the choice question answered, its one option chosen: three rows; nothing of the text question.
    expect(await count()).toEqual({ anon: 3, author: 3, other: 3, anonymousAuthor: 3, moderator: 3, admin: all!.n });
    await sql`update public.form_questionnaires set results_published_at = null where id = ${f.questionnaireId}`;
  });

  it('drafts and the visitors’ addresses: no API role reads them', async () => {
    for (const role of Object.keys(who)) {
      expect(await reads(role, (tx) => tx`select * from public.form_drafts`)).toBe('denied');
      expect(await reads(role, (tx) => tx`select * from public.form_visitor_submissions`)).toBe('denied');
      expect(await reads(role, (tx) => tx`select * from private.form_secret`)).toBe('denied');
    }
  });

  it('the questions of a survey in a private space or an unpublished component: its members, its admins', async () => {
    const hidden = await createSurvey(sql, { private: true });
    await addQuestions(sql, hidden.questionnaireId, [{ kind: 'short_answer' }]);
    const member = await createUser(sql, 'member');
    await sql`insert into public.space_members (space_id, user_id) values (${hidden.spaceId}, ${member})`;
    const list = (tx: Tx) => tx`select id from public.form_questions where questionnaire_id = ${hidden.questionnaireId}`;
    expect(await reads('anon', list)).toBe(0);
    expect(await reads('other', list)).toBe(0);
    const asMember = await attempt(sql, userClaims(member), list);
    expect(asMember.ok && asMember.value).toHaveLength(1);
    const draft = await createSurvey(sql, { published: false });
    await addQuestions(sql, draft.questionnaireId, [{ kind: 'short_answer' }]);
    const draftList = (tx: Tx) => tx`select id from public.form_questions where questionnaire_id = ${draft.questionnaireId}`;
    expect(await reads('other', draftList)).toBe(0);
    const asAdmin = await attempt(sql, userClaims(draft.adminId), draftList);
    expect(asAdmin.ok && asAdmin.value).toHaveLength(1);
  });
});

describe('who writes what', () => {
  it('answers and counts: through form_submit only, for every role', async () => {
    for (const role of Object.keys(who)) {
      expect(await outcomeOf(sql, who[role]!(), (tx) => tx`insert into public.form_responses (questionnaire_id, respondent) values (${f.questionnaireId}, '\\x00')`), role).toBe('denied');
      expect(await outcomeOf(sql, who[role]!(), (tx) => tx`update public.form_tallies set count = 0`), role).toBe('denied');
      expect(await outcomeOf(sql, who[role]!(), (tx) => tx`delete from public.form_responses`), role).toBe('denied');
      expect(await outcomeOf(sql, who[role]!(), (tx) => tx`insert into public.form_answers (response_id, question_id, body) values (${named}, ${q[1]!.id}, 'forgé')`), role).toBe('denied');
    }
  });

  it('the structure: the space’s admins only (moderators and citizens are refused, visitors have no grant)', async () => {
    // On a form without answers (once answered, its questions are locked for everyone).
    const g = await createSurvey(sql);
    await sql`insert into public.space_roles (space_id, user_id, role) values (${g.spaceId}, ${moderator}, 'moderator')`;
    const add = (tx: Tx) => tx`insert into public.form_questions (questionnaire_id, position, kind, body) values (${g.questionnaireId}, 50, 'short_answer', ${tx.json({ fr: 'Nouvelle' })})`;
    expect(await outcomeOf(sql, null, add)).toBe('denied');
    for (const role of ['author', 'other', 'moderator']) expect(await outcomeOf(sql, who[role]!(), add), role).toBe('refused');
    expect(await outcomeOf(sql, userClaims(g.adminId), add)).toBe('ok');
    expect(await outcomeOf(sql, who['admin']!(), add)).toBe('refused');
    const publish = (tx: Tx) => tx`update public.form_questionnaires set results_live = true where id = ${f.questionnaireId}`;
    for (const role of ['author', 'moderator']) expect(await outcomeOf(sql, who[role]!(), publish), role).toBe('refused');
    expect(await outcomeOf(sql, who['admin']!(), publish)).toBe('ok');
    const dates = (tx: Tx) => tx`update public.surveys set ends_at = now() + interval '1 day' where component_id = ${f.componentId}`;
    expect(await outcomeOf(sql, who['other']!(), dates)).toBe('refused');
    expect(await outcomeOf(sql, who['admin']!(), dates)).toBe('ok');
    expect(await outcomeOf(sql, who['admin']!(), (tx) => tx`update public.form_questionnaires set owner_id = gen_random_uuid() where id = ${f.questionnaireId}`)).toBe('denied');
  });
});

describe('live channels', () => {
  it('the results topic is joined by the admins only; the public topic by everyone once results are public', async () => {
    const join = async (role: string, suffix: string) => {
      // What the policy on realtime.messages asks when someone joins the topic.
      const r = await attempt(sql, who[role]!(), (tx) => tx<{ ok: boolean }[]>`select private.can_join_forms_topic(${`forms:${f.questionnaireId}:${suffix}`}) as ok`);
      return r.ok && r.value[0]!.ok;
    };
    const results: Record<string, boolean> = {};
    for (const role of Object.keys(who)) results[role] = await join(role, 'results');
    expect(results).toEqual({ anon: false, author: false, other: false, anonymousAuthor: false, moderator: false, admin: true });
    expect(await join('other', 'public')).toBe(false);
    await sql`update public.form_questionnaires set results_published_at = now(), results_live = true where id = ${f.questionnaireId}`;
    expect(await join('other', 'public')).toBe(true);
    expect(await join('anon', 'public')).toBe(true);
    expect(await join('other', 'results')).toBe(false);
    await sql`update public.form_questionnaires set results_published_at = null where id = ${f.questionnaireId}`;
  });
});
