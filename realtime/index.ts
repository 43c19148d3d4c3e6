/**
 * The co-editing service on its own: `node realtime/index.ts` (one or more per deployment, each on
 * its own port, all on the same database). `npm start`, `npm run dev` and the tests start it as a
 * child process through realtime/supervise.ts. Configuration: src/lib/config.ts (COLLAB_PORT,
 * DATABASE_URL, SUPABASE_JWT_SECRET, SUPABASE_JWKS_URL, COLLAB_RIGHTS_RECHECK_SECONDS).
 */
import postgres from 'postgres';
import { ConfigError, getConfig } from '../src/lib/config.ts';
import { startCollabServer } from './server.ts';

async function main() {
  const config = getConfig();
  const sql = postgres(config.databaseUrl, {
    max: 10,
    connect_timeout: 5,
    onnotice: () => {},
    connection: { application_name: 'decidons-collab' },
  });
  const server = await startCollabServer({
    sql,
    jwtSecret: config.jwtSecret,
    jwksUrl: config.collab.jwksUrl,
    port: config.collab.port,
    host: config.host,
    recheckMs: config.collab.recheckSeconds * 1000,
    log: (line) => console.log(`[collab] ${line}`),
  });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server.close();
    await sql.end({ timeout: 5 });
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? `\n${err.message}\n` : err);
  process.exit(1);
});
