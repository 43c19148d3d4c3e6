import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const run = promisify(execFile);
const root = join(import.meta.dirname, '../..');

// `npm run bench` runs on plain Node, outside Astro: the query modules it calls must not pull in
// `astro:` virtual modules (a shared module importing the Astro-bound form helpers broke it once).
it('the benchmark modules load on plain Node', async () => {
  // The modules bench/index.ts imports (importing the entry point itself would run the benchmarks).
  const index = readFileSync(join(root, 'bench/index.ts'), 'utf8');
  const files = [...index.matchAll(/from '\.\/([\w-]+\.ts)'/g)].map((m) => `bench/${m[1]}`);
  expect(files.length).toBeGreaterThan(3);
  for (const file of files) {
    const { stderr } = await run(process.execPath, ['--input-type=module', '-e', `await import(${JSON.stringify(join(root, file))})`], {
      cwd: root,
      env: { ...process.env, NODE_NO_WARNINGS: '1' },
    });
    expect(stderr).toBe('');
  }
});
