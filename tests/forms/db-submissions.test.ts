import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asUser } from '../../src/lib/db/index.ts';
import { userClaims } from '../db/fixtures.ts';
import { stack } from '../web/helpers.ts';
import { addQuestions, createSurvey, createUser, outcome, setPhase, submit, tallyMismatches, visitorToken, type BuiltQuestion, type SurveyFixture } from './fixtures.ts';

/*
 * Submissions in the database: exactly one per person (1,000 parallel submissions from one
 * person give one) or per browser token; anonymous ones store no person and keep the hour only,
 * still once per person through the keyed hash; visitors only where the phase allows them, rate
 * limited per address; terms; the survey's window; the counts kept as answers arrive and what
 * their broadcasts carry; questions locked once answered, until the answers are cleared.
 */

const sql = postgres(stack().databaseUrl, { max: 24, onnotice: () => {} });
afterAll(() => sql.end());

let f: SurveyFixture;
let q: BuiltQuestion[];
const answers = (i = 0) => ({ [q[0]!.id]: { choices: [{ option: q[0]!.options[i] }] } });

beforeAll(async () => {
  f = await createSurvey(sql);
  q = await addQuestions(sql, f.questionnaireId, [
    { kind: 'single_option', mandatory: true, options: ['Oui', 'Non'] },
    { kind: 'long_answer' },
  ]);
});

describe('one submission per person', () => {
  it('1,000 parallel submissions from one person give one', async () => {
    const person = await createUser(sql, 'eager');
    const results = await Promise.allSettled(Array.from({ length: 1000 }, () => submit(sql, person, f.questionnaireId, answers())));
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ok).toHaveLength(1);
    expect(new Set(refused.map((r) => (r.reason as { constraint_name?: string }).constraint_name))).toEqual(new Set(['form_responses_once']));
    const [row] = await sql<{ n: number }[]>`select count(*)::int as n from public.form_responses where questionnaire_id = ${f.questionnaireId} and person_id = ${person}`;
    expect(row!.n).toBe(1);
    expect(await tallyMismatches(sql, f.questionnaireId)).toEqual([]);
  }, 120_000);

  it('the refusal names the rule, never the person’s hash', async () => {
    const person = await createUser(sql, 'twice');
    await submit(sql, person, f.questionnaireId, answers());
    const err = await submit(sql, person, f.questionnaireId, answers()).then(() => null, (e: postgres.PostgresError) => e);
    expect(err?.constraint_name).toBe('form_responses_once');
    expect(`${err?.message} ${err?.detail ?? ''}`).not.toMatch(/\\x[0-9a-f]{16}/);
  });

  it('anonymous answers store no person and the hour only, and are still once per person', async () => {
    const g = await createSurvey(sql, { phase: { allow_answers: true, anonymous: true } });
    const [gq] = await addQuestions(sql, g.questionnaireId, [{ kind: 'short_answer', mandatory: true }]);
    const person = await createUser(sql, 'anonymous');
    const id = await submit(sql, person, g.questionnaireId, { [gq!.id]: { text: 'Secret' } });
    const [row] = await sql<{ person_id: string | null; anonymous: boolean; visitor: boolean; created_at: Date }[]>`
      select person_id, anonymous, visitor, created_at from public.form_responses where id = ${id}`;
    expect(row).toMatchObject({ person_id: null, anonymous: true, visitor: false });
    expect(row!.created_at.getUTCMinutes()).toBe(0);
    expect(row!.created_at.getUTCSeconds()).toBe(0);
    expect(await outcome(sql, person, g.questionnaireId, { [gq!.id]: { text: 'Encore' } })).toBe('form_responses_once');
    // The person cannot read it back as theirs either: nothing links it to them.
    const mine = await asUser(userClaims(person), (tx) => tx`select id from public.form_responses where id = ${id}`, sql);
    expect(mine).toHaveLength(0);
    // Switching the phase to named answers does not open a second submission.
    await setPhase(sql, g, { allow_answers: true, anonymous: false });
    expect(await outcome(sql, person, g.questionnaireId, { [gq!.id]: { text: 'Nommée' } })).toBe('form_responses_once');
  });
});

