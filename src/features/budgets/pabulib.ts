import { stringify } from 'csv-stringify/sync';

/*
 * The Pabulib `.pb` format (pabulib.org, the researchers' open library of participatory budgets):
 * three sections, `META`, `PROJECTS` and `VOTES`, each a `;`-separated table with a header row
 * (fields quoted as in CSV when they hold `;` or quotes). `META` is key;value (budget, vote_type,
 * rule…); `PROJECTS` has at least project_id;cost (then votes, name, selected…); `VOTES` has at
 * least voter_id;vote (the ballot's project ids separated by commas, and `points` for cumulative
 * ballots). Pure: the import's use case, the export route and the tests use it.
 */

export interface PabulibInstance {
  meta: Record<string, string>;
  projects: Record<string, string>[];
  votes: Record<string, string>[];
}

export class PabulibError extends Error {
  /** The line of the file at fault (1-based), when there is one. */
  readonly line: number | null;
  readonly code: string;
  constructor(code: string, line: number | null = null) {
    super(line === null ? code : `${code} (line ${line})`);
    this.name = 'PabulibError';
    this.code = code;
    this.line = line;
  }
}

/** One `;`-separated line, with CSV quoting ("" inside a quoted field is a quote). */
export function splitLine(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"') {
        if (line[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ';') {
      out.push(field);
      field = '';
    } else field += ch;
  }
  out.push(field);
  return out;
}

const SECTIONS = ['META', 'PROJECTS', 'VOTES'] as const;

export function parsePabulib(text: string): PabulibInstance {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const tables: Record<(typeof SECTIONS)[number], Record<string, string>[]> = { META: [], PROJECTS: [], VOTES: [] };
  let section: (typeof SECTIONS)[number] | null = null;
  let header: string[] | null = null;
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    if ((SECTIONS as readonly string[]).includes(line)) {
      section = line as (typeof SECTIONS)[number];
      header = null;
      return;
    }
    if (section === null) throw new PabulibError('pabulib.no_section', index + 1);
    const cells = splitLine(line).map((c) => c.trim());
    if (header === null) {
      header = cells;
      return;
    }
    const row: Record<string, string> = {};
    header.forEach((h, k) => (row[h] = cells[k] ?? ''));
    tables[section].push(row);
  });
  const meta: Record<string, string> = {};
  for (const r of tables.META) if (r['key']) meta[r['key']] = r['value'] ?? '';
  const instance = { meta, projects: tables.PROJECTS, votes: tables.VOTES };
  validate(instance);
  return instance;
}

function validate(inst: PabulibInstance): void {
  const budget = Number(inst.meta['budget']);
  if (!Number.isFinite(budget) || budget <= 0) throw new PabulibError('pabulib.budget');
  if (inst.projects.length === 0) throw new PabulibError('pabulib.no_projects');
  const ids = new Set<string>();
  for (const p of inst.projects) {
    const cost = Number(p['cost']);
    if (!p['project_id'] || !Number.isFinite(cost) || cost <= 0) throw new PabulibError('pabulib.project');
    ids.add(p['project_id']);
  }
  for (const v of inst.votes) {
    if (!v['voter_id']) throw new PabulibError('pabulib.vote');
    const projects = ballotProjects(v);
    if (projects.some((p) => !ids.has(p))) throw new PabulibError('pabulib.vote');
    const points = ballotPoints(v);
    if (points && (points.length !== projects.length || points.some((n) => !Number.isInteger(n) || n < 1))) throw new PabulibError('pabulib.vote');
  }
}

export const ballotProjects = (v: Record<string, string>): string[] => (v['vote'] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
export const ballotPoints = (v: Record<string, string>): number[] | null => (v['points'] ? v['points'].split(',').map((s) => Number(s.trim())) : null);

/** The sections of a closed vote as a `.pb` file. */
export function serializePabulib(inst: PabulibInstance): string {
  const table = (rows: Record<string, string>[], columns: string[]) =>
    stringify([columns, ...rows.map((r) => columns.map((c) => r[c] ?? ''))], { delimiter: ';', record_delimiter: '\n' });
  const metaRows = Object.entries(inst.meta).map(([key, value]) => ({ key, value }));
  const columnsOf = (rows: Record<string, string>[], first: string[]) => [...new Set([...first, ...rows.flatMap((r) => Object.keys(r))])];
  return [
    'META\n' + table(metaRows, ['key', 'value']),
    'PROJECTS\n' + table(inst.projects, columnsOf(inst.projects, ['project_id', 'cost'])),
    'VOTES\n' + table(inst.votes, columnsOf(inst.votes, ['voter_id', 'vote'])),
  ].join('');
}
