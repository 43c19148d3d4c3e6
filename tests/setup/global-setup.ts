import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { parseConfig } from '../../src/lib/config.ts';
import { startStack } from '../../supabase/local/stack.ts';
import { startWeb } from '../../scripts/web.ts';
import { localEnvOnFreePorts } from './ports.ts';

export interface StackInfo {
  supabaseUrl: string;
  anonKey: string;
  serviceRoleKey: string;
  jwtSecret: string;
  databaseUrl: string;
  mailApiUrl: string;
  siteUrl: string;
  dataDir: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    stack: StackInfo;
  }
}

/**
 * Starts the real local stack once per `npm test` run, on free ports and a throw-away data
 * directory, exactly as `npm start` does (same code path), and hands its coordinates to the tests.
 */
export default async function setup(project: TestProject) {
  const dataDir = mkdtempSync(join(tmpdir(), 'decidons-test-'));
  const config = parseConfig(
    await localEnvOnFreePorts(dataDir, {
      AUTH_SIGN_IN_ATTEMPTS_PER_5MIN: '1000',
      AUTH_EMAILS_PER_HOUR: '100000',
      AUTH_REFRESH_TOKEN_REUSE_INTERVAL: '2',
    }),
  );
  const logs: string[] = [];
  const log = (l: string) => {
    logs.push(l);
    if (process.env.DEBUG_STACK) console.log(l);
  };
  const stack = await startStack(config, { log, ephemeral: true });
  let webServer: Awaited<ReturnType<typeof startWeb>> | undefined;
  try {
    webServer = await startWeb(config, { mode: 'dev', log, timeoutMs: 120_000 });
  } catch (err) {
    await stack.stop();
    throw err;
  }
  project.provide('stack', {
    supabaseUrl: config.supabaseUrl,
    anonKey: config.anonKey,
    serviceRoleKey: config.serviceRoleKey,
    jwtSecret: config.jwtSecret,
    databaseUrl: config.databaseUrl,
    mailApiUrl: stack.mailApiUrl!,
    siteUrl: webServer.url,
    dataDir,
  });
  return async () => {
    await webServer?.stop();
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
