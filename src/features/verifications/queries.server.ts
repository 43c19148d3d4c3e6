import { asUser, type Claims } from '../../lib/db/index.ts';
import type { TranslatedText } from '../../lib/i18n/translated.ts';
import type { Method } from './verifications.ts';

/* Reads of verifications, as the asker: people see their own; organization admins read numbers. */

export interface HeldVerification {
  method: Method;
  district: TranslatedText | null;
  createdAt: Date;
}

export async function myVerifications(claims: Claims | null): Promise<HeldVerification[]> {
  if (!claims) return [];
  const rows = await asUser(
    claims,
    (tx) => tx<{ method: Method; name: TranslatedText | null; created_at: Date }[]>`
      select v.method, t.name, v.created_at from public.verifications v left join public.taxonomies t on t.id = v.district_id
      where v.user_id = (select auth.uid()) order by v.created_at`,
  );
  return rows.map((r) => ({ method: r.method, district: r.name, createdAt: r.created_at }));
}

export interface VerificationCounts {
  byMethod: { method: Method; districtId: string | null; district: TranslatedText | null; people: number }[];
  census: { districtId: string | null; district: TranslatedText | null; lines: number; claimed: number }[];
  uploads: { id: string; fileName: string; linesRead: number; linesAdded: number; errors: number; createdAt: Date; finishedAt: Date | null }[];
}

/** Numbers for the organization admins (the database's functions answer nobody else). */
export async function verificationCounts(claims: Claims | null): Promise<VerificationCounts> {
  return asUser(claims, async (tx) => {
    const byMethod = await tx<{ method: Method; district_id: string | null; name: TranslatedText | null; people: string }[]>`
      select c.method, c.district_id, t.name, c.people::text from public.verification_counts() c left join public.taxonomies t on t.id = c.district_id
      order by c.method, t.weight nulls last`;
    const census = await tx<{ district_id: string | null; name: TranslatedText | null; lines: string; claimed: string }[]>`
      select c.district_id, t.name, c.lines::text, c.claimed::text from public.census_counts() c left join public.taxonomies t on t.id = c.district_id
      order by t.weight nulls last`;
    const uploads = await tx<{ id: string; file_name: string; lines_read: number; lines_added: number; errors: number; created_at: Date; finished_at: Date | null }[]>`
      select id, file_name, lines_read, lines_added, jsonb_array_length(errors) as errors, created_at, finished_at
      from public.census_uploads order by created_at desc limit 10`;
    return {
      byMethod: byMethod.map((r) => ({ method: r.method, districtId: r.district_id, district: r.name, people: Number(r.people) })),
      census: census.map((r) => ({ districtId: r.district_id, district: r.name, lines: Number(r.lines), claimed: Number(r.claimed) })),
      uploads: uploads.map((u) => ({ id: u.id, fileName: u.file_name, linesRead: u.lines_read, linesAdded: u.lines_added, errors: u.errors, createdAt: u.created_at, finishedAt: u.finished_at })),
    };
  });
}

/** Finds a district (taxonomy) by its id or its name in any language, case and accents aside. */
export async function districtFinder(claims: Claims | null): Promise<(name: string) => string | null> {
  const rows = await asUser(claims, (tx) => tx<{ id: string; name: TranslatedText }[]>`select id, name from public.taxonomies limit 5000`);
  const norm = (s: string) => s.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase().replace(/[\s’'-]+/g, ' ').trim();
  const byName = new Map<string, string | null>();
  for (const r of rows) {
    for (const v of Object.values(r.name)) {
      if (typeof v !== 'string') continue;
      const key = norm(v);
      // Two taxonomies with one name: ambiguous, refused rather than guessed.
      byName.set(key, byName.has(key) && byName.get(key) !== r.id ? null : r.id);
    }
  }
  const ids = new Set(rows.map((r) => r.id));
  return (name) => (ids.has(name) ? name : (byName.get(norm(name)) ?? null));
}

/** The verifications a component's actions require (`components.permissions`), as its admins read it. */
export async function componentPermissions(claims: Claims | null, componentId: string): Promise<Record<string, string[]>> {
  const [row] = await asUser(claims, (tx) => tx<{ permissions: Record<string, string[]> }[]>`select permissions from public.components where id = ${componentId}`);
  return row?.permissions ?? {};
}

/** The verification methods an action of a component requires (empty: none), as the visitor sees the component. */
export async function actionMethods(claims: Claims | null, componentId: string, action: string): Promise<Method[]> {
  const [row] = await asUser(
    claims,
    (tx) => tx<{ methods: Method[] | null }[]>`select private.component_action_methods(${componentId}::uuid, ${action}) as methods`,
  );
  return row?.methods ?? [];
}
