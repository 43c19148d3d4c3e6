import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const run = promisify(execFile);
const root = join(import.meta.dirname, '../..');

// `npm run bench` runs on plain Node, outside Astro: the query modules it calls must not pull in
// `astro:` virtual modules (a shared module importing the Astro-bound form helpers broke it once).
it('the benchmark modules load on plain Node', async () => {
  // The modules bench/index.ts imports (importing the entry point itself would run the benchmarks).
  for (const file of ['bench/proposals.ts', 'bench/realtime.ts', 'bench/budgets.ts']) {
    const { stderr } = await run(process.execPath, ['--input-type=module', '-e', `await import(${JSON.stringify(join(root, file))})`], {
      cwd: root,
      env: { ...process.env, NODE_NO_WARNINGS: '1' },
    });
    expect(stderr).toBe('');
  }
});
