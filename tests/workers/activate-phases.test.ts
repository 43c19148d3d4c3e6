import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../supabase/local/migrate.ts';
import { startWorkers } from '../../workers/index.ts';
import { InvalidPayloadError, type JobContext } from '../../workers/job.ts';
import { activatePhasesJob } from '../../workers/spaces/activate-phases.ts';
import { connectTestDb, createScratchDatabase, databaseUrlFor, dropScratchDatabase } from '../helpers/db.ts';

/*
 * The `spaces.activate-phases` job. It runs in a database of its own in the test cluster: the
 * date activation acts on every process in the database, and other test files create processes
 * whose phases start today and must stay as they made them.
 */

let admin: postgres.Sql;
let db: postgres.Sql;
let dbName: string;
const logs: string[] = [];
const ctx = (): JobContext => ({ db, log: (l) => logs.push(l) });

beforeAll(async () => {
  admin = connectTestDb();
  dbName = await createScratchDatabase(admin, 'workers');
  await migrate({ databaseUrl: databaseUrlFor(dbName), local: true, seed: false });
  db = postgres(databaseUrlFor(dbName), { max: 4, onnotice: () => {} });
  await db`insert into public.organization (name, time_zone) values ('{"fr": "Test"}', 'Europe/Paris')`;
});

afterAll(async () => {
  await db?.end();
  await dropScratchDatabase(admin, dbName);
  await admin.end();
});

/** A published process whose second phase starts today (so it is due), the first being active. */
async function processWithDuePhase() {
  const space = randomUUID();
  const [first, due] = [randomUUID(), randomUUID()];
  await db.begin(async (tx) => {
    await tx`insert into public.spaces (id, kind, slug, title, published_at) values (${space}, 'process', ${`p-${space.slice(0, 8)}`}, '{"fr": "P"}', now())`;
    await tx`
      insert into public.phases (id, space_id, position, title, start_date) values
        (${first}, ${space}, 1, '{"fr": "Un"}', (now() at time zone 'Europe/Paris')::date - 10),
        (${due}, ${space}, 2, '{"fr": "Deux"}', (now() at time zone 'Europe/Paris')::date)`;
  });
  return { space, first, due };
}

/** Open connections of the workers (their pool and pg-boss's). */
async function connections(): Promise<number> {
  const [row] = await db<{ n: number }[]>`
    select count(*)::int as n from pg_stat_activity
    where datname = ${dbName} and application_name in ('decidons-workers', 'decidons-pgboss')`;
  return row?.n ?? 0;
}

async function activeOf(space: string): Promise<string | undefined> {
  const [row] = await db<{ id: string }[]>`select id from public.phases where space_id = ${space} and active`;
  return row?.id;
}

describe('spaces.activate-phases handler', () => {
  it('activates the due phase, then does nothing more when run again', async () => {
    const { space, first, due } = await processWithDuePhase();
    expect(await activeOf(space)).toBe(first);
    expect(await activatePhasesJob.handle(null, ctx())).toEqual({ activated: [due] });
    expect(await activeOf(space)).toBe(due);
    expect(await activatePhasesJob.handle({}, ctx())).toEqual({ activated: [] });
    expect(await activeOf(space)).toBe(due);
  });

  it('refuses a payload it does not expect', async () => {
    await expect(activatePhasesJob.handle({ space: 'x' }, ctx())).rejects.toBeInstanceOf(InvalidPayloadError);
    await expect(activatePhasesJob.handle('now', ctx())).rejects.toBeInstanceOf(InvalidPayloadError);
  });
});

describe('startWorkers', () => {
  it('installs the schedule and runs the job end to end through pg-boss', { timeout: 60_000 }, async () => {
    const lines: string[] = [];
    const workers = await startWorkers({ databaseUrl: databaseUrlFor(dbName) }, { log: (l) => lines.push(l) });
    try {
      const schedules = await workers.boss.getSchedules('spaces.activate-phases');
      expect(schedules.map((s) => [s.name, s.cron, s.timezone])).toEqual([['spaces.activate-phases', '* * * * *', 'UTC']]);

      const { space, due } = await processWithDuePhase();
      // No need to wait for the minute: send what the schedule sends. (A scheduled job already
      // waiting in the queue makes this send a no-op, and does the same work.)
      await workers.boss.send('spaces.activate-phases', {});
      const deadline = Date.now() + 30_000;
      // The handler logs after its transaction commits: wait for both, or a busy machine sees the
      // phase change before the line is written.
      const logged = () => lines.some((l) => l.includes('spaces.activate-phases: activated') && l.includes(due));
      while (((await activeOf(space)) !== due || !logged()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      expect(await activeOf(space)).toBe(due);
      expect(logged()).toBe(true);
      expect(await connections()).toBeGreaterThan(0);
    } finally {
      await workers.stop();
    }
    expect(await connections()).toBe(0);
  });

  it("keeps pg-boss's tables out of the API roles' reach", async () => {
    const [schema] = await db<{ exists: boolean; anon: boolean; authenticated: boolean }[]>`
      select true as exists,
        has_schema_privilege('anon', 'pgboss', 'USAGE') as anon,
        has_schema_privilege('authenticated', 'pgboss', 'USAGE') as authenticated
      from pg_namespace where nspname = 'pgboss'`;
    expect(schema).toEqual({ exists: true, anon: false, authenticated: false });
    // The coverage rule of tests/db/rls.test.ts, in a database where pg-boss is installed.
    const missing = await db<{ table: string }[]>`
      select format('%I.%I', n.nspname, c.relname) as table
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p')
        and n.nspname not in ('pg_catalog', 'information_schema')
        and (has_schema_privilege('anon', n.oid, 'USAGE') or has_schema_privilege('authenticated', n.oid, 'USAGE'))
        and not c.relrowsecurity`;
    expect(missing).toEqual([]);
  });
});
