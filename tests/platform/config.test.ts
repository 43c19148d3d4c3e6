import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, LOCAL_ANON_KEY, parseConfig } from '../../src/lib/config.ts';

const root = resolve(import.meta.dirname, '../..');

describe('configuration', () => {
  it('defaults to the local stack on the Supabase CLI ports and keys', () => {
    const c = parseConfig({});
    expect(c.local).toBe(true);
    expect(c.supabaseUrl).toBe('http://127.0.0.1:54321');
    expect(c.databaseUrl).toBe('postgresql://postgres:postgres@127.0.0.1:54322/postgres');
    expect(c.smtpUrl).toBe('smtp://127.0.0.1:54325');
    expect(c.siteUrl).toBe('http://127.0.0.1:4321');
    expect(c.anonKey).toBe(LOCAL_ANON_KEY);
    expect(c.auth.mailerAutoconfirm).toBe(false);
  });

  it('uses a Supabase project when both its URL and database URL are given', () => {
    const c = parseConfig({ SUPABASE_URL: 'https://abcd.supabase.co/', DATABASE_URL: 'postgresql://postgres:pw@db.abcd.supabase.co:5432/postgres' });
    expect(c.local).toBe(false);
    expect(c.supabaseUrl).toBe('https://abcd.supabase.co');
  });

  it.each([
    [{ PORT: 'abc' }, /PORT/],
    [{ PORT: '70000' }, /PORT: must be between 1 and 65535/],
    [{ SUPABASE_JWT_SECRET: 'short' }, /SUPABASE_JWT_SECRET/],
    [{ SMTP_URL: 'http://mail' }, /SMTP_URL/],
    [{ SITE_URL: 'not a url' }, /SITE_URL/],
    [{ AUTH_MAILER_AUTOCONFIRM: 'maybe' }, /AUTH_MAILER_AUTOCONFIRM: must be true or false/],
    [{ SUPABASE_URL: 'https://abcd.supabase.co' }, /set both/],
  ])('rejects %o with a message naming the variable', (env, pattern) => {
    expect(() => parseConfig(env)).toThrow(ConfigError);
    expect(() => parseConfig(env)).toThrow(pattern);
  });

  it('npm start stops at once with a clear message on a wrong value', () => {
    const r = spawnSync(process.execPath, ['scripts/start.ts'], {
      cwd: root,
      env: { ...process.env, PORT: 'not-a-port' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('Invalid configuration');
    expect(r.stderr).toContain('PORT');
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/);
  });
});
