import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import postgres from 'postgres';

const here = import.meta.dirname;
export const BOOTSTRAP_DIR = resolve(here, 'sql');
export const MIGRATIONS_DIR = resolve(here, '..', 'migrations');
export const SEED_FILE = resolve(here, '..', 'seed.sql');

export class MigrationError extends Error {
  readonly file: string;
  constructor(file: string, sqlMessage: string, detail?: string) {
    super(`Migration ${file} failed: ${sqlMessage}${detail ? `\n${detail}` : ''}`);
    this.name = 'MigrationError';
    this.file = file;
  }
}

export interface MigrateResult {
  bootstrapped: string[];
  applied: string[];
  seeded: boolean;
}

const MIGRATION_NAME = /^(\d{14})_([a-z0-9_]+)\.sql$/;

/** Lists `<timestamp>_<name>.sql` files in order; anything else in the folder is a mistake. */
export function listMigrations(dir: string): { version: string; name: string; file: string }[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((file) => {
      const m = MIGRATION_NAME.exec(file);
      if (!m) throw new MigrationError(file, 'file name must be <14-digit timestamp>_<snake_case_name>.sql');
      return { version: m[1]!, name: m[2]!, file: join(dir, file) };
    });
}

function lineOf(text: string, position: number | undefined): string | undefined {
  if (!position) return undefined;
  const line = text.slice(0, position).split('\n').length;
  return `at line ${line}: ${text.split('\n')[line - 1]?.trim() ?? ''}`;
}

async function runFile(sql: postgres.Sql, file: string, text: string, record: (tx: postgres.TransactionSql) => Promise<unknown>) {
  try {
    await sql.begin(async (tx) => {
      await tx.unsafe(text).simple();
      await record(tx);
    });
  } catch (err) {
    const e = err as postgres.PostgresError;
    const pos = e.position ? Number(e.position) : undefined;
    throw new MigrationError(file.split('/').pop()!, e.message ?? String(err), lineOf(text, pos));
  }
}

/**
 * The seed: `supabase/seed.sql` (the platform's: organization, accounts, spaces), then each feature's
 * `supabase/seed/*.sql` in name order — the Supabase CLI's `[db.seed] sql_paths = ["./seed.sql",
 * "./seed/*.sql"]`, so a feature seeds its own demo rows without editing another's file.
 */
export function seedFiles(seedFile: string): { file: string; path: string }[] {
  if (!existsSync(seedFile)) return [];
  const dir = join(dirname(seedFile), 'seed');
  const rest = existsSync(dir) ? readdirSync(dir).filter((x) => x.endsWith('.sql')).sort() : [];
  return [{ file: seedFile, path: 'supabase/seed.sql' }, ...rest.map((x) => ({ file: join(dir, x), path: `supabase/seed/${x}` }))];
}

/**
 * Brings a database up to date:
 * 1. locally only, the bootstrap a Supabase project already has (`supabase/local/sql/*.sql`);
 * 2. the app's migrations, each once, each in its own transaction, recorded in
 *    `supabase_migrations.schema_migrations` — the table the Supabase CLI uses, so `supabase db push`
 *    and this runner agree on what has been applied;
 * 3. the seed, once, on a database that had no migrations before this run.
 */
export async function migrate(opts: {
  databaseUrl: string;
  local: boolean;
  seed?: boolean;
  migrationsDir?: string;
  seedFile?: string;
  log?: (line: string) => void;
}): Promise<MigrateResult> {
  const log = opts.log ?? (() => {});
  const sql = postgres(opts.databaseUrl, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  const result: MigrateResult = { bootstrapped: [], applied: [], seeded: false };
  try {
    await sql.unsafe(`
      create schema if not exists supabase_migrations;
      create table if not exists supabase_migrations.schema_migrations (version text primary key, statements text[], name text);
      create table if not exists supabase_migrations.seed_files (path text primary key, hash text not null);
    `).simple();

    if (opts.local) {
      await sql`create table if not exists supabase_migrations.local_bootstrap (name text primary key, applied_at timestamptz not null default now())`;
      const done = new Set((await sql<{ name: string }[]>`select name from supabase_migrations.local_bootstrap`).map((r) => r.name));
      for (const f of readdirSync(BOOTSTRAP_DIR).filter((x) => x.endsWith('.sql')).sort()) {
        if (done.has(f)) continue;
        const text = readFileSync(join(BOOTSTRAP_DIR, f), 'utf8');
        await runFile(sql, f, text, (tx) => tx`insert into supabase_migrations.local_bootstrap (name) values (${f})`);
        result.bootstrapped.push(f);
        log(`bootstrap ${f}`);
      }
    }

    const applied = new Set(
      (await sql<{ version: string }[]>`select version from supabase_migrations.schema_migrations`).map((r) => r.version),
    );
    const fresh = applied.size === 0;
    for (const m of listMigrations(opts.migrationsDir ?? MIGRATIONS_DIR)) {
      if (applied.has(m.version)) continue;
      const text = readFileSync(m.file, 'utf8');
      await runFile(sql, m.file, text, (tx) =>
        tx`insert into supabase_migrations.schema_migrations (version, name, statements) values (${m.version}, ${m.name}, ${[text]})`,
      );
      result.applied.push(`${m.version}_${m.name}`);
      log(`migration ${m.version}_${m.name}`);
    }

    if (opts.seed !== false && fresh) {
      for (const { file, path } of seedFiles(opts.seedFile ?? SEED_FILE)) {
        const text = readFileSync(file, 'utf8');
        const hash = createHash('sha256').update(text).digest('hex');
        await runFile(sql, path, text, (tx) =>
          tx`insert into supabase_migrations.seed_files (path, hash) values (${path}, ${hash}) on conflict (path) do update set hash = excluded.hash`,
        );
        result.seeded = true;
        log(`seed ${path}`);
      }
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
  return result;
}
