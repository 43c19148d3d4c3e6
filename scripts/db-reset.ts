/** `npm run db:reset`: throws the local database away; the next `npm start` creates and seeds a new one. */
import { rmSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, getConfig } from '../src/lib/config.ts';

try {
  const config = getConfig();
  if (!config.local) {
    console.error('db:reset only resets the local database. For a Supabase project use `supabase db reset`.');
    process.exit(1);
  }
  const dir = resolve(config.dataDir, 'db');
  if (existsSync(resolve(dir, 'postmaster.pid'))) {
    console.error('The local database is running: stop `npm start` first.');
    process.exit(1);
  }
  rmSync(dir, { recursive: true, force: true });
  console.log(`Removed ${dir}. The next \`npm start\` creates and seeds a fresh database.`);
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
}
