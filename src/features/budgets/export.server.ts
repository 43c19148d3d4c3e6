import type { OpenDataContext, OpenDataFormat } from '../../lib/components/manifest.ts';
import { csvResponse, toCsv } from '../../lib/csv.ts';
import { asUser, type Claims } from '../../lib/db/index.ts';
import { translated, type Locale } from '../../lib/i18n/index.ts';
import type { TranslatedText } from '../../lib/i18n/translated.ts';
import { serializePabulib, type PabulibInstance } from './pabulib.ts';

/*
 * Exports of a vote: its results (CSV, JSON; the open data set of every published tally) and its
 * anonymised ballots in the Pabulib format. Read as the asker: RLS and the database's export
 * function decide (results once confirmed, or for the space's admins; ballots once the vote is
 * finished for the admins, once published for everyone).
 */

export const RESULT_COLUMNS = [
  'budget_id',
  'budget',
  'envelope',
  'method',
  'voters',
  'project_id',
  'project',
  'cost',
  'votes',
  'rank',
  'proposed',
  'selected',
  'paid_by',
  'payers',
  'average_payment',
] as const;

interface ResultDbRow {
  budget_id: string;
  budget_title: TranslatedText;
  total_budget: string;
  method: string;
  voters: number;
  project_id: string;
  project_title: TranslatedText;
  cost: string;
  votes: number;
  rank: number;
  proposed: boolean;
  selected: boolean;
  paid_by: string | null;
  payers: number | null;
  average_payment: string | null;
}

/** Result rows of the given budgets (or of every tally the asker sees), in rank order. */
export async function resultRows(claims: Claims | null, opts: { budgetIds?: string[]; locale: Locale; defaultLocale: string }) {
  const rows = await asUser(
    claims,
    (tx) => tx<ResultDbRow[]>`
      select t.budget_id, b.title as budget_title, b.total_budget::text, t.method, t.voters, r.project_id, p.title as project_title,
             p.cost::text, r.votes, r.rank, r.proposed, p.selected_at is not null as selected, r.paid_by, r.payers, r.average_payment::text
      from public.budget_tallies t
      join public.budgets b on b.id = t.budget_id
      join public.budget_results r on r.budget_id = t.budget_id
      join public.projects p on p.id = r.project_id
      where (${opts.budgetIds ?? null}::uuid[] is null or t.budget_id = any(${opts.budgetIds ?? null}::uuid[]))
      order by b.weight, b.created_at, t.budget_id, r.rank`,
  );
  return rows.map((r) => ({
    budget_id: r.budget_id,
    budget: translated(r.budget_title, opts.locale, opts.defaultLocale),
    envelope: Number(r.total_budget),
    method: r.method,
    voters: r.voters,
    project_id: r.project_id,
    project: translated(r.project_title, opts.locale, opts.defaultLocale),
    cost: Number(r.cost),
    votes: r.votes,
    rank: r.rank,
    proposed: r.proposed,
    selected: r.selected,
    paid_by: r.paid_by,
    payers: r.payers,
    average_payment: r.average_payment === null ? null : Number(r.average_payment),
  }));
}

export function jsonFile(body: unknown, filename: string, cache: 'public' | 'private'): Response {
  return new Response(JSON.stringify(body, null, 2), {
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'content-disposition': `attachment; filename="${filename}"`,
      'cache-control': cache === 'public' ? 'public, max-age=300' : 'private, no-store',
      'x-content-type-options': 'nosniff',
    },
  });
}

export async function resultsResponse(claims: Claims | null, format: 'csv' | 'json', opts: { budgetIds?: string[]; locale: Locale; defaultLocale: string; filename: string }) {
  const rows = await resultRows(claims, opts);
  if (format === 'json') return jsonFile(rows, `${opts.filename}.json`, claims ? 'private' : 'public');
  const res = csvResponse(toCsv(RESULT_COLUMNS, rows), `${opts.filename}.csv`);
  if (!claims) res.headers.set('cache-control', 'public, max-age=300');
  return res;
}

/** Open data: every published tally, read as an anonymous visitor. */
export async function openDataResponse(format: OpenDataFormat, ctx: OpenDataContext): Promise<Response> {
  return resultsResponse(null, format, { locale: ctx.locale, defaultLocale: ctx.defaultLocale, filename: 'budgets' });
}