describe('who may answer, and when', () => {
  it('signed-in only unless the phase lets visitors answer; visitors once per browser token, never stored with a person', async () => {
    const g = await createSurvey(sql);
    const [gq] = await addQuestions(sql, g.questionnaireId, [{ kind: 'scale', mandatory: true }]);
    const a = { [gq!.id]: { value: 3 } };
    const token = visitorToken();
    expect(await outcome(sql, null, g.questionnaireId, a, { token })).toBe('form_sign_in');
    await setPhase(sql, g, { allow_answers: true, allow_unregistered: true });
    expect(await outcome(sql, null, g.questionnaireId, a)).toBe('form_visitor_token');
    expect(await outcome(sql, null, g.questionnaireId, a, { token: 'short' })).toBe('form_visitor_token');
    const id = await submit(sql, null, g.questionnaireId, a, { token, address: '203.0.113.7' });
    const [row] = await sql<{ person_id: string | null; visitor: boolean; anonymous: boolean }[]>`select person_id, visitor, anonymous from public.form_responses where id = ${id}`;
    expect(row).toEqual({ person_id: null, visitor: true, anonymous: true });
    expect(await outcome(sql, null, g.questionnaireId, a, { token, address: '198.51.100.1' })).toBe('form_responses_once');
    expect(await outcome(sql, null, g.questionnaireId, a, { token: visitorToken(), address: '198.51.100.1' })).toBe('ok');
  });

  it('visitors are rate-limited per address (30 an hour), other addresses unaffected; the address is stored hashed only', async () => {
    const g = await createSurvey(sql, { phase: { allow_answers: true, allow_unregistered: true } });
    const [gq] = await addQuestions(sql, g.questionnaireId, [{ kind: 'short_answer' }]);
    for (let i = 0; i < 30; i++) await submit(sql, null, g.questionnaireId, { [gq!.id]: { text: `n${i}` } }, { token: visitorToken(), address: '192.0.2.44' });
    expect(await outcome(sql, null, g.questionnaireId, {}, { token: visitorToken(), address: '192.0.2.44' })).toBe('form_rate_limited');
    expect(await outcome(sql, null, g.questionnaireId, {}, { token: visitorToken(), address: '192.0.2.45' })).toBe('ok');
    const stored = await sql<{ client: Buffer }[]>`select client from public.form_visitor_submissions where questionnaire_id = ${g.questionnaireId} limit 1`;
    expect(stored[0]!.client.toString('utf8')).not.toContain('192.0.2');
  });

  it('closed when the phase does not allow answers, outside the survey’s dates, or before publication', async () => {
    const g = await createSurvey(sql);
    const person = await createUser(sql, 'late');
    await setPhase(sql, g, { allow_answers: false });
    expect(await outcome(sql, person, g.questionnaireId, {})).toBe('form_closed');
    await setPhase(sql, g, { allow_answers: true });
    await sql`update public.surveys set ends_at = now() - interval '1 minute' where component_id = ${g.componentId}`;
    expect(await outcome(sql, person, g.questionnaireId, {})).toBe('form_closed');
    await sql`update public.surveys set starts_at = now() + interval '1 day', ends_at = null where component_id = ${g.componentId}`;
    expect(await outcome(sql, person, g.questionnaireId, {})).toBe('form_closed');
    await sql`update public.surveys set starts_at = now() - interval '1 day' where component_id = ${g.componentId}`;
    expect(await outcome(sql, person, g.questionnaireId, {})).toBe('ok');
    await sql`update public.components set published_at = null where id = ${g.componentId}`;
    expect(await outcome(sql, g.adminId, g.questionnaireId, {})).toBe('form_closed');
  });

  it('terms to accept, when the phase has some', async () => {
    const g = await createSurvey(sql, { phase: { allow_answers: true, terms: { fr: '<p>J’accepte le règlement.</p>' } } });
    const person = await createUser(sql, 'terms');
    expect(await outcome(sql, person, g.questionnaireId, {})).toBe('form_terms');
    expect(await outcome(sql, person, g.questionnaireId, {}, { terms: true })).toBe('ok');
  });
});

