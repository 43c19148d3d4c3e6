import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR, MigrationError, listMigrations, migrate } from '../../supabase/local/migrate.ts';
import { connectTestDb, createScratchDatabase, databaseUrlFor, dropScratchDatabase } from '../helpers/db.ts';

let admin: postgres.Sql;
const scratch: string[] = [];
const dirs: string[] = [];

beforeAll(() => {
  admin = connectTestDb();
});
afterAll(async () => {
  for (const db of scratch) await dropScratchDatabase(admin, db);
  await admin.end();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function freshDb(): Promise<string> {
  const name = await createScratchDatabase(admin, 'mig');
  scratch.push(name);
  return name;
}

function migrationsWith(extra: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'decidons-mig-'));
  dirs.push(dir);
  cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  for (const [name, text] of Object.entries(extra)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('migrations', () => {
  it('apply in order on an empty database, then seed, and are not re-applied on the next start', async () => {
    const db = await freshDb();
    const url = databaseUrlFor(db);
    const first = await migrate({ databaseUrl: url, local: true });
    expect(first.bootstrapped.length).toBeGreaterThan(0);
    expect(first.applied).toEqual(listMigrations(MIGRATIONS_DIR).map((m) => `${m.version}_${m.name}`));
    expect(first.seeded).toBe(true);

    const c = postgres(url, { max: 1, onnotice: () => {} });
    try {
      await c`update public.organization set contact_email = 'kept@example.org'`;
      const second = await migrate({ databaseUrl: url, local: true });
      expect(second).toEqual({ bootstrapped: [], applied: [], seeded: false });
      const [org] = await c<{ contact_email: string }[]>`select contact_email from public.organization`;
      expect(org?.contact_email).toBe('kept@example.org');
      const recorded = await c<{ version: string }[]>`select version from supabase_migrations.schema_migrations order by version`;
      expect(recorded.map((r) => r.version)).toEqual(listMigrations(MIGRATIONS_DIR).map((m) => m.version));
    } finally {
      await c.end();
    }
  });

  it('a failing migration stops start-up naming the file and the SQL error, and applies nothing of it', async () => {
    const db = await freshDb();
    const dir = migrationsWith({
      '29991231000000_broken.sql': 'create table public.half_done (id int);\nselect * from no_such_table;\n',
    });
    const err = await migrate({ databaseUrl: databaseUrlFor(db), local: true, migrationsDir: dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MigrationError);
    const message = (err as Error).message;
    expect(message).toContain('29991231000000_broken.sql');
    expect(message).toContain('relation "no_such_table" does not exist');
    expect(message).toContain('line 2');
    const c = postgres(databaseUrlFor(db), { max: 1, onnotice: () => {} });
    try {
      const [t] = await c<{ t: string | null }[]>`select to_regclass('public.half_done')::text as t`;
      expect(t?.t).toBeNull();
      const versions = await c<{ version: string }[]>`select version from supabase_migrations.schema_migrations`;
      expect(versions.map((v) => v.version)).not.toContain('29991231000000');
      expect(versions.length).toBe(listMigrations(MIGRATIONS_DIR).length);
    } finally {
      await c.end();
    }
  });

  it('refuses a migration file whose name is not <timestamp>_<name>.sql', () => {
    const dir = migrationsWith({ 'oops.sql': 'select 1;' });
    expect(() => listMigrations(dir)).toThrow(/oops\.sql/);
  });

  it('without the local bootstrap (a real Supabase project), migrations still find what Supabase provides', async () => {
    // The scratch database is bootstrapped first, as the Supabase image would be, then migrated as a project would be.
    const db = await freshDb();
    const url = databaseUrlFor(db);
    const dir = mkdtempSync(join(tmpdir(), 'decidons-empty-'));
    dirs.push(dir);
    await migrate({ databaseUrl: url, local: true, migrationsDir: dir, seed: false });
    const result = await migrate({ databaseUrl: url, local: false });
    expect(result.bootstrapped).toEqual([]);
    expect(result.applied.length).toBe(listMigrations(MIGRATIONS_DIR).length);
  });
});
