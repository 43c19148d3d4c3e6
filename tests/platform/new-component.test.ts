/**
 * `npm run new:component`: the skeleton it writes registers the feature in the two places a
 * feature is listed, and its migration applies on top of every other one, with RLS on and the
 * resource type on the shared layer. (Generated once into a full checkout by hand, the skeleton
 * also passes tsc, eslint and its own RLS test.)
 */
import { mkdirSync, mkdtempSync, readFileSync, copyFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { files, generate, names } from '../../scripts/new-component.ts';
import { stack } from '../web/helpers.ts';

const root = resolve(import.meta.dirname, '../..');
const sql = postgres(stack().databaseUrl, { max: 1, onnotice: () => {} });
afterAll(() => sql.end());

function scratchCheckout(): string {
  const dir = mkdtempSync(join(tmpdir(), 'decidons-gen-'));
  for (const f of ['src/features/registry.ts', 'src/actions/index.ts']) {
    mkdirSync(join(dir, f, '..'), { recursive: true });
    copyFileSync(join(root, f), join(dir, f));
  }
  return dir;
}

describe('new:component', () => {
  it('asks for a one-word feature and a different singular resource', () => {
    expect(() => names('citizen_panels')).toThrow(/one lower-case word/);
    expect(() => names('Debates')).toThrow(/one lower-case word/);
    expect(() => names('debates', 'debates')).toThrow(/singular/);
    expect(names('debates')).toMatchObject({ feature: 'debates', resource: 'debate', Pascal: 'Debate' });
  });

  it('writes the folder, the actions, the migration and a test, and adds one line to the registry and the actions index', () => {
    // A feature the platform does not have yet (debates, the usual example, now exists).
    const dir = scratchCheckout();
    const written = generate(dir, 'petitions', 'petition');
    for (const p of written) expect(existsSync(join(dir, p)), p).toBe(true);
    expect(written.some((p) => /^supabase\/migrations\/\d{14}_petitions\.sql$/.test(p))).toBe(true);
    const registry = readFileSync(join(dir, 'src/features/registry.ts'), 'utf8');
    expect(registry).toContain("import { petitionsManifest } from './petitions/manifest.ts';");
    expect(registry).toMatch(/MANIFESTS: readonly AnyManifest\[\] = \[[^\]]*petitionsManifest\]/);
    expect(readFileSync(join(dir, 'src/actions/index.ts'), 'utf8')).toMatch(/export const server = \{[^}]*petitions \}/);
    expect(() => generate(dir, 'petitions', 'petition')).toThrow(/already exists/);
  });

  it('its migration applies on top of every other one: RLS on, the resource registered, anon cannot write', async () => {
    const n = names('gendebates', 'gendebate');
    const migration = Object.entries(files(n)).find(([p]) => p.startsWith('supabase/migrations/'))![1];
    const rollback = new Error('rollback');
    await expect(
      sql.begin(async (tx) => {
        await tx.unsafe(migration);
        const [t] = await tx<{ rls: boolean }[]>`select relrowsecurity as rls from pg_class where oid = 'public.gendebates'::regclass`;
        expect(t?.rls).toBe(true);
        const [r] = await tx<{ feature: string }[]>`select feature from public.resource_types where resource_type = 'gendebate'`;
        expect(r?.feature).toBe('gendebates');
        await tx`savepoint anon`;
        await tx`set local role anon`;
        await expect(tx`insert into public.gendebates (component_id, title) values (gen_random_uuid(), 'x')`).rejects.toThrow(/permission denied/);
        await tx`rollback to savepoint anon`;
        throw rollback;
      }),
    ).rejects.toBe(rollback);
  });
});
