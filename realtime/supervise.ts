import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import type { Config } from '../src/lib/config.ts';

const root = resolve(import.meta.dirname, '..');

/** What the service reads: the database, the token secrets, its port. */
export function collabEnv(config: Config, port = config.collab.port): Record<string, string> {
  return {
    DATABASE_URL: config.databaseUrl,
    SUPABASE_URL: config.supabaseUrl,
    SUPABASE_JWT_SECRET: config.jwtSecret,
    ...(config.collab.jwksUrl ? { SUPABASE_JWKS_URL: config.collab.jwksUrl } : {}),
    COLLAB_RIGHTS_RECHECK_SECONDS: String(config.collab.recheckSeconds),
    HOST: config.host,
    COLLAB_PORT: String(port),
  };
}

export interface CollabProcess {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts `node realtime/index.ts` as a child process (it ends with its parent, even on kill -9)
 * and resolves once it answers /healthz.
 */
export async function startCollab(
  config: Config,
  opts: { port?: number; log?: (line: string) => void; timeoutMs?: number; env?: Record<string, string> } = {},
): Promise<CollabProcess> {
  const log = opts.log ?? (() => {});
  const port = opts.port ?? config.collab.port;
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'VITEST' && !k.startsWith('VITEST_')));
  const child = spawn(
    process.execPath,
    ['--import', resolve(root, 'scripts/exit-with-parent.ts'), resolve(root, 'realtime/index.ts')],
    { cwd: root, env: { ...inherited, ...collabEnv(config, port), ...opts.env }, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] },
  );
  let output = '';
  const onData = (b: Buffer) => {
    const s = b.toString();
    output = (output + s).slice(-4000);
    for (const line of s.split('\n')) if (line.trim()) log(line);
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`The co-editing service exited (code ${child.exitCode}):\n${output}`);
    try {
      const r = await fetch(`http://${host}:${port}/healthz`);
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`The co-editing service did not answer on port ${port} in time:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url: `ws://${host}:${port}`,
    child,
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}
