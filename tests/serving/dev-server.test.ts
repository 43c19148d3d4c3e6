/**
 * `npm run dev`: Vite's dev server serves files of the project folder on request. It must never
 * hand out the database files (the refresh tokens in auth.refresh_tokens are live sessions), the
 * Supabase folder, env files or server-only code; and URLs that cannot be decoded get a 400, not
 * Vite's stack trace.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/lib/config.ts';
import { startWeb } from '../../scripts/web.ts';
import { signUnsubscribe } from '../../src/lib/mail/unsubscribe.ts';
import { createUser } from '../db/fixtures.ts';
import { connectTestDb } from '../helpers/db.ts';
import { localEnvOnFreePorts } from '../setup/ports.ts';
import { stack } from '../web/helpers.ts';

const root = resolve(import.meta.dirname, '../..');
const probeDir = resolve(root, '.data', `probe-${process.pid}`);
const SECRET = `refresh-token-${Math.random().toString(36).slice(2)}`;
let web: Awaited<ReturnType<typeof startWeb>>;
let jwtSecret: string;

beforeAll(async () => {
  // A file where `npm start` keeps the database: what an attacker would ask for.
  mkdirSync(probeDir, { recursive: true });
  writeFileSync(resolve(probeDir, 'base-5-16384'), SECRET);
  const s = stack();
  const config = parseConfig({
    ...(await localEnvOnFreePorts(mkdtempSync(join(tmpdir(), 'decidons-dev-')))),
    SUPABASE_URL: s.supabaseUrl,
    DATABASE_URL: s.databaseUrl,
  });
  jwtSecret = config.jwtSecret;
  web = await startWeb(config, { mode: 'dev', timeoutMs: 120_000 });
}, 150_000);

afterAll(async () => {
  await web?.stop();
  rmSync(probeDir, { recursive: true, force: true });
});

describe('the dev server', () => {
  it('binds to 127.0.0.1 by default', () => {
    expect(new URL(web.url).hostname).toBe('127.0.0.1');
  });

  it('refuses the data directory, the Supabase folder, env files and server-only sources, by every path', async () => {
    const probe = `.data/probe-${process.pid}/base-5-16384`;
    const paths = [
      `/${probe}`,
      `/${probe}?raw`,
      `/${probe}?import&raw`,
      `/@fs${root}/${probe}?raw`,
      '/supabase/seed.sql?raw',
      `/@fs${root}/supabase/seed.sql?raw`,
      '/supabase/local/api/auth/sessions.ts',
      '/.env?raw',
      '/src/lib/db/index.ts?raw',
      '/src/lib/config.ts?raw',
      '/src/features/proposals/list-queries.server.ts?raw',
      '/src/middleware.ts?raw',
      '/scripts/start.ts?raw',
    ];
    for (const path of paths) {
      const r = await fetch(`${web.url}${path}`);
      const body = await r.text();
      expect([403, 404], path).toContain(r.status);
      expect(body, path).not.toContain(SECRET);
      expect(body, path).not.toMatch(/insert into|from 'postgres'|SUPABASE_SERVICE_ROLE_KEY/);
    }
  });

  it('still serves the pages and the island modules the browser needs', async () => {
    const r = await fetch(`${web.url}/fr/processes`);
    expect(r.status).toBe(200);
  });

  it('answers malformed URLs with a 400 page, not a stack trace', async () => {
    for (const path of ['/fr/processes/%FF', '/%C0%AF', '/api/comments/%FF']) {
      const r = await fetch(`${web.url}${path}`);
      const body = await r.text();
      expect([400, 404], path).toContain(r.status);
      expect(body).not.toMatch(/URI malformed|node_modules|\/work\//);
    }
  });

  it('answers RFC 8058 one-click unsubscribe posts from mail providers (cross-site), as npm start does; other cross-site posts stay refused', async () => {
    const sql = connectTestDb();
    try {
      const person = await createUser(sql, 'dev-one-click');
      const token = signUnsubscribe(jwtSecret, { person, scope: 'kind:comments.reply' });
      const res = await fetch(`${web.url}/api/unsubscribe?token=${encodeURIComponent(token)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://mail.example.net' },
        body: 'List-Unsubscribe=One-Click',
      });
      expect(res.status).toBe(200);
      expect(await sql`select kind, email from public.notification_settings where user_id = ${person}`).toEqual([{ kind: 'comments.reply', email: 'never' }]);
      const forged = await fetch(`${web.url}/api/unsubscribe?token=${encodeURIComponent(`${token.slice(0, -4)}AAAA`)}`, {
        method: 'POST',
        headers: { 'content-type': 'multipart/form-data; boundary=x' },
        body: '--x\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--x--\r\n',
      });
      expect(forged.status).toBe(400);
      const csrf = await fetch(`${web.url}/fr/notifications?_action=notifications.markAllRead`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://mail.example.net' },
        body: '',
      });
      expect(csrf.status).toBe(403);
    } finally {
      await sql.end();
    }
  });
});
