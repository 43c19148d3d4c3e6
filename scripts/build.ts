/**
 * The production build, made when it is missing or older than what it is built from, so that
 * `npm start` always serves the code in front of it without building every time.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');

/** What the build reads: the site's sources, its config and the dependencies' lockfile. */
const INPUTS = ['src', 'public', 'astro.config.mjs', 'package-lock.json', 'tsconfig.json'];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

export function buildEntry(outDir = resolve(root, 'dist')): string {
  return resolve(outDir, 'server', 'entry.mjs');
}

/** True when `outDir` holds a build at least as new as every input. */
export function isBuildFresh(outDir = resolve(root, 'dist')): boolean {
  const entry = buildEntry(outDir);
  if (!existsSync(entry)) return false;
  const built = statSync(entry).mtimeMs;
  return INPUTS.every((p) => newestMtime(resolve(root, p)) <= built);
}

/** Runs `astro build` into `outDir`, its progress going to `log`. */
export async function build(opts: { outDir?: string; log?: (line: string) => void } = {}): Promise<void> {
  const log = opts.log ?? (() => {});
  const args = [resolve(root, 'node_modules/astro/bin/astro.mjs'), 'build'];
  if (opts.outDir) args.push('--outDir', opts.outDir);
  // Astro's build behaves differently under vitest's variables, as its dev server does.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'VITEST' && !k.startsWith('VITEST_')));
  // NODE_ENV=test (set by vitest) would make it a development build.
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...env, NODE_ENV: 'production', ASTRO_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const onData = (b: Buffer) => {
    const s = b.toString();
    output = (output + s).slice(-6000);
    for (const line of s.split('\n')) if (line.trim()) log(line);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const code = await new Promise<number | null>((done) => child.once('exit', done));
  if (code !== 0) throw new Error(`The build failed (astro build exited with ${code}):\n${output}`);
}

/** Builds into dist/ unless it is already fresh; returns whether it built. */
export async function ensureBuilt(log: (line: string) => void): Promise<boolean> {
  if (isBuildFresh()) return false;
  log(existsSync(buildEntry()) ? 'The sources changed since the last build: building the site…' : 'Building the site (first start)…');
  const started = Date.now();
  await build({ log: (l) => log(`  ${l}`) });
  log(`Built in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  return true;
}

if (import.meta.main) {
  await build({ log: console.log });
}
