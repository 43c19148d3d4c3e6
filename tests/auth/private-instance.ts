import { MailDev } from 'maildev';
import postgres from 'postgres';
import { parseConfig } from '../../src/lib/config.ts';
import { startLocalApi, type LocalApi } from '../../supabase/local/api/server.ts';
import { migrate } from '../../supabase/local/migrate.ts';
import { connectTestDb, createScratchDatabase, databaseUrlFor, dropScratchDatabase } from '../helpers/db.ts';
import { freePort } from '../setup/ports.ts';
import { stack } from './helpers.ts';

/**
 * Auth API instances of a test file's own, for settings the shared stack does not use (low limits,
 * autoconfirm…): a scratch database with the migrations, a mail catcher, and `startApi(env)` for
 * as many instances as the file needs over them, all stopped by `close()`.
 */
export interface PrivateAuth {
  sql: postgres.Sql;
  databaseUrl: string;
  smtpPort: number;
  mailApiUrl: string;
  startApi(env?: Record<string, string>): Promise<LocalApi>;
  close(): Promise<void>;
}

export async function privateAuth(tag: string, defaults: Record<string, string> = {}): Promise<PrivateAuth> {
  const admin = connectTestDb();
  const dbName = await createScratchDatabase(admin, tag);
  await migrate({ databaseUrl: databaseUrlFor(dbName), local: true, seed: false });
  const sql = postgres(databaseUrlFor(dbName), { max: 5, onnotice: () => {} });
  const [smtp, web] = await Promise.all([freePort(), freePort()]);
  const mail = new MailDev({ smtp, web, ip: '127.0.0.1', webIp: '127.0.0.1', silent: true });
  await mail.start();
  const apis: LocalApi[] = [];
  return {
    sql,
    databaseUrl: databaseUrlFor(dbName),
    smtpPort: smtp,
    mailApiUrl: `http://127.0.0.1:${web}/api`,
    async startApi(env = {}) {
      const port = await freePort();
      const config = parseConfig({
        LOCAL_API_PORT: String(port),
        MAIL_SMTP_PORT: String(smtp),
        SITE_URL: stack().siteUrl,
        ...defaults,
        ...env,
      });
      const api = await startLocalApi({ config, sql, port });
      apis.push(api);
      return api;
    },
    async close() {
      await Promise.all(apis.map((a) => a.close()));
      await sql.end({ timeout: 5 });
      await mail.stop();
      await dropScratchDatabase(admin, dbName);
      await admin.end();
    },
  };
}
