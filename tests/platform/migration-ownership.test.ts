import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR } from '../../supabase/local/migrate.ts';

/**
 * A feature owns its migrations: adding a component must never edit another feature's SQL. This
 * reads every migration, in order, and records which feature first created each table, function,
 * policy and trigger. A migration may create or replace only what its own feature created (a
 * later migration of the same feature may), and its triggers may only run functions of its own
 * feature or of the core. The feature of a migration is the first word of its name:
 * `<timestamp>_<feature>[_<concern>].sql`; `core` is the platform (profiles, organization, spaces
 * and components, the shared resource layer), whose functions every feature may call.
 *
 * Text-based on purpose: no database needed, and it names the file and the object at fault.
 */

const CORE = 'core';

/**
 * What is still to fix (issue 10 §1), listed so the test pins it: it fails when a new trespass
 * appears and when one of these is fixed without being taken off the list.
 */
const KNOWN_TRESPASSES: string[] = [];
const KNOWN_IN_LIB: string[] = [];
const FILE_NAME = /^(\d{14})_([a-z]+)(?:_[a-z0-9_]+)?\.sql$/;

interface Migration {
  file: string;
  feature: string;
  text: string;
}

function migrations(): Migration[] {
  return readdirSync(MIGRATIONS_DIR)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((file) => {
      const m = FILE_NAME.exec(file);
      if (!m) throw new Error(`${file}: name must be <timestamp>_<feature>[_<concern>].sql`);
      return { file, feature: m[2]!, text: readFileSync(join(MIGRATIONS_DIR, file), 'utf8') };
    });
}

/** The statements outside function bodies and comments: DDL inside a `$$ … $$` body is data. */
function ddl(text: string): string {
  return text
    .replace(/\$([a-z_]*)\$[\s\S]*?\$\1\$/g, '$$$$')
    .replace(/--[^\n]*/g, '')
    .replace(/\s+/g, ' ')
    .toLowerCase();
}

const qualified = (name: string) => (name.includes('.') ? name : `public.${name}`);

interface Touch {
  key: string;
  /** Creating it anew (first owner) or replacing/dropping/altering something that may exist. */
  creates: boolean;
}

