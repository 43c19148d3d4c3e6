import { resolve } from 'node:path';
import postgres from 'postgres';
import type { Config } from '../../src/lib/config.ts';
import { startLocalApi } from './api/server.ts';
import { startMailCatcher } from './mail.ts';
import { migrate, type MigrateResult } from './migrate.ts';
import { startEmbeddedPostgres } from './postgres.ts';

export interface Stack {
  config: Config;
  migrations: MigrateResult;
  inboxUrl: string | undefined;
  mailApiUrl: string | undefined;
  stop(): Promise<void>;
}

/**
 * Everything the app needs besides itself. Locally: embedded Postgres, the SMTP catcher, the
 * bootstrap + migrations + seed, and the Supabase-compatible API. Against a real Supabase project
 * (`config.local === false`) only the migrations run; the rest is the project's.
 */
export async function startStack(config: Config, opts: { log?: (line: string) => void; ephemeral?: boolean } = {}): Promise<Stack> {
  const log = opts.log ?? (() => {});
  const stops: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) {
      try {
        await s();
      } catch (err) {
        log(`stop: ${String(err)}`);
      }
    }
    stops.length = 0;
  };
  try {
    let inboxUrl: string | undefined;
    let mailApiUrl: string | undefined;
    if (config.local) {
      const db = await startEmbeddedPostgres({
        dataDir: resolve(config.dataDir, 'db'),
        port: config.ports.db,
        onLog: (l) => log(`[db] ${l.trim()}`),
        supervise: true,
        ...(opts.ephemeral ? { ephemeral: true } : {}),
      });
      stops.push(() => db.stop());
      if (db.created) log(`created a new database cluster in ${db.dataDir}`);
      const mail = await startMailCatcher({ smtpPort: config.ports.smtp, webPort: config.ports.mailWeb });
      stops.push(() => mail.stop());
      inboxUrl = mail.inboxUrl;
      mailApiUrl = mail.apiUrl;
    }
    const migrations = await migrate({ databaseUrl: config.databaseUrl, local: config.local, log });
    if (config.local) {
      const sql = postgres(config.databaseUrl, { max: 10, onnotice: () => {}, connection: { application_name: 'decidons-local-api' } });
      stops.push(() => sql.end({ timeout: 5 }));
      const api = await startLocalApi({ config, sql, port: config.ports.api, log: (l) => log(`[api] ${l}`) });
      stops.push(() => api.close());
    }
    return { config, migrations, inboxUrl, mailApiUrl, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
