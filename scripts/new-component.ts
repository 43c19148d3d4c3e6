/**
 * `npm run new:component <feature> [<resource>]`: the skeleton of a participatory component, as
 * CONTRIBUTING.md describes it, with the `pages` component's conventions: its folder (manifest,
 * types and input schema, a read, one use case, the public page, messages in fr and en), its
 * Astro actions, its migration (registration, a table with RLS, grants, policies named as
 * sentences, its resource type on the shared layer) and a first RLS test; plus
 * the one line in the registry and in the actions index. Nothing else is touched.
 *
 *   npm run new:component debates debate
 *
 * `--root <dir>` writes into another checkout (the generator's own test uses it).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export interface Names {
  /** Feature key, plural, one word: `debates`. */
  feature: string;
  /** Resource type, singular: `debate`. */
  resource: string;
  /** The feature key as an identifier (one word: the same). */
  camel: string;
  /** PascalCase resource: `Debate`. */
  Pascal: string;
  /** The migration's timestamp. */
  stamp: string;
}

// One word: a migration's feature is the first word of its file name (<timestamp>_<feature>[_<concern>].sql).
const FEATURE = /^[a-z]{3,40}$/;
const RESOURCE = /^[a-z][a-z_]{1,38}[a-z]$/;

export function names(feature: string, resource?: string, now = new Date()): Names {
  if (!FEATURE.test(feature)) throw new Error(`"${feature}": a feature key is one lower-case word (debates, budgets, surveys)`);
  const r = resource ?? feature.replace(/s$/, '');
  if (!RESOURCE.test(r) || r === feature) throw new Error(`"${r}": give the singular resource name (debate), different from the feature`);
  const camel = feature;
  const Pascal = r.replace(/(^|_)([a-z])/g, (_m, _u, c: string) => c.toUpperCase());
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getUTCFullYear()}${p(now.getUTCMonth() + 1)}${p(now.getUTCDate())}${p(now.getUTCHours())}${p(now.getUTCMinutes())}${p(now.getUTCSeconds())}`;
  return { feature, resource: r, camel, Pascal, stamp };
}

export function files(n: Names): Record<string, string> {
  const { feature: f, resource: r, camel, Pascal } = n;
  return {
    [`supabase/migrations/${n.stamp}_${f}.sql`]: `-- The \`${f}\` feature. Sections in the order CONTRIBUTING.md gives; each rule the database keeps.

-- Registration: the feature and the actions its settings gate (the manifest declares the same).
insert into public.component_features (feature) values ('${f}') on conflict do nothing;
insert into public.component_actions (feature, action, global_enabled_setting, phase_enabled_setting, phase_blocked_setting)
values ('${f}', 'create', 'creation_enabled', null, 'creation_blocked');

-- Tables, each with RLS at once.
create table public.${f} (
  id uuid primary key default gen_random_uuid(),
  component_id uuid not null references public.components (id) on delete cascade,
  author_id uuid references auth.users (id) on delete set null default auth.uid(),
  title text not null,
  body text not null default '',
  created_at timestamptz not null default now(),
  hidden_at timestamptz,
  constraint ${f}_title_length check (char_length(title) between 1 and 150),
  constraint ${f}_body_length check (char_length(body) <= 20000)
);
create index ${f}_component_idx on public.${f} (component_id, created_at desc);
alter table public.${f} enable row level security;

-- Grants: what the API roles may write, column by column.
revoke insert, update, delete on public.${f} from anon;
revoke insert, update, delete on public.${f} from authenticated;
grant insert (component_id, title, body) on public.${f} to authenticated;

-- Policies named as sentences; helpers wrapped as (select …) so they run once per query.
create policy "${f} of visible components, hidden ones for moderators" on public.${f} for select to anon, authenticated
  using ((select private.can_view_component(component_id))
         and (hidden_at is null or (select private.has_space_role((select c.space_id from public.components c where c.id = component_id), 'moderator'))));
create policy "signed-in people create ${f} where the component allows it" on public.${f} for insert to authenticated
  with check (author_id = (select auth.uid()) and (select private.component_allows(component_id, 'create')));

-- The \`${r}\` resource type on the shared layer (comments, follows…): its component, when the
-- caller may see it.
create or replace function private.${r}_resource_component(${r} uuid) returns uuid
language sql stable security definer set search_path = '' as $$
  select x.component_id from public.${f} x where x.id = ${r} and x.hidden_at is null and private.can_view_component(x.component_id)
$$;
revoke all on function private.${r}_resource_component(uuid) from public, anon, authenticated;
insert into public.resource_types (resource_type, feature, capabilities, component_of)
values ('${r}', '${f}', '{commentable,followable}', 'private.${r}_resource_component(uuid)');
create trigger ${f}_forget after delete on public.${f}
  for each row execute function private.forget_resource('${r}');
`,
    [`src/features/${f}/manifest.ts`]: `import { defineManifest } from '../../lib/components/manifest.ts';

/** \`${f}\`: TODO say what the component is for (Decidim's equivalent, the rules it keeps). */
export const ${camel}Manifest = defineManifest({
  key: '${f}',
  icon: 'M4 5h16v10H8l-4 4z',
  name: { fr: '${Pascal}', en: '${Pascal}' },
  description: { fr: 'TODO', en: 'TODO' },
  actions: [
    {
      name: 'create',
      label: { fr: 'Créer', en: 'Create' },
      globalEnabledSetting: 'creation_enabled',
      phaseBlockedSetting: 'creation_blocked',
    },
  ],
  settings: {
    global: {
      creation_enabled: { type: 'boolean', default: false, label: { fr: 'Création par les participants', en: 'Participants create' } },
    },
    phase: {
      creation_blocked: { type: 'boolean', default: false, label: { fr: 'Création bloquée pendant cette phase', en: 'Creation blocked during this phase' } },
    },
  },
  resources: [{ type: '${r}', can: ['commentable', 'followable'] }],
  stats: [],
  publicPage: () => import('./PublicPage.astro'),
});
`,
    [`src/features/${f}/${f}.ts`]: `import { z } from 'zod';
import { uuidInput } from '../../lib/forms/fields.ts';

/** Types, input schemas and pure rules of ${f}: no server imports (islands may use this file). */
export interface ${Pascal} {
  id: string;
  title: string;
  body: string;
  createdAt: Date;
}

export const create${Pascal}Input = z.object({
  component_id: uuidInput,
  title: z.string().trim().min(1).max(150),
  body: z.string().trim().max(20000).default(''),
});
export type Create${Pascal}Input = z.infer<typeof create${Pascal}Input>;
`,
    [`src/features/${f}/queries.server.ts`]: `import { asUser, type Claims } from '../../lib/db/index.ts';
import type { ${Pascal} } from './${f}.ts';

/** The ${f} of a component the visitor may see (RLS decides). */
export async function list${Pascal}s(claims: Claims | null, componentId: string): Promise<${Pascal}[]> {
  const rows = await asUser(
    claims,
    (tx) => tx<{ id: string; title: string; body: string; created_at: Date }[]>\`
      select id, title, body, created_at from public.${f} where component_id = \${componentId} order by created_at desc limit 50\`,
  );
  return rows.map((x) => ({ id: x.id, title: x.title, body: x.body, createdAt: x.created_at }));
}
`,
    [`src/features/${f}/create-${r.replace(/_/g, '-')}.server.ts`]: `import { asUser, type Claims } from '../../lib/db/index.ts';
import { guarded } from '../../lib/forms/db-errors.ts';
import { failure, notOk, type Result } from '../../lib/forms/index.ts';
import type { Create${Pascal}Input } from './${f}.ts';

/** One use case: a participant creates a ${r} (the database checks the phase and the person). */
export async function create${Pascal}(claims: Claims | null, input: Create${Pascal}Input): Promise<Result<{ id: string }>> {
  if (!claims) return notOk(failure(401, 'error.unauthorized'));
  return guarded(
    () =>
      asUser(claims, async (tx) => {
        const [row] = await tx<{ id: string }[]>\`
          insert into public.${f} (component_id, title, body) values (\${input.component_id}, \${input.title}, \${input.body}) returning id\`;
        return { id: row!.id };
      }),
    { ${f}_title_length: { field: 'title', key: 'validation.invalid' }, ${f}_body_length: { field: 'body', key: 'validation.invalid' } },
  );
}
`,
    [`src/features/${f}/PublicPage.astro`]: `---
import type { PublicPageProps } from '@/lib/components/manifest.ts';
import { useTranslations } from '@/lib/i18n/index.ts';
import { ${camel}Catalog } from './messages/index.ts';
import { list${Pascal}s } from './queries.server.ts';

type Props = PublicPageProps;
const { component, locale, claims } = Astro.props;
const t = useTranslations(locale, ${camel}Catalog);
const items = await list${Pascal}s(claims, component.id);
---

{
  items.length === 0 ? (
    <p class="lead">{t('${f}.empty')}</p>
  ) : (
    <ul class="stack">
      {items.map((x) => (
        <li>
          <h2>{x.title}</h2>
        </li>
      ))}
    </ul>
  )
}
`,
    [`src/features/${f}/messages/fr.ts`]: `/** Texts of the ${f} feature, in French (the source). */
export const fr = {
  '${f}.empty': 'Rien pour le moment.',
} as const;
`,
    [`src/features/${f}/messages/en.ts`]: `import type { SameKeys } from '@/lib/i18n/catalog.ts';
import type { fr } from './fr.ts';

/** Texts of the ${f} feature, in English: exactly the French keys. */
export const en = {
  '${f}.empty': 'Nothing yet.',
} as const satisfies SameKeys<typeof fr>;
`,
    [`src/features/${f}/messages/index.ts`]: `import type { Catalog } from '@/lib/i18n/catalog.ts';
import { en } from './en.ts';
import { fr } from './fr.ts';

export type ${Pascal}Key = keyof typeof fr;
export const ${camel}Catalog: Catalog<${Pascal}Key> = { fr, en };
`,
    [`src/actions/${f}.ts`]: `import { defineAction } from 'astro:actions';
import { create${Pascal}Input } from '@/features/${f}/${f}.ts';
import { create${Pascal} } from '@/features/${f}/create-${r.replace(/_/g, '-')}.server.ts';
import { unwrap } from './unwrap.ts';

/** Actions of the ${f} feature: parse, resolve the user, one use case each. */
export const ${camel} = {
  create${Pascal}: defineAction({ accept: 'form', input: create${Pascal}Input, handler: async (i, c) => unwrap(await create${Pascal}(c.locals.claims, i)) }),
};
`,
    [`tests/${f}/rls.test.ts`]: `import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { stack } from '../web/helpers.ts';

/** The ${f} tables as each role sees them, straight in SQL as PostgREST would run it. */
const sql = postgres(stack().databaseUrl, { max: 2, onnotice: () => {} });
afterAll(() => sql.end());

describe('${f} row-level security', () => {
  it('every ${f} table has RLS on', async () => {
    const rows = await sql<{ relname: string; relrowsecurity: boolean }[]>\`
      select relname, relrowsecurity from pg_class where relnamespace = 'public'::regnamespace and relkind = 'r' and relname like '${f}%'\`;
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r.relrowsecurity, r.relname).toBe(true);
  });

  it('anon cannot write', async () => {
    await expect(
      sql.begin(async (tx) => {
        await tx\`set local role anon\`;
        await tx\`insert into public.${f} (component_id, title) values (gen_random_uuid(), 'x')\`;
      }),
    ).rejects.toThrow(/permission denied/);
  });
});
`,
  };
}

