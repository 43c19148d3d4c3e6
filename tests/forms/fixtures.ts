import { randomBytes, randomUUID } from 'node:crypto';
import type postgres from 'postgres';
import { asUser, type Tx } from '../../src/lib/db/index.ts';
import { attempt, createUser, userClaims } from '../db/fixtures.ts';
import { createComponentPlace, grantRole, type Json } from '../helpers/component-place.ts';

/*
 * Fixtures of the forms and surveys tests: a published process with one active phase holding a
 * surveys component (its questionnaire comes with it), questions built straight in SQL as the
 * table owner, a space admin, and submissions made as each person through form_submit. Fresh
 * per call: tests never depend on other tests' data.
 */

export type { Json };

export interface SurveyFixture {
  spaceId: string;
  slug: string;
  phaseId: string;
  componentId: string;
  questionnaireId: string;
  /** A space admin of this space. */
  adminId: string;
}

export async function createSurvey(sql: postgres.Sql, opts: { phase?: Json; private?: boolean; published?: boolean } = {}): Promise<SurveyFixture> {
  const adminId = await createUser(sql, 'survey-admin');
  const place = await createComponentPlace(sql, {
    feature: 'surveys',
    name: { fr: 'Enquête', en: 'Survey' },
    slugPrefix: 'survey',
    spaceTitle: { fr: 'Processus sondé', en: 'Surveyed process' },
    phase: { allow_answers: true, ...(opts.phase ?? {}) },
    ...(opts.private !== undefined ? { private: opts.private } : {}),
    ...(opts.published !== undefined ? { published: opts.published } : {}),
  });
  await grantRole(sql, place, adminId, 'admin');
  const [q] = await sql<{ id: string }[]>`select id from public.form_questionnaires where owner_type = 'survey' and owner_id = ${place.componentId}`;
  return { ...place, questionnaireId: q!.id, adminId };
}

/** Replaces the active phase's settings of the survey (as the table owner). */
export async function setPhase(sql: postgres.Sql, f: SurveyFixture, phase: Json): Promise<void> {
  await sql`update public.components set phase_settings = ${sql.json({ [f.phaseId]: phase } as postgres.JSONValue)} where id = ${f.componentId}`;
}

export interface QuestionSpec {
  kind: string;
  body?: Json;
  mandatory?: boolean;
  max_choices?: number | null;
  max_characters?: number | null;
  scale_max?: number | null;
  options?: (string | { text: string; free?: boolean })[];
  rows?: string[];
}

export interface BuiltQuestion {
  id: string;
  kind: string;
  options: string[];
  rows: string[];
}

/** Adds questions at the end of a questionnaire, with their options and rows (as the table owner). */
export async function addQuestions(sql: postgres.Sql, questionnaireId: string, specs: QuestionSpec[]): Promise<BuiltQuestion[]> {
  return sql.begin(async (tx: Tx) => {
    const [row] = await tx<{ n: number }[]>`select coalesce(max(position), 0)::int as n from public.form_questions where questionnaire_id = ${questionnaireId}`;
    let position = row?.n ?? 0;
    const out: BuiltQuestion[] = [];
    for (const s of specs) {
      const id = randomUUID();
      position += 1;
      await tx`
        insert into public.form_questions (id, questionnaire_id, position, kind, body, mandatory, max_choices, max_characters, scale_max,
                                           scale_min_label, scale_max_label)
        values (${id}, ${questionnaireId}, ${position}, ${s.kind}, ${tx.json((s.body ?? (s.kind === 'separator' ? {} : { fr: `Question ${position}`, en: `Question ${position}` })) as postgres.JSONValue)},
                ${s.mandatory ?? false}, ${s.max_choices ?? null}, ${s.max_characters ?? null},
                ${s.scale_max ?? (s.kind === 'scale' ? 5 : null)},
                ${tx.json(s.kind === 'scale' ? { fr: 'Pas du tout', en: 'Not at all' } : {})}, ${tx.json(s.kind === 'scale' ? { fr: 'Tout à fait', en: 'Completely' } : {})})`;
      const options: string[] = [];
      for (const [i, o] of (s.options ?? []).entries()) {
        const oid = randomUUID();
        const text = typeof o === 'string' ? o : o.text;
        await tx`insert into public.form_options (id, question_id, position, body, free_text)
                 values (${oid}, ${id}, ${i + 1}, ${tx.json({ fr: text, en: text })}, ${typeof o === 'string' ? false : (o.free ?? false)})`;
        options.push(oid);
      }
      const rows: string[] = [];
      for (const [i, r] of (s.rows ?? []).entries()) {
        const rid = randomUUID();
        await tx`insert into public.form_matrix_rows (id, question_id, position, body) values (${rid}, ${id}, ${i + 1}, ${tx.json({ fr: r, en: r })})`;
        rows.push(rid);
      }
      out.push({ id, kind: s.kind, options, rows });
    }
    return out;
  });
}

