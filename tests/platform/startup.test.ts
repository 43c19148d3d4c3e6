import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/lib/config.ts';
import { startStack } from '../../supabase/local/stack.ts';
import { localEnvOnFreePorts } from '../setup/ports.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'decidons-startup-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function configOnFreePorts() {
  return parseConfig(await localEnvOnFreePorts(dataDir));
}

describe('the local stack', () => {
  it('creates and seeds the database on first start, and keeps the data on the second', { timeout: 120_000 }, async () => {
    const first = await startStack(await configOnFreePorts(), { ephemeral: true });
    try {
      expect(first.migrations.seeded).toBe(true);
      expect(first.migrations.applied.length).toBeGreaterThan(0);
      const c = postgres(first.config.databaseUrl, { max: 1, onnotice: () => {} });
      await c`update public.profiles set bio = 'survives a restart' where nickname = 'camille'`;
      const [wal] = await c<{ wal_level: string }[]>`select current_setting('wal_level') as wal_level`;
      expect(wal?.wal_level).toBe('logical');
      const [ver] = await c<{ v: string }[]>`select current_setting('server_version_num') as v`;
      expect(Number(ver?.v)).toBeGreaterThanOrEqual(170000);
      await c.end();
      const health = await fetch(`${first.config.supabaseUrl}/auth/v1/health`, { headers: { apikey: first.config.anonKey } });
      expect(health.status).toBe(200);
    } finally {
      await first.stop();
    }

    const second = await startStack(await configOnFreePorts(), { ephemeral: true });
    try {
      expect(second.migrations).toEqual({ bootstrapped: [], applied: [], seeded: false });
      const c = postgres(second.config.databaseUrl, { max: 1, onnotice: () => {} });
      const [row] = await c<{ bio: string }[]>`select bio from public.profiles where nickname = 'camille'`;
      expect(row?.bio).toBe('survives a restart');
      await c.end();
    } finally {
      await second.stop();
    }
  });
});