/** What a migration creates or changes, keyed `kind:name`. */
function touches(sql: string): { touched: Touch[]; triggerFunctions: string[] } {
  const touched: Touch[] = [];
  const triggerFunctions: string[] = [];
  for (const m of sql.matchAll(/create table (?:if not exists )?([a-z0-9_."]+)/g)) touched.push({ key: `table:${qualified(m[1]!)}`, creates: true });
  for (const m of sql.matchAll(/alter table (?:only )?(?:if exists )?([a-z0-9_."]+)/g)) touched.push({ key: `table:${qualified(m[1]!)}`, creates: false });
  for (const m of sql.matchAll(/create (or replace )?function ([a-z0-9_.]+)\s*\(/g)) touched.push({ key: `function:${qualified(m[2]!)}`, creates: true });
  for (const m of sql.matchAll(/drop function (?:if exists )?([a-z0-9_.]+)/g)) touched.push({ key: `function:${qualified(m[1]!)}`, creates: false });
  for (const m of sql.matchAll(/(create|drop|alter) policy "([^"]+)" on ([a-z0-9_.]+)/g)) {
    touched.push({ key: `policy:${qualified(m[3]!)}:${m[2]}`, creates: m[1] === 'create' });
  }
  for (const m of sql.matchAll(/create (?:or replace )?(?:constraint )?trigger ([a-z0-9_]+) [^;]*? on ([a-z0-9_.]+)[^;]*? execute (?:function|procedure) ([a-z0-9_.]+)/g)) {
    touched.push({ key: `trigger:${qualified(m[2]!)}:${m[1]}`, creates: true });
    triggerFunctions.push(qualified(m[3]!));
  }
  for (const m of sql.matchAll(/drop trigger (?:if exists )?([a-z0-9_]+) on ([a-z0-9_.]+)/g)) touched.push({ key: `trigger:${qualified(m[2]!)}:${m[1]}`, creates: false });
  return { touched, triggerFunctions };
}

/** Every object a migration touches that another feature created first, as `file: key (owner)`. */
function trespasses(all: Migration[]): string[] {
  const owner = new Map<string, string>();
  const found: string[] = [];
  // Component features, as their migrations register them: their names (and resource types,
  // singular) are theirs. `'comment'` stays free: it is an action any component may have.
  const components = all.flatMap((m) =>
    [...m.text.matchAll(/insert into public\.component_features \(feature\) values \('([a-z_]+)'\)/g)].map((x) => ({ feature: x[1]!, file: m.file })),
  );
  for (const m of all) {
    // Another component's name as a string (its component feature, its resource type) is a rule
    // about that feature written outside its folder.
    const literals = m.text.replace(/--[^\n]*/g, '').toLowerCase();
    for (const other of components.filter((c) => c.feature !== m.feature).map((c) => c.feature)) {
      if (literals.includes(`'${other}'`) || literals.includes(`'${other.replace(/s$/, '')}'`)) found.push(`${m.file}: names the ${other} feature`);
    }
    const { touched, triggerFunctions } = touches(ddl(m.text));
    for (const t of touched) {
      const first = owner.get(t.key);
      if (first === undefined) {
        // Policies on `realtime.messages` and the like: the table is the platform's, the policy the feature's.
        if (t.creates) owner.set(t.key, m.feature);
      } else if (first !== m.feature) {
        found.push(`${m.file}: ${t.key} (created by ${first})`);
      }
    }
    for (const fn of triggerFunctions) {
      const first = owner.get(`function:${fn}`);
      if (first !== undefined && first !== m.feature && first !== CORE) found.push(`${m.file}: a trigger runs ${fn} (of ${first})`);
    }
  }
  return found;
}

/** The features that have migrations, core aside. */
function features(all: Migration[]): string[] {
  return [...new Set(all.map((m) => m.feature))].filter((f) => f !== CORE);
}

describe('migration ownership', () => {
  const all = migrations();

  it('every migration is named <timestamp>_<feature>[_<concern>].sql', () => {
    expect(all.length).toBeGreaterThan(0);
    expect(all.filter((m) => m.feature === CORE).length).toBeGreaterThan(0);
  });

  it('no migration creates or replaces a table, function, policy or trigger of another feature', () => {
    expect(trespasses(all)).toEqual(KNOWN_TRESPASSES);
  });

  it('a core migration names no feature (not as a resource type, a component feature, a table)', () => {
    const names = features(all).flatMap((f) => [f, f.replace(/s$/, '')]);
    const offending = all
      .filter((m) => m.feature === CORE)
      .flatMap((m) => names.filter((n) => new RegExp(`\\b${n}s?\\b`, 'i').test(ddl(m.text).replace(/\$\$/g, ''))).map((n) => `${m.file}: ${n}`));
    expect(offending).toEqual([]);
  });

  it('the check itself sees a trespass (a proposals migration replacing a comments function)', () => {
    const planted: Migration[] = [
      { file: '1_comments.sql', feature: 'comments', text: 'create function private.f() returns int language sql as $$ select 1 $$;\ncreate table public.t (id int);\ncreate policy "p" on public.t for select using (true);' },
      { file: '2_comments_more.sql', feature: 'comments', text: 'create or replace function private.f() returns int language sql as $$ select 2 $$;' },
      {
        file: '3_proposals.sql',
        feature: 'proposals',
        text: 'create or replace function private.f() returns int language sql as $$ select 3 $$;\ndrop policy "p" on public.t;\ncreate trigger x after insert on public.u for each row execute function private.f();',
      },
    ];
    expect(trespasses(planted)).toEqual([
      '3_proposals.sql: function:private.f (created by comments)',
      '3_proposals.sql: policy:public.t:p (created by comments)',
      '3_proposals.sql: a trigger runs private.f (of comments)',
    ]);
  });

  it('src/lib names no feature (in code: keys, paths, strings; prose may say "a page")', () => {
    // A feature named like one of src/lib's own modules (the forms library and src/lib/forms, the
    // form helpers that predate it) cannot be told apart by name: the import check below covers it.
    const libModules = readdirSync(join(import.meta.dirname, '../../src/lib'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    const names = features(all).filter((f) => !libModules.includes(f)).join('|').replace(/s(?=\||$)/g, 's?');
    let hits: string[] = [];
    try {
      hits = execFileSync('git', ['grep', '-n', '-E', `[.'"\`/](${names})\\b`, '--', 'src/lib'], { encoding: 'utf8' }).split('\n');
    } catch {
      // git grep exits 1 when nothing matches
    }
    const code = hits.filter((line) => line && !/^\S+:\d+:\s*(\*|\/\/|\/\*)/.test(line));
    expect(code).toEqual(KNOWN_IN_LIB);
  });

  it('src/lib imports nothing from a feature', () => {
    let hits: string[] = [];
    try {
      hits = execFileSync('git', ['grep', '-n', '-E', `(from|import\\() *['"](@/features/|(\\.\\./)+features/)`, '--', 'src/lib'], { encoding: 'utf8' }).split('\n');
    } catch {
      // git grep exits 1 when nothing matches
    }
    expect(hits.filter(Boolean)).toEqual([]);
  });
});