/**
 * A closed vote as a Pabulib instance: its projects with their costs, votes and selection, and
 * its ballots numbered in an order that says nothing of who voted or when. Null when the asker
 * may not have its ballots.
 */
export async function pabulibInstance(claims: Claims | null, budgetId: string, opts: { locale: Locale; defaultLocale: string; unit: string }): Promise<PabulibInstance | null> {
  return asUser(claims, async (tx) => {
    const [b] = await tx<{ title: TranslatedText; total_budget: string; imported: Record<string, string> | null; method: string | null; vote_rule: string; range_min: number; range_max: number }[]>`
      select b.title, b.total_budget::text, b.imported, t.method, b.vote_rule, b.range_min, b.range_max
      from public.budgets b left join public.budget_tallies t on t.budget_id = b.id where b.id = ${budgetId}`;
    if (!b) return null;
    const ballots = await tx<{ voter: number; project_ids: string[]; points: number[] }[]>`
      select voter, project_ids, points from public.budgets_export_ballots(${budgetId}) order by voter`;
    const [{ allowed } = { allowed: false }] = await tx<{ allowed: boolean }[]>`
      select private.budgets_admin(b.component_id) and (b.imported is not null or private.budgets_votes(b.component_id) = 'finished')
             or exists (select 1 from public.budget_tallies t where t.budget_id = b.id and t.confirmed_at is not null) as allowed
      from public.budgets b where b.id = ${budgetId}`;
    if (!allowed) return null;
    const projects = await tx<{ id: string; source_ref: string | null; cost: string; title: TranslatedText; votes: number | null; selected: boolean }[]>`
      select p.id, p.source_ref, p.cost::text, p.title, r.votes, p.selected_at is not null as selected
      from public.projects p left join public.budget_results r on r.project_id = p.id and r.budget_id = p.budget_id
      where p.budget_id = ${budgetId} order by p.weight, p.id`;
    // Pabulib ids: the imported file's own, else 1, 2, 3… in the budget's order.
    const ref = new Map(projects.map((p, i) => [p.id, p.source_ref ?? String(i + 1)]));
    const cumulative = ballots.some((v) => v.points.some((n) => n !== 1));
    const counted = new Map<string, number>();
    for (const v of ballots) for (const id of v.project_ids) counted.set(id, (counted.get(id) ?? 0) + 1);
    const meta: Record<string, string> = {
      description: translated(b.title, opts.locale, opts.defaultLocale),
      country: b.imported?.['country'] ?? 'France',
      unit: b.imported?.['unit'] ?? opts.unit,
      instance: b.imported?.['instance'] ?? String(new Date().getFullYear()),
      num_projects: String(projects.length),
      num_votes: String(ballots.length),
      budget: b.total_budget,
      vote_type: cumulative ? 'cumulative' : 'approval',
      rule: b.method === 'equal_shares' ? 'equalshares/add1' : 'greedy',
    };
    if (!cumulative && b.vote_rule === 'projects_range') {
      meta['min_length'] = String(b.range_min);
      meta['max_length'] = String(b.range_max);
    }
    return {
      meta,
      projects: projects.map((p) => ({
        project_id: ref.get(p.id)!,
        cost: p.cost,
        votes: String(p.votes ?? counted.get(p.id) ?? 0),
        name: translated(p.title, opts.locale, opts.defaultLocale).replace(/\s+/g, ' '),
        selected: p.selected ? '1' : '0',
      })),
      votes: ballots.map((v) => ({
        voter_id: String(v.voter),
        vote: v.project_ids.map((id) => ref.get(id)!).join(','),
        ...(cumulative ? { points: v.points.join(',') } : {}),
      })),
    };
  });
}

export function pabulibResponse(inst: PabulibInstance, filename: string): Response {
  return new Response(serializePabulib(inst), {
    headers: {
      'content-type': 'text/plain; charset=utf-8',
      'content-disposition': `attachment; filename="${filename}.pb"`,
      'cache-control': 'private, no-store',
      'x-content-type-options': 'nosniff',
    },
  });
}
