import { randomUUID } from 'node:crypto';
import type postgres from 'postgres';
import type { Tx } from '../../src/lib/db/index.ts';
import { createUser, uniqueTag } from '../db/fixtures.ts';

/*
 * The place every component's tests start from: a published process (public unless `private`)
 * with one phase, active unless told otherwise, holding one component of the feature, written as
 * the table owner. Each feature's fixtures give their defaults (settings that open what they test)
 * and add their own rows; everything is fresh per call.
 */

export type Json = Record<string, unknown>;

export interface ComponentPlace {
  spaceId: string;
  /** The space's only phase. */
  phaseId: string;
  componentId: string;
  slug: string;
}

export interface ComponentPlaceOptions {
  feature: string;
  name: Json;
  /** The slug's prefix (`prop`, `deb`…), for reading a failing test's rows. */
  slugPrefix: string;
  spaceTitle?: Json;
  phaseTitle?: Json;
  settings?: Json;
  /** The phase's settings. */
  phase?: Json;
  permissions?: Json;
  private?: boolean;
  /** The component's publication (the space is always published). */
  published?: boolean;
  /** Whether the phase is made active (true unless false). */
  activate?: boolean;
}

export async function createComponentPlace(sql: postgres.Sql, o: ComponentPlaceOptions): Promise<ComponentPlace> {
  const spaceId = randomUUID();
  const phaseId = randomUUID();
  const componentId = randomUUID();
  const slug = `${o.slugPrefix}-${uniqueTag()}-${spaceId.slice(0, 6)}`;
  await sql.begin(async (tx: Tx) => {
    await tx`insert into public.spaces (id, kind, slug, title, published_at, private)
             values (${spaceId}, 'process', ${slug}, ${tx.json((o.spaceTitle ?? { fr: 'Processus', en: 'Process' }) as postgres.JSONValue)},
                     now(), ${o.private ?? false})`;
    await tx`insert into public.phases (id, space_id, position, title)
             values (${phaseId}, ${spaceId}, 1, ${tx.json((o.phaseTitle ?? { fr: 'Phase 1' }) as postgres.JSONValue)})`;
    if (o.activate !== false) await tx`select public.activate_phase(${phaseId})`;
    await tx`insert into public.components (id, space_id, feature, name, published_at, settings, phase_settings, permissions)
             values (${componentId}, ${spaceId}, ${o.feature}, ${tx.json(o.name as postgres.JSONValue)},
                     ${o.published === false ? null : new Date()},
                     ${tx.json((o.settings ?? {}) as postgres.JSONValue)},
                     ${tx.json({ [phaseId]: o.phase ?? {} } as postgres.JSONValue)},
                     ${tx.json((o.permissions ?? {}) as postgres.JSONValue)})`;
  });
  return { spaceId, phaseId, componentId, slug };
}

/** Merges `settings` into the component's global settings (as the table owner). */
export async function updateSettings(sql: postgres.Sql, f: Pick<ComponentPlace, 'componentId'>, settings: Json): Promise<void> {
  await sql`update public.components set settings = settings || ${sql.json(settings as postgres.JSONValue)} where id = ${f.componentId}`;
}

/** Merges `phase` into the phase's settings (as the table owner). */
export async function updatePhase(sql: postgres.Sql, f: Pick<ComponentPlace, 'componentId' | 'phaseId'>, phase: Json): Promise<void> {
  await sql`update public.components
            set phase_settings = jsonb_set(phase_settings, ${[f.phaseId]}::text[],
                                           coalesce(phase_settings -> ${f.phaseId}::text, '{}') || ${sql.json(phase as postgres.JSONValue)})
            where id = ${f.componentId}`;
}

/** `n` users created as sign-up does, in parallel. */
export async function createUsers(sql: postgres.Sql, n: number, label = 'user'): Promise<string[]> {
  return Promise.all(Array.from({ length: n }, (_, i) => createUser(sql, `${label}${i}`)));
}

/** Gives a user a role in the space (admin, moderator, collaborator, evaluator). */
export async function grantRole(
  sql: postgres.Sql,
  f: Pick<ComponentPlace, 'spaceId'>,
  userId: string,
  role: 'admin' | 'moderator' | 'collaborator' | 'evaluator',
): Promise<void> {
  await sql`insert into public.space_roles (space_id, user_id, role) values (${f.spaceId}, ${userId}, ${role}) on conflict do nothing`;
}
