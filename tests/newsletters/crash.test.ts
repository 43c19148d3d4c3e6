import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { migrate } from '../../supabase/local/migrate.ts';
import { connectTestDb, createScratchDatabase, databaseUrlFor, dropScratchDatabase } from '../helpers/db.ts';

const connectTestDbFor = (name: string) => postgres(databaseUrlFor(name), { max: 1, onnotice: () => {} });

/*
 * The crash drill: a letter to 5,000 people, sent by the real workers (`node workers/index.ts`)
 * into the real SMTP catcher; the worker process is killed (SIGKILL: no cleanup at all) in the
 * middle of the sending, then started again. Every recipient gets the letter exactly once: the
 * database says so, and so does the catcher. In a database of its own.
 */

const RECIPIENTS = 5000;
const root = resolve(import.meta.dirname, '../..');
const tag = `crash${randomUUID().slice(0, 8)}`;
let admin: postgres.Sql;
let db: postgres.Sql;
let dbName: string;
let letter: string;
const children: ChildProcess[] = [];

function startWorkers(): ChildProcess {
  const stack = inject('stack');
  const child = spawn(process.execPath, ['--import', resolve(root, 'scripts/exit-with-parent.ts'), resolve(root, 'workers/index.ts')], {
    cwd: root,
    env: {
      ...process.env,
      SUPABASE_URL: stack.supabaseUrl,
      DATABASE_URL: databaseUrlFor(dbName),
      SUPABASE_JWT_SECRET: stack.jwtSecret,
      SMTP_URL: stack.smtpUrl,
      SITE_URL: 'https://participer.example.org',
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  child.stdout?.resume();
  child.stderr?.resume();
  children.push(child);
  return child;
}

async function progress(): Promise<{ status: string; delivered: number; sent: number; pending: number }> {
  const [row] = await db<{ status: string; delivered: number; sent: number; pending: number }[]>`
    select l.status, l.delivered_count as delivered,
           (select count(*)::int from public.newsletter_deliveries d where d.newsletter_id = l.id and d.status = 'sent') as sent,
           (select count(*)::int from public.newsletter_deliveries d where d.newsletter_id = l.id and d.status = 'pending') as pending
    from public.newsletters l where l.id = ${letter}`;
  return row!;
}

async function until(what: () => Promise<boolean>, timeoutMs: number, label: string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await what())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${label} (${JSON.stringify(await progress())})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** How many messages the catcher holds for each address of this drill. */
async function caught(): Promise<Map<string, number>> {
  const api = inject('stack').mailApiUrl;
  const counts = new Map<string, number>();
  for (let skip = 0; ; skip += 200) {
    const page = (await (await fetch(`${api}/email/summary?search=${tag}&limit=200&skip=${skip}&sort=asc`)).json()) as {
      items: { to: { address: string }[] }[];
      total: number;
    };
    for (const m of page.items) for (const t of m.to) counts.set(t.address, (counts.get(t.address) ?? 0) + 1);
    if (page.items.length < 200) break;
  }
  return counts;
}

beforeAll(async () => {
  admin = connectTestDb();
  dbName = await createScratchDatabase(admin, 'crash');
  await migrate({ databaseUrl: databaseUrlFor(dbName), local: true, seed: false });
  db = postgres(databaseUrlFor(dbName), { max: 4, onnotice: () => {} });
  await db`insert into public.organization (name, time_zone) values (${db.json({ fr: 'Ville du Test', en: 'Test Town' })}, 'Europe/Paris')`;
  // 5,000 consenting people (half of them reading English), in one statement.
  await db`insert into auth.users (id, aud, role, email, raw_user_meta_data, raw_app_meta_data, created_at, updated_at)
           select gen_random_uuid(), 'authenticated', 'authenticated', ${tag} || '-' || n || '@example.org',
                  jsonb_build_object('name', 'Personne ' || n, 'locale', case when n % 2 = 0 then 'fr' else 'en' end, 'newsletter', true), '{}', now(), now()
           from generate_series(1, ${RECIPIENTS}) n`;
  const [row] = await db<{ id: string }[]>`
    insert into public.newsletters (subject, blocks, audience, status, scheduled_at)
    values (${db.json({ fr: `Lettre ${tag}`, en: `Letter ${tag}` })},
            ${db.json([{ type: 'text', html: { fr: '<p>Bonjour à toutes et à tous.</p>', en: '<p>Hello everyone.</p>' } }])},
            '{"scope": "all"}', 'scheduled', now())
    returning id`;
  letter = row!.id;
}, 120_000);

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await db?.end();
  await dropScratchDatabase(admin, dbName);
  await admin.end();
});

describe('crash drill', () => {
  it('a worker killed in the middle of a 5,000-recipient letter, started again: everyone gets it exactly once', { timeout: 600_000 }, async () => {
    const first = startWorkers();
    await until(async () => (await progress()).sent >= 1200, 180_000, 'the first worker sends 1,200');
    // Kill it in the middle of a batch, at the worst moment: its messages handed to the SMTP
    // server, its record of them not yet committed (the letter's row, which the record updates,
    // is held here for a moment, so the worker waits there when it dies).
    const held = connectTestDbFor(dbName);
    try {
      await held.begin(async (tx) => {
        await tx`select 1 from public.newsletters where id = ${letter} for update`;
        await until(
          async () =>
            (await db`select 1 from pg_stat_activity where datname = ${dbName} and application_name like '%newsletters.send%' and wait_event_type = 'Lock'`)
              .length > 0,
          60_000,
          'the worker waits to record a batch',
        );
        first.kill('SIGKILL');
        await new Promise<void>((r) => (first.exitCode !== null || first.signalCode !== null ? r() : first.once('exit', () => r())));
      });
    } finally {
      await held.end();
    }
    const atKill = await progress();
    expect(atKill.status).toBe('sending');
    expect(atKill.pending).toBeGreaterThan(0);

    startWorkers();
    await until(async () => (await progress()).status === 'sent', 420_000, 'the second worker finishes');
    const end = await progress();
    expect(end).toMatchObject({ status: 'sent', delivered: RECIPIENTS, sent: RECIPIENTS, pending: 0 });

    // The catcher: every address once, nobody twice, nobody missing.
    const counts = await caught();
    expect(counts.size).toBe(RECIPIENTS);
    const twice = [...counts].filter(([, n]) => n !== 1);
    expect(twice).toEqual([]);
  });
});
