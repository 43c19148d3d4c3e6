import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { parseConfig } from '../../src/lib/config.ts';
import { startStack } from '../../supabase/local/stack.ts';
import { build } from '../../scripts/build.ts';
import { startWeb } from '../../scripts/web.ts';
import { startCollab } from '../../realtime/supervise.ts';
import { localEnvOnFreePorts } from './ports.ts';

export interface StackInfo {
  supabaseUrl: string;
  anonKey: string;
  serviceRoleKey: string;
  jwtSecret: string;
  databaseUrl: string;
  mailApiUrl: string;
  /** The production build, served as `npm start` serves it. */
  siteUrl: string;
  /** The build the site serves (tests that start another web process on the same build). */
  outDir: string;
  dataDir: string;
  /** The co-editing service (realtime/), as browsers reach it. */
  collabUrl: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    stack: StackInfo;
  }
}

/**
 * Starts the real local stack once per `npm test` run, on free ports and a throw-away data
 * directory, exactly as `npm start` does (same code path: a production build served behind
 * compression), and hands its coordinates to the tests. The build goes to a directory of this
 * run (about 5 s), so parallel runs and a developer's dist/ never meet.
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
  // The map's preview page (fixed demo points) for the browser tests; 404 in a real deployment.
  process.env['DECIDONS_DEV_PAGES'] = '1';
  // Inside the project: the built server imports its dependencies from node_modules.
  const outDir = resolve(import.meta.dirname, '../../.test-builds', basename(dataDir));
  const [started, built] = await Promise.allSettled([startStack(config, { log, ephemeral: true }), build({ outDir, log })]);
  if (started.status === 'rejected') throw started.reason;
  const stack = started.value;
  if (built.status === 'rejected') {
    await stack.stop();
    throw built.reason;
  }
  let webServer: Awaited<ReturnType<typeof startWeb>> | undefined;
  let collab: Awaited<ReturnType<typeof startCollab>> | undefined;
  try {
    [webServer, collab] = await Promise.all([startWeb(config, { mode: 'prod', outDir, log, timeoutMs: 120_000 }), startCollab(config, { log })]);
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
    outDir,
    dataDir,
    collabUrl: collab.url,
  });
  return async () => {
    await Promise.all([webServer?.stop(), collab?.stop()]);
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(outDir, { recursive: true, force: true });
  };
}
