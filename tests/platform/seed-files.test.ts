import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { seedFiles } from '../../supabase/local/migrate.ts';

describe('seed files', () => {
  it('are seed.sql first, then each feature’s supabase/seed/*.sql in name order, SQL files only', () => {
    const root = mkdtempSync(join(tmpdir(), 'seed-'));
    writeFileSync(join(root, 'seed.sql'), 'select 1;');
    mkdirSync(join(root, 'seed'));
    for (const f of ['20_budgets.sql', '10_debates.sql', 'README.md']) writeFileSync(join(root, 'seed', f), 'select 1;');
    expect(seedFiles(join(root, 'seed.sql')).map((s) => s.path)).toEqual([
      'supabase/seed.sql',
      'supabase/seed/10_debates.sql',
      'supabase/seed/20_budgets.sql',
    ]);
    expect(seedFiles(join(root, 'missing.sql'))).toEqual([]);
  });
});
