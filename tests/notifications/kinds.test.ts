import type postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notificationsCatalog } from '../../src/features/notifications/messages/index.ts';
import { NOTIFICATION_KINDS } from '../../src/features/registry.ts';
import { LOCALES } from '../../src/lib/i18n/locales.ts';
import { connectTestDb } from '../helpers/db.ts';

/**
 * The kinds of notification the features' migrations register and the ones their code declares
 * (with the texts that tell them) are the same, and every text exists in every language.
 */

let sql: postgres.Sql;
beforeAll(() => {
  sql = connectTestDb();
});
afterAll(async () => {
  await sql.end();
});

describe('notification kinds', () => {
  it('the registry declares exactly the kinds the migrations register', async () => {
    const rows = await sql<{ kind: string }[]>`select kind from public.notification_kinds order by kind`;
    // (Other test files may register throw-away kinds of their own, never under a real feature's name.)
    const registered = rows.map((r) => r.kind).filter((k) => NOTIFICATION_KINDS.some((d) => d.kind.split('.')[0] === k.split('.')[0]));
    expect(NOTIFICATION_KINDS.map((k) => k.kind).sort()).toEqual(registered);
    expect(new Set(NOTIFICATION_KINDS.map((k) => k.kind)).size).toBe(NOTIFICATION_KINDS.length);
  });

  it('every kind has its label and its line in every language, with the same placeholders', () => {
    for (const k of NOTIFICATION_KINDS) {
      for (const l of LOCALES) {
        expect(k.label[l], `${k.kind} label ${l}`).toMatch(/\S/);
        expect(k.message[l], `${k.kind} message ${l}`).toMatch(/\S/);
      }
      const placeholders = (s: string) => [...s.matchAll(/\{([a-z_]+)\}/g)].map((m) => m[1]).sort();
      expect(placeholders(k.message.en), k.kind).toEqual(placeholders(k.message.fr));
    }
    expect(Object.keys(notificationsCatalog.en).sort()).toEqual(Object.keys(notificationsCatalog.fr).sort());
  });
});
