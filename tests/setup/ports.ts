import { createServer } from 'node:net';

/** A port the OS says is free right now (bound then released), so parallel runs do not collide. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * The environment of a local stack on free ports with its data in `dataDir`: what the test setup,
 * start-up tests and benchmarks pass to `parseConfig`, plus their own overrides.
 */
export async function localEnvOnFreePorts(dataDir: string, overrides: Record<string, string> = {}): Promise<Record<string, string>> {
  const [api, db, smtp, mailWeb, web, collab] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort(), freePort()]);
  return {
    DATA_DIR: dataDir,
    LOCAL_API_PORT: String(api),
    LOCAL_DB_PORT: String(db),
    MAIL_SMTP_PORT: String(smtp),
    MAIL_WEB_PORT: String(mailWeb),
    PORT: String(web),
    COLLAB_PORT: String(collab),
    HOST: '127.0.0.1',
    ...overrides,
  };
}
