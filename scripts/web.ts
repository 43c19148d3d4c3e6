import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import type { Config } from '../src/lib/config.ts';

const root = resolve(import.meta.dirname, '..');

/** The environment the web process needs: it talks to Supabase and Postgres, never starts them. */
export function webEnv(config: Config): Record<string, string> {
  return {
    SUPABASE_URL: config.supabaseUrl,
    SUPABASE_ANON_KEY: config.anonKey,
    SUPABASE_SERVICE_ROLE_KEY: config.serviceRoleKey,
    SUPABASE_JWT_SECRET: config.jwtSecret,
    DATABASE_URL: config.databaseUrl,
    SMTP_URL: config.smtpUrl,
    SITE_URL: config.siteUrl,
    HOST: config.host,
    PORT: String(config.port),
    COLLAB_URL: config.collab.url,
    ASTRO_TELEMETRY_DISABLED: '1',
  };
}

/**
 * Starts Astro as a child process (dev server with `mode: 'dev'`, the built server behind
 * compression with `mode: 'prod'`, from dist/ or `outDir`) and resolves once it answers HTTP.
 */
export async function startWeb(
  config: Config,
  opts: {
    mode?: 'dev' | 'prod';
    outDir?: string;
    log?: (line: string) => void;
    timeoutMs?: number;
    /** Resolve once it answers at all, even 503 (its database is down), instead of once healthy. */
    answering?: boolean;
  } = {},
): Promise<{ url: string; child: ChildProcess; stop(): Promise<void> }> {
  const log = opts.log ?? (() => {});
  const args =
    opts.mode === 'prod'
      ? [resolve(root, 'scripts/serve.ts')]
      : [resolve(root, 'node_modules/astro/bin/astro.mjs'), 'dev', '--ignore-lock', '--host', config.host, '--port', String(config.port)];
  // Astro's dev server does not mount its request handler when it sees vitest's variables, so the
  // child must not inherit them when the test setup starts it.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'VITEST' && !k.startsWith('VITEST_')));
  const child = spawn(process.execPath, ['--import', resolve(root, 'scripts/exit-with-parent.ts'), ...args], {
    cwd: root,
    env: {
      ...inherited,
      ...webEnv(config),
      ...(opts.mode === 'prod' ? { NODE_ENV: 'production' } : {}),
      ...(opts.outDir ? { ASTRO_OUT_DIR: opts.outDir } : {}),
    },
    // The IPC channel is how the child notices that this process died (scripts/exit-with-parent.ts).
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  const onData = (b: Buffer) => {
    const s = b.toString();
    output = (output + s).slice(-4000);
    for (const line of s.split('\n')) if (line.trim()) log(line);
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}`;
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The web server exited (code ${child.exitCode}):\n${output}`);
    try {
      const r = await fetch(`${url}/healthz`);
      const body = (await r.json().catch(() => null)) as { ok?: boolean } | null;
      if ((r.status === 200 && body?.ok === true) || opts.answering) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`The web server did not answer on ${url} in time:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    child,
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}
