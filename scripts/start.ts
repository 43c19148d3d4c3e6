/**
 * `npm start`: the whole platform as a city would run it on one machine — the built site (built
 * first when dist/ is missing or older than the sources), compressed, cached and with its security
 * headers; the job workers; and, locally, embedded Postgres (supervised: restarted if it dies), the
 * SMTP catcher and the Supabase-compatible API. With SUPABASE_URL and DATABASE_URL set, only the
 * migrations, the workers and the site (the rest is the Supabase project's).
 *
 * `npm run dev` (`--dev`) runs Astro's dev server with hot reload instead of the build.
 */
import { ConfigError, getConfig } from '../src/lib/config.ts';
import { MigrationError } from '../supabase/local/migrate.ts';
import { startStack } from '../supabase/local/stack.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../supabase/demo-accounts.ts';
import { JOBS, startWorkers, type Workers } from '../workers/index.ts';
import { startCollab, type CollabProcess } from '../realtime/supervise.ts';
import { ensureBuilt } from './build.ts';
import { startWeb } from './web.ts';

const verbose = process.argv.includes('--verbose');
const dev = process.argv.includes('--dev');
const log = (line: string) => {
  if (verbose || !line.startsWith('[db]')) console.log(line);
};

async function main() {
  const config = getConfig();
  // Before anything is started: a failing build then leaves nothing running.
  if (!dev) await ensureBuilt(console.log);
  console.log(config.local ? 'Starting the local stack…' : `Using the Supabase project at ${config.supabaseUrl}`);
  const stack = await startStack(config, { log });
  let web: Awaited<ReturnType<typeof startWeb>> | undefined;
  let workers: Workers | undefined;
  let collab: CollabProcess | undefined;
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping…');
    // Workers first (running jobs finish, pg-boss lets go of its connections), alongside the
    // site; the database last.
    const workersStopped = workers?.stop().catch((err: unknown) => console.error(`Stopping the workers: ${String(err)}`));
    await Promise.all([web?.stop(), collab?.stop()]);
    await workersStopped;
    await stack.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  try {
    workers = await startWorkers(config, { log: (l) => log(`[workers] ${l}`) });
    collab = await startCollab(config, { log: verbose ? log : () => {} });
    web = await startWeb(config, { mode: dev ? 'dev' : 'prod', log: verbose ? log : () => {}, timeoutMs: 120_000 });
  } catch (err) {
    console.error(String(err instanceof Error ? err.message : err));
    await shutdown(1);
    return;
  }
  web.child.once('exit', (code) => {
    if (!stopping) {
      console.error(`The web server stopped (code ${code}).`);
      void shutdown(1);
    }
  });
  // Supervised like the embedded database: a crashed service comes back and its clients reconnect
  // by themselves (nothing is lost: every update anybody received is already in Postgres).
  const superviseCollab = (proc: CollabProcess) =>
    proc.child.once('exit', (code, signal) => {
      if (stopping) return;
      console.error(`The co-editing service stopped (${signal ?? `code ${code}`}); restarting it.`);
      setTimeout(() => {
        startCollab(config, { log: verbose ? log : () => {} })
          .then((next) => {
            collab = next;
            superviseCollab(next);
          })
          .catch((err: unknown) => console.error(`The co-editing service could not restart: ${String(err)}`));
      }, 1000);
    });
  superviseCollab(collab);
  const rows: [string, string][] = [
    [dev ? 'Site (dev server, hot reload)' : 'Site', `${web.url}/fr`],
    ['Co-editing (Yjs)', config.collab.url],
  ];
  if (config.local) {
    rows.push(
      ['Mail inbox (maildev)', stack.inboxUrl ?? ''],
      ['Local Supabase API', config.supabaseUrl],
      ['PostgreSQL', config.databaseUrl],
    );
  }
  rows.push(['Job workers (pg-boss)', JOBS.map((j) => j.queue).join(', ')]);
  console.log('\nDécidons is running:\n');
  for (const [k, v] of rows) console.log(`  ${k.padEnd(22)} ${v}`);
  if (config.local) {
    console.log(`\nDemo accounts (password: ${DEMO_PASSWORD}):`);
    for (const a of DEMO_ACCOUNTS) console.log(`  ${a.email.padEnd(34)} ${a.name}, ${a.role}`);
  }
  console.log('\nCtrl-C stops everything; data stays in .data/ (npm run db:reset starts from empty).');
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof MigrationError) {
    console.error(`\n${err.message}\n`);
  } else {
    console.error(err);
  }
  process.exit(1);
});
