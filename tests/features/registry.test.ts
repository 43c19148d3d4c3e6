import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionMismatches, DATABASE_CAPABILITIES, manifestProblems, type ComponentActionRow } from '../../src/lib/components/manifest.ts';
import { LOG_RESOURCES } from '../../src/features/admin/admin.ts';
import { featureLogLabel, featuresThat, getManifest, MANIFESTS, MODERATION_QUEUES, RESOURCES } from '../../src/features/registry.ts';
import { connectTestDb } from '../helpers/db.ts';

/**
 * The database gates actions (`component_allows` reads `component_actions`), the code shows and
 * validates them (the manifests): both must say the same thing, feature by feature.
 */

let sql: postgres.Sql;
beforeAll(() => {
  sql = connectTestDb();
});
afterAll(async () => {
  await sql.end();
});

/** Features the committed migrations register (other test files may add throw-away ones). */
function featuresInMigrations(): string[] {
  const dir = join(import.meta.dirname, '../../supabase/migrations');
  const out = new Set<string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.sql'))) {
    const text = readFileSync(join(dir, file), 'utf8');
    for (const m of text.matchAll(/insert into public\.component_features\s*\(feature\)\s*values\s*([^;]+);/gi)) {
      for (const v of (m[1] ?? '').matchAll(/\(\s*'([a-z_]+)'\s*\)/g)) if (v[1]) out.add(v[1]);
    }
  }
  return [...out].sort();
}

describe('component registry', () => {
  it('every manifest is valid and has a unique key', () => {
    for (const m of MANIFESTS) expect(manifestProblems(m), m.key).toEqual([]);
    expect(new Set(MANIFESTS.map((m) => m.key)).size).toBe(MANIFESTS.length);
    expect(getManifest('pages')?.name.fr).toBe('Page');
    expect(getManifest('nope')).toBeUndefined();
  });

  it('agrees with the database: same features, same actions, same gating settings', async () => {
    const fromMigrations = featuresInMigrations();
    expect(fromMigrations).toContain('pages');
    const dbFeatures = (await sql<{ feature: string }[]>`select feature from public.component_features`).map((r) => r.feature);
    // What the migrations register is in the database…
    for (const f of fromMigrations) expect(dbFeatures).toContain(f);
    const rows = await sql<ComponentActionRow[]>`
      select feature, action, global_enabled_setting, phase_enabled_setting, phase_blocked_setting
      from public.component_actions where feature = any(${fromMigrations})`;
    // …and the manifests say exactly the same.
    expect(actionMismatches(MANIFESTS, rows, fromMigrations)).toEqual([]);
  });

  it('declares the resource types the migrations register, with the capabilities the database enforces', async () => {
    const dir = join(import.meta.dirname, '../../supabase/migrations');
    const registered = readdirSync(dir)
      .filter((f) => f.endsWith('.sql'))
      .flatMap((f) => [...readFileSync(join(dir, f), 'utf8').matchAll(/insert into public\.resource_types[^;]*?values\s*\(\s*'([a-z_]+)'/g)].map((m) => m[1]!));
    expect(registered.sort()).toEqual(RESOURCES.map((r) => r.type).sort());
    const rows = await sql<{ resource_type: string; feature: string; capabilities: string[] }[]>`
      select resource_type, feature, capabilities from public.resource_types where resource_type = any(${registered})`;
    const fromDb = rows.map((r) => ({ type: r.resource_type, feature: r.feature, can: [...r.capabilities].sort() })).sort((a, b) => a.type.localeCompare(b.type));
    const declared = RESOURCES.map((r) => ({ type: r.type, feature: r.feature, can: r.can.filter((c) => DATABASE_CAPABILITIES.includes(c)).sort() }))
      .sort((a, b) => a.type.localeCompare(b.type));
    expect(fromDb).toEqual(declared);
    // The shared rules read the registry: evaluators enter the admin of evaluated features only.
    expect(featuresThat('evaluated')).toEqual(['proposals']);
    // Every feature with moderated resources has its section in the space's moderation queue.
    expect(MODERATION_QUEUES.map((q) => q.key).sort()).toEqual(featuresThat('moderated').sort());
  });

  it('the action log names every table a migration logs: the platform\'s in the admin, a feature\'s in its manifest', () => {
    const dir = join(import.meta.dirname, '../../supabase/migrations');
    const unnamed: string[] = [];
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.sql'))) {
      const text = readFileSync(join(dir, file), 'utf8');
      for (const m of text.matchAll(/create trigger \w+ after [^;]*? on public\.(\w+)\s+for each row execute function private\.log_admin_change\(\)/g)) {
        const table = m[1]!;
        const named = file.includes('_core_') ? (LOG_RESOURCES as readonly string[]).includes(table) : featureLogLabel(table) !== undefined;
        if (!named) unnamed.push(`${file}: ${table}`);
      }
    }
    expect(unnamed).toEqual([]);
  });

  it('a disagreement is reported precisely', () => {
    const rows: ComponentActionRow[] = [
      { feature: 'pages', action: 'comment', global_enabled_setting: null, phase_enabled_setting: 'comments_enabled', phase_blocked_setting: null },
    ];
    const withoutAction = [{ ...MANIFESTS[0]!, actions: [] }];
    expect(actionMismatches(withoutAction, rows, ['pages', 'debates'])).toEqual([
      'feature "debates" is in the database but has no manifest',
      'pages.comment: in component_actions, not declared in the manifest',
    ]);
    const withAction = [{ ...MANIFESTS[0]!, actions: [{ name: 'comment', label: { fr: 'c', en: 'c' }, phaseEnabledSetting: 'comments_on' }] }];
    expect(actionMismatches(withAction, rows, ['pages'])).toEqual([
      'pages.comment: phase_enabled_setting is comments_enabled in the database, comments_on in the manifest',
    ]);
    expect(actionMismatches(withAction, [], ['pages'])).toEqual(['pages.comment: declared in the manifest, missing from component_actions']);
  });

  it('each manifest loads its public page lazily', async () => {
    for (const m of MANIFESTS) expect(typeof m.publicPage).toBe('function');
  });
});