export async function addCondition(
  sql: postgres.Sql,
  question: string,
  source: string,
  kind: string,
  opts: { option?: string | undefined; pattern?: string | undefined; mandatory?: boolean | undefined } = {},
): Promise<void> {
  await sql`insert into public.form_conditions (question_id, condition_question_id, kind, option_id, pattern, mandatory)
            values (${question}, ${source}, ${kind}, ${opts.option ?? null}, ${opts.pattern ?? null}, ${opts.mandatory ?? true})`;
}

/** A browser's token for visitors' answers. */
export const visitorToken = () => randomBytes(32).toString('base64url');

/** Submits as a person (their id) or a visitor (null, with a token and an address). */
export async function submit(
  sql: postgres.Sql,
  who: string | null,
  questionnaireId: string,
  answers: Json,
  opts: { token?: string; address?: string; terms?: boolean } = {},
): Promise<string> {
  return asUser(
    who ? userClaims(who) : null,
    async (tx) => {
      if (opts.address) await tx`select set_config('request.headers', ${JSON.stringify({ 'x-forwarded-for': opts.address })}, true)`;
      const [row] = await tx<{ id: string }[]>`
        select public.form_submit(${questionnaireId}, ${tx.json(answers as postgres.JSONValue)}, ${opts.token ?? null}, ${opts.terms ?? false}, 'fr') as id`;
      return row!.id;
    },
    sql,
  );
}

/**
 * What a submission comes to, rolled back whatever happens (so one person can try many): 'ok', or
 * the constraint its refusal names (and the question, as `rule@question`, when `withQuestion`).
 */
export async function outcome(
  sql: postgres.Sql,
  who: string | null,
  questionnaireId: string,
  answers: Json,
  opts: { token?: string; address?: string; terms?: boolean; withQuestion?: boolean } = {},
): Promise<string> {
  const r = await attempt(sql, who ? userClaims(who) : null, async (tx) => {
    if (opts.address) await tx`select set_config('request.headers', ${JSON.stringify({ 'x-forwarded-for': opts.address })}, true)`;
    await tx`select public.form_submit(${questionnaireId}, ${tx.json(answers as postgres.JSONValue)}, ${opts.token ?? null}, ${opts.terms ?? false}, 'fr')`;
  });
  if (r.ok) return 'ok';
  const e = r.error as postgres.PostgresError & { constraint_name?: string; column_name?: string };
  if (!e.constraint_name) throw r.error;
  return opts.withQuestion && e.column_name ? `${e.constraint_name}@${e.column_name}` : e.constraint_name;
}

export { createUser };

/**
 * The counts kept as answers arrived (form_tallies) against a recount of the stored answers,
 * key by key: the keys whose numbers differ (empty when every count is exact).
 */
export async function tallyMismatches(sql: postgres.Sql, questionnaireId: string): Promise<{ key: string; kept: number | null; recounted: number | null }[]> {
  return sql<{ key: string; kept: number | null; recounted: number | null }[]>`
    with recount as (
      select 'responses' as key, count(*)::int as n from public.form_responses where questionnaire_id = ${questionnaireId}
      union all
      select a.question_id::text, count(*)::int from public.form_answers a join public.form_responses r on r.id = a.response_id
      where r.questionnaire_id = ${questionnaireId} group by a.question_id
      union all
      select a.question_id::text || ':' || a.value, count(*)::int from public.form_answers a join public.form_responses r on r.id = a.response_id
      where r.questionnaire_id = ${questionnaireId} and a.value is not null group by a.question_id, a.value
      union all
      select c.question_id::text || ':' || case when c.row_id is not null then c.row_id::text || ':' || c.option_id::text
                                                when c.rank is not null then c.option_id::text || ':' || c.rank
                                                else c.option_id::text end,
             count(*)::int
      from public.form_answer_choices c join public.form_responses r on r.id = c.response_id
      where r.questionnaire_id = ${questionnaireId} group by 1
    ), kept as (select key, count as n from public.form_tallies where questionnaire_id = ${questionnaireId})
    select coalesce(k.key, c.key) as key, k.n as kept, c.n as recounted
    from kept k full join recount c on c.key = k.key
    where k.n is distinct from c.n`;
}
