/**
 * Crash drills: a database that dies must lose no acknowledged write, the site must say
 * "maintenance" (503) instead of hanging or answering 500, the supervisor must bring the database
 * back without restarting anything else, and a start must clear the Postgres an earlier start left
 * running.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import postgres from 'postgres';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { parseConfig } from '../../src/lib/config.ts';
import { isAlive, startEmbeddedPostgres, type EmbeddedDb } from '../../supabase/local/postgres.ts';
import { startStack, type Stack } from '../../supabase/local/stack.ts';
import { startWeb } from '../../scripts/web.ts';
import { freePort, localEnvOnFreePorts } from '../setup/ports.ts';
import { killPostgres9, postmasterPid, waitFor } from './processes.ts';

const stack = () => inject('stack');
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await Promise.resolve(c()).catch(() => {});
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const url = (port: number) => `postgresql://postgres:postgres@127.0.0.1:${port}/postgres`;

describe('the local database (npm start settings)', () => {
  it('commits synchronously with fsync, and loses no acknowledged write to kill -9', { timeout: 120_000 }, async () => {
    const dataDir = resolve(tempDir('decidons-crash-'), 'db');
    const port = await freePort();
    let db: EmbeddedDb = await startEmbeddedPostgres({ dataDir, port });
    cleanups.push(() => db.stop());
    let sql = postgres(url(port), { max: 16, onnotice: () => {} });
    const [settings] = await sql<{ sc: string; fsync: string }[]>`select current_setting('synchronous_commit') as sc, current_setting('fsync') as fsync`;
    expect(settings).toEqual({ sc: 'on', fsync: 'on' });
    await sql`create table drill (id int primary key, at timestamptz default now())`;

    const acknowledged: number[] = [];
    let next = 0;
    let killed = false;
    const writer = async () => {
      while (!killed) {
        const id = ++next;
        try {
          await sql`insert into drill (id) values (${id})`;
          // The commit was acknowledged to the client: it must survive whatever happens next.
          acknowledged.push(id);
        } catch {
          return;
        }
      }
    };
    const writers = Array.from({ length: 16 }, writer);
    await waitFor('a few hundred writes', () => acknowledged.length > 300);
    killPostgres9(dataDir);
    killed = true;
    await Promise.all(writers);
    await sql.end({ timeout: 1 }).catch(() => {});
    await db.stop();

    db = await startEmbeddedPostgres({ dataDir, port });
    sql = postgres(url(port), { max: 1, onnotice: () => {} });
    const rows = await sql<{ id: number }[]>`select id from drill`;
    await sql.end();
    const present = new Set(rows.map((r) => r.id));
    const lost = acknowledged.filter((id) => !present.has(id));
    expect(acknowledged.length).toBeGreaterThan(300);
    expect(lost).toEqual([]);
  });

  it('a start stops the Postgres an earlier, killed start left running on its data, and starts', { timeout: 120_000 }, async () => {
    const dataDir = resolve(tempDir('decidons-orphan-'), 'db');
    const port = await freePort();
    const module = resolve(import.meta.dirname, '../../supabase/local/postgres.ts');
    // An `npm start` of its own, killed with -9: its Postgres is left behind, orphaned.
    const child = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { startEmbeddedPostgres } = await import(${JSON.stringify(module)});
         await startEmbeddedPostgres({ dataDir: ${JSON.stringify(dataDir)}, port: ${port} });
         console.log('up'); setInterval(() => {}, 1000);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((done, fail) => {
      child.stdout.on('data', (b: Buffer) => b.toString().includes('up') && done());
      child.once('exit', (code) => fail(new Error(`the first start exited (${code})`)));
    });
    const orphan = postmasterPid(dataDir);
    child.kill('SIGKILL');
    await waitFor('the first start to die', () => child.exitCode !== null || child.signalCode !== null);
    expect(isAlive(orphan)).toBe(true);

    const logs: string[] = [];
    const db = await startEmbeddedPostgres({ dataDir, port, onLog: (l) => logs.push(l) });
    cleanups.push(() => db.stop());
    expect(isAlive(orphan)).toBe(false);
    expect(logs.join('\n')).toContain(`(pid ${orphan})`);
    const sql = postgres(url(port), { max: 1, onnotice: () => {} });
    const [{ one }] = (await sql`select 1 as one`) as unknown as [{ one: number }];
    await sql.end();
    expect(one).toBe(1);
  });

  it('a start killed with -9 leaves no site behind holding its port', { timeout: 120_000 }, async () => {
    const s = stack();
    const env = await localEnvOnFreePorts(tempDir('decidons-orphan-web-'));
    const config = parseConfig({ ...env, SUPABASE_URL: s.supabaseUrl, DATABASE_URL: s.databaseUrl });
    const web = resolve(import.meta.dirname, '../../scripts/web.ts');
    const configModule = resolve(import.meta.dirname, '../../src/lib/config.ts');
    const child = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { startWeb } = await import(${JSON.stringify(web)});
         const { parseConfig } = await import(${JSON.stringify(configModule)});
         const w = await startWeb(parseConfig(${JSON.stringify({ ...env, SUPABASE_URL: s.supabaseUrl, DATABASE_URL: s.databaseUrl })}), { mode: 'prod', outDir: ${JSON.stringify(s.outDir)} });
         console.log('web ' + w.child.pid); setInterval(() => {}, 1000);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const webPid = await new Promise<number>((done, fail) => {
      child.stdout.on('data', (b: Buffer) => {
        const m = /web (\d+)/.exec(b.toString());
        if (m) done(Number(m[1]));
      });
      child.once('exit', (code) => fail(new Error(`the start exited (${code})`)));
    });
    expect((await fetch(`http://127.0.0.1:${config.port}/healthz`)).status).toBe(200);
    child.kill('SIGKILL');
    await waitFor('the orphaned site to stop', () => !isAlive(webPid), 10_000);
    await expect(fetch(`http://127.0.0.1:${config.port}/healthz`)).rejects.toThrow();
  });

  it('says exactly what to do when another program holds the port', async () => {
    const dataDir = resolve(tempDir('decidons-port-'), 'db');
    const { createServer } = await import('node:net');
    const squatter = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => squatter.once('listening', r));
    cleanups.push(() => squatter.close());
    const port = (squatter.address() as { port: number }).port;
    await expect(startEmbeddedPostgres({ dataDir, port })).rejects.toThrow(`Port ${port} is already in use by another program`);
  });
});

describe('the site while its database is down', () => {
  it('answers a French maintenance page with 503 and Retry-After, quickly, when the database cannot be reached', { timeout: 120_000 }, async () => {
    const s = stack();
    const config = parseConfig({
      ...(await localEnvOnFreePorts(tempDir('decidons-nodb-'))),
      SUPABASE_URL: s.supabaseUrl,
      DATABASE_URL: url(await freePort()), // nobody listens there
    });
    const web = await startWeb(config, { mode: 'prod', outDir: s.outDir, answering: true });
    cleanups.push(() => web.stop());
    for (const path of ['/fr/', '/fr/processes', '/en/assemblies']) {
      const started = Date.now();
      const r = await fetch(`${web.url}${path}`);
      const body = await r.text();
      expect(Date.now() - started).toBeLessThan(6000);
      expect(r.status).toBe(503);
      expect(r.headers.get('retry-after')).toBe('5');
      expect(body).toContain(path.startsWith('/fr') ? 'Maintenance en cours' : 'Maintenance in progress');
      expect(body).not.toMatch(/ECONNREFUSED|at .*\.(ts|js|mjs):\d+/);
    }
  });

  it('the supervisor restarts a killed database; pages answer 503 meanwhile and 200 again, without restarting the site', { timeout: 180_000 }, async () => {
    const dataDir = tempDir('decidons-supervised-');
    const config = parseConfig(await localEnvOnFreePorts(dataDir));
    const logs: string[] = [];
    const own: Stack = await startStack(config, { log: (l) => logs.push(l), ephemeral: true });
    cleanups.push(() => own.stop());
    const web = await startWeb(config, { mode: 'prod', outDir: stack().outDir });
    cleanups.push(() => web.stop());
    expect((await fetch(`${web.url}/fr/processes`)).status).toBe(200);

    const killed = killPostgres9(resolve(dataDir, 'db'));
    const statuses = new Set<number>();
    await waitFor(
      'the site to answer 200 again',
      async () => {
        const started = Date.now();
        const r = await fetch(`${web.url}/fr/processes`);
        await r.arrayBuffer();
        expect(Date.now() - started).toBeLessThan(6000);
        statuses.add(r.status);
        return r.status === 200 && postmasterPid(resolve(dataDir, 'db')) !== killed;
      },
      60_000,
    );
    // Never a 500 or anything else on the way; the site process is the same one.
    expect([...statuses].filter((st) => st !== 200 && st !== 503)).toEqual([]);
    expect(web.child.exitCode).toBeNull();
    expect(logs.join('\n')).toMatch(/PostgreSQL stopped unexpectedly[\s\S]*PostgreSQL is back/);
  });
});