/** The two one-line edits: the manifest in the registry, the actions in the index. */
export function register(root: string, n: Names): void {
  const registry = resolve(root, 'src/features/registry.ts');
  let s = readFileSync(registry, 'utf8');
  const importLine = `import { ${n.camel}Manifest } from './${n.feature}/manifest.ts';\n`;
  if (!s.includes(importLine)) {
    s = s.replace(/(import { \w+Manifest } from '\.\/[\w]+\/manifest\.ts';\n)(?![\s\S]*import { \w+Manifest })/, `$1${importLine}`);
    s = s.replace(/export const MANIFESTS: readonly AnyManifest\[\] = \[([^\]]*)\]/, (_m, list: string) => `export const MANIFESTS: readonly AnyManifest[] = [${list}, ${n.camel}Manifest]`);
    writeFileSync(registry, s);
  }
  const index = resolve(root, 'src/actions/index.ts');
  let a = readFileSync(index, 'utf8');
  if (!a.includes(`from './${n.feature}.ts'`)) {
    a = `import { ${n.camel} } from './${n.feature}.ts';\n${a}`;
    a = a.replace(/export const server = \{([^}]*)\}/, (_m, list: string) => `export const server = {${list.trimEnd()}, ${n.camel} }`);
    writeFileSync(index, a);
  }
}

export function generate(root: string, feature: string, resource?: string): string[] {
  const n = names(feature, resource);
  if (existsSync(resolve(root, 'src/features', n.feature))) throw new Error(`src/features/${n.feature} already exists`);
  const written: string[] = [];
  for (const [path, text] of Object.entries(files(n))) {
    const full = resolve(root, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
    written.push(path);
  }
  register(root, n);
  return [...written, 'src/features/registry.ts', 'src/actions/index.ts'];
}

if (import.meta.main) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--root');
  const root = at >= 0 ? resolve(args[at + 1] ?? '.') : resolve(import.meta.dirname, '..');
  const [feature, resource] = at >= 0 ? args.filter((_a, i) => i !== at && i !== at + 1) : args;
  if (!feature) {
    console.error('Usage: npm run new:component <feature, plural> [<resource, singular>]   e.g. npm run new:component debates debate');
    process.exit(2);
  }
  try {
    for (const p of generate(root, feature, resource)) console.log(`  ${p}`);
    console.log(`\nNext: fill in the TODOs, then follow CONTRIBUTING.md ("Adding a component"); npm run db:reset applies the migration.`);
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  }
}