describe('counts, results and broadcasts', () => {
  it('counts every answer as it arrives and broadcasts the new counts only (to the managers; to the public for published questions when live)', async () => {
    const g = await createSurvey(sql);
    const [choice, text] = await addQuestions(sql, g.questionnaireId, [
      { kind: 'multiple_option', options: ['A', 'B', 'C'] },
      { kind: 'short_answer' },
    ]);
    const people = await Promise.all(Array.from({ length: 12 }, (_x, i) => createUser(sql, `count-${i}`)));
    await Promise.all(
      people.map((p, i) =>
        submit(sql, p, g.questionnaireId, {
          [choice!.id]: { choices: [{ option: choice!.options[i % 3] }, ...(i % 2 === 0 ? [{ option: choice!.options[(i + 1) % 3] }] : [])] },
          [text!.id]: { text: `Texte privé ${i}` },
        }),
      ),
    );
    const [r] = await asUser(userClaims(g.adminId), (tx) => tx<{ r: { responses: number; counts: Record<string, number> } }[]>`select public.form_results(${g.questionnaireId}) as r`, sql);
    const expected = { A: 0, B: 0, C: 0 } as Record<string, number>;
    people.forEach((_p, i) => {
      expected['ABC'[i % 3]!]! += 1;
      if (i % 2 === 0) expected['ABC'[(i + 1) % 3]!]! += 1;
    });
    expect(r!.r.responses).toBe(12);
    expect(r!.r.counts[choice!.id]).toBe(12);
    expect(choice!.options.map((o) => r!.r.counts[`${choice!.id}:${o}`])).toEqual([expected['A'], expected['B'], expected['C']]);
    expect(await tallyMismatches(sql, g.questionnaireId)).toEqual([]);
    // A citizen reads nothing while results are not published.
    const [none] = await asUser(userClaims(people[0]!), (tx) => tx<{ r: unknown }[]>`select public.form_results(${g.questionnaireId}) as r`, sql);
    expect(none!.r).toBeNull();

    const messages = await sql<{ topic: string; payload: { counts?: Record<string, number> } }[]>`
      select topic, payload from realtime.messages where topic like ${`forms:${g.questionnaireId}:%`} order by inserted_at`;
    expect(messages.length).toBe(12);
    expect(new Set(messages.map((m) => m.topic))).toEqual(new Set([`forms:${g.questionnaireId}:results`]));
    for (const m of messages) {
      expect(Object.keys(m.payload).filter((k) => k !== 'id').sort()).toEqual(['counts']);
      expect(Object.values(m.payload.counts!).every((v) => typeof v === 'number')).toBe(true);
      expect(JSON.stringify(m.payload)).not.toContain('Texte privé');
    }

    // Published live, the choice question only: the public topic gets its counts, nothing of the text question.
    await sql`update public.form_questionnaires set results_published_at = now(), results_live = true where id = ${g.questionnaireId}`;
    await sql`update public.form_questions set results_published = true where id = ${choice!.id}`;
    const late = await createUser(sql, 'count-late');
    await submit(sql, late, g.questionnaireId, { [choice!.id]: { choices: [{ option: choice!.options[0] }] }, [text!.id]: { text: 'encore' } });
    const [pub] = await sql<{ payload: { counts: Record<string, number> } }[]>`
      select payload from realtime.messages where topic = ${`forms:${g.questionnaireId}:public`} order by inserted_at desc limit 1`;
    expect(Object.keys(pub!.payload.counts).sort()).toEqual(['responses', choice!.id, `${choice!.id}:${choice!.options[0]}`].sort());
    const [seen] = await asUser(userClaims(people[0]!), (tx) => tx<{ r: { counts: Record<string, number>; published: string[] } }[]>`select public.form_results(${g.questionnaireId}) as r`, sql);
    expect(seen!.r.published).toEqual([choice!.id]);
    expect(Object.keys(seen!.r.counts).every((k) => k.startsWith(choice!.id))).toBe(true);
  });

  it('questions are locked once answered (only "results published" may change), until the answers are cleared', async () => {
    const g = await createSurvey(sql);
    const [gq] = await addQuestions(sql, g.questionnaireId, [{ kind: 'single_option', options: ['Oui', 'Non'] }]);
    await submit(sql, await createUser(sql, 'locker'), g.questionnaireId, { [gq!.id]: { choices: [{ option: gq!.options[0] }] } });
    const admin = userClaims(g.adminId);
    const err = (p: Promise<unknown>) => p.then(() => 'ok', (e: { constraint_name?: string; code?: string }) => e.constraint_name ?? e.code);
    expect(await err(asUser(admin, (tx) => tx`update public.form_questions set body = ${tx.json({ fr: 'Changée' })} where id = ${gq!.id}`, sql))).toBe('form_locked');
    expect(await err(asUser(admin, (tx) => tx`update public.form_options set body = ${tx.json({ fr: 'Peut-être' })} where id = ${gq!.options[1]!}`, sql))).toBe('form_locked');
    expect(await err(asUser(admin, (tx) => tx`insert into public.form_questions (questionnaire_id, position, kind, body) values (${g.questionnaireId}, 9, 'short_answer', ${tx.json({ fr: 'Nouvelle' })})`, sql))).toBe('form_locked');
    expect(await err(asUser(admin, (tx) => tx`delete from public.form_questions where id = ${gq!.id}`, sql))).toBe('form_locked');
    expect(await err(asUser(admin, (tx) => tx`update public.form_questions set results_published = true where id = ${gq!.id}`, sql))).toBe('ok');
    // A citizen cannot clear them; the space's admin can.
    expect(await err(asUser(userClaims(await createUser(sql, 'not-admin')), (tx) => tx`select public.form_clear_responses(${g.questionnaireId})`, sql))).toBe('42501');
    const [cleared] = await asUser(admin, (tx) => tx<{ n: number }[]>`select public.form_clear_responses(${g.questionnaireId}) as n`, sql);
    expect(cleared!.n).toBe(1);
    expect(await sql`select 1 from public.form_tallies where questionnaire_id = ${g.questionnaireId}`).toHaveLength(0);
    expect(await err(asUser(admin, (tx) => tx`update public.form_questions set body = ${tx.json({ fr: 'Changée' })} where id = ${gq!.id}`, sql))).toBe('ok');
  });

  it('drafts: kept per person while they may answer, read back by them only, gone once they submit', async () => {
    const g = await createSurvey(sql);
    const [gq] = await addQuestions(sql, g.questionnaireId, [{ kind: 'short_answer' }]);
    const [me, other] = await Promise.all([createUser(sql, 'drafter'), createUser(sql, 'other')]);
    const draft = { [gq!.id]: { text: 'À moitié' } };
    await asUser(userClaims(me), (tx) => tx`select public.form_save_draft(${g.questionnaireId}, ${tx.json(draft)}, 2, null)`, sql);
    const read = (who: string) => asUser(userClaims(who), (tx) => tx<{ d: { answers: unknown; at_page: number } | null }[]>`select public.form_draft(${g.questionnaireId}) as d`, sql);
    expect((await read(me))[0]!.d).toEqual({ answers: draft, at_page: 2 });
    expect((await read(other))[0]!.d).toBeNull();
    await submit(sql, me, g.questionnaireId, draft);
    expect((await read(me))[0]!.d).toBeNull();
  });
});
