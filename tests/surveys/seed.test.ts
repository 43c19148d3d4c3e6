import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { QUESTION_KINDS } from '../../src/features/forms/forms.ts';
import { tallyMismatches } from '../forms/fixtures.ts';
import { stack } from '../web/helpers.ts';

/*
 * The seeded survey "Votre quartier et vous" (supabase/seed/60_surveys.sql): every question type,
 * a display condition, 300 answers whose counts match a recount of the answers, results of its
 * choice questions published live, and the demo accounts free to answer it.
 */

const SURVEY = '00000000-0000-4000-8004-000000000030';
const QUESTIONNAIRE = '00000000-0000-4000-8020-000000000000';
const sql = postgres(stack().databaseUrl, { max: 2, onnotice: () => {} });
afterAll(() => sql.end());

describe('the seeded survey', () => {
  it('is in the participatory budget, open in its active phase, and uses every question type and a condition', async () => {
    const [c] = await sql<{ space_id: string; feature: string; allowed: boolean }[]>`
      select space_id, feature, private.component_allows(id, 'answer') as allowed from public.components where id = ${SURVEY}`;
    expect(c).toEqual({ space_id: '00000000-0000-4000-8002-000000000001', feature: 'surveys', allowed: true });
    const kinds = await sql<{ kind: string }[]>`select distinct kind from public.form_questions where questionnaire_id = ${QUESTIONNAIRE}`;
    expect(kinds.map((k) => k.kind).sort()).toEqual([...QUESTION_KINDS].sort());
    const [conditions] = await sql<{ n: number }[]>`
      select count(*)::int as n from public.form_conditions c join public.form_questions q on q.id = c.question_id where q.questionnaire_id = ${QUESTIONNAIRE}`;
    expect(conditions!.n).toBeGreaterThan(0);
  });

  it('has 300 answers, none carrying a person, counted exactly; the demo accounts have not answered', async () => {
    const [r] = await sql<{ n: number; people: number }[]>`
      select count(*)::int as n, count(person_id)::int as people from public.form_responses where questionnaire_id = ${QUESTIONNAIRE}`;
    expect(r).toEqual({ n: 300, people: 0 });
    expect(await tallyMismatches(sql, QUESTIONNAIRE)).toEqual([]);
    const answered = await sql<{ email: string; answered: boolean }[]>`
      select u.email, exists (select 1 from public.form_responses x where x.questionnaire_id = ${QUESTIONNAIRE}
        and x.respondent = extensions.hmac(convert_to(${QUESTIONNAIRE}::text || ':person:' || u.id::text, 'UTF8'), (select secret from private.form_secret), 'sha256')) as answered
      from auth.users u where u.email like '%@demo.decidons.fr'`;
    expect(answered.length).toBe(4);
    expect(answered.filter((a) => a.answered)).toEqual([]);
  });

  it('publishes its choice questions’ results, live', async () => {
    const [q] = await sql<{ live: boolean; published: number }[]>`
      select q.results_live as live, (select count(*)::int from public.form_questions x where x.questionnaire_id = q.id and x.results_published) as published
      from public.form_questionnaires q where q.id = ${QUESTIONNAIRE}`;
    expect(q).toEqual({ live: true, published: 7 });
  });
});
