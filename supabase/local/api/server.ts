import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type postgres from 'postgres';
import type { Config } from '../../../src/lib/config.ts';
import { createAuthService } from './auth/index.ts';
import { createGateway, type Service } from './gateway.ts';
import { createRealtimeService } from './realtime/index.ts';
import { createStorageService } from './storage/index.ts';

export interface LocalApi {
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

/**
 * The Supabase-compatible API the local stack runs in place of Kong + GoTrue (+ Realtime and
 * Storage later), on one port, so the unchanged supabase-js and @supabase/ssr work against it.
 * New services are added to `services` below; the gateway routes them by prefix.
 */
export async function startLocalApi(opts: {
  config: Config;
  sql: postgres.Sql;
  /** For Realtime's replication connection; defaults to `config.databaseUrl`. */
  databaseUrl?: string;
  host?: string;
  port: number;
  log?: (line: string) => void;
}): Promise<LocalApi> {
  const log = opts.log ?? (() => {});
  const host = opts.host ?? '127.0.0.1';
  const services: Service[] = [
    createAuthService({ config: opts.config, sql: opts.sql, log }),
    createRealtimeService({ config: opts.config, sql: opts.sql, log, ...(opts.databaseUrl ? { databaseUrl: opts.databaseUrl } : {}) }),
    createStorageService({ config: opts.config, sql: opts.sql, log }),
  ];
  const gateway = createGateway({ config: opts.config, services, log });

  const server = createServer((req, res) => void gateway.handle(req, res));
  server.on('upgrade', (req, socket, head) => gateway.upgrade(req, socket, head));
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  log(`Supabase-compatible API listening on ${url}`);

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    server,
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        // Keep-alive sockets (supabase-js uses fetch) would otherwise hold close() open.
        server.closeAllConnections();
        // Before waiting: upgraded WebSockets (Realtime) are the services' to close, and hold server.close() open.
        await Promise.all(services.map((s) => s.close?.()));
        await stopped;
      })();
      return closing;
    },
  };
}
