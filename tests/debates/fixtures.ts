import { randomUUID } from 'node:crypto';
import type postgres from 'postgres';
import { asUser, type Tx } from '../../src/lib/db/index.ts';
import { createUser, uniqueTag, userClaims } from '../db/fixtures.ts';

/*
 * Fixtures of the debates tests: a published process with one active phase holding a published
 * debates component, its people, debates and arguments written as those people (through RLS and
 * the triggers, as the app writes them). Everything is created fresh per call.
 */

export type Json = Record<string, unknown>;

export const OPEN_SETTINGS: Json = { comments_enabled: true, comments_max_length: 1000, edit_time_minutes: 60 };
export const OPEN_PHASE: Json = { creation_enabled: true, likes_enabled: true, comments_blocked: false, likes_blocked: false };

export interface DebatesFixture {
  spaceId: string;
  phaseId: string;
  componentId: string;
}

export async function createDebatesComponent(
  sql: postgres.Sql,
  opts: { settings?: Json; phase?: Json; private?: boolean; published?: boolean } = {},
): Promise<DebatesFixture> {
  const tag = uniqueTag();
  const spaceId = randomUUID();
  const phaseId = randomUUID();
  const componentId = randomUUID();
  await sql.begin(async (tx: Tx) => {
    await tx`insert into public.spaces (id, kind, slug, title, published_at, private)
             values (${spaceId}, 'process', ${`deb-${tag}-${spaceId.slice(0, 6)}`}, ${tx.json({ fr: 'Processus', en: 'Process' })},
                     now(), ${opts.private ?? false})`;
    await tx`insert into public.phases (id, space_id, position, title) values (${phaseId}, ${spaceId}, 1, ${tx.json({ fr: 'Phase 1' })})`;
    await tx`select public.activate_phase(${phaseId})`;
    await tx`insert into public.components (id, space_id, feature, name, published_at, settings, phase_settings)
             values (${componentId}, ${spaceId}, 'debates', ${tx.json({ fr: 'Débats', en: 'Debates' })},
                     ${opts.published === false ? null : new Date()},
                     ${tx.json({ ...OPEN_SETTINGS, ...(opts.settings ?? {}) } as postgres.JSONValue)},
                     ${tx.json({ [phaseId]: { ...OPEN_PHASE, ...(opts.phase ?? {}) } } as postgres.JSONValue)})`;
  });
  return { spaceId, phaseId, componentId };
}

export async function updatePhase(sql: postgres.Sql, f: DebatesFixture, phase: Json): Promise<void> {
  await sql`update public.components
            set phase_settings = jsonb_set(phase_settings, ${[f.phaseId]}::text[],
                                           coalesce(phase_settings -> ${f.phaseId}::text, '{}') || ${sql.json(phase as postgres.JSONValue)})
            where id = ${f.componentId}`;
}

export async function grantRole(sql: postgres.Sql, f: DebatesFixture, userId: string, role: 'admin' | 'moderator' | 'collaborator' | 'evaluator') {
  await sql`insert into public.space_roles (space_id, user_id, role) values (${f.spaceId}, ${userId}, ${role}) on conflict do nothing`;
}

export async function createUsers(sql: postgres.Sql, n: number, label = 'user'): Promise<string[]> {
  return Promise.all(Array.from({ length: n }, (_, i) => createUser(sql, `${label}${i}`)));
}

export interface DebateInput {
  title?: string;
  description?: string;
  official?: boolean;
  startsAt?: Date;
  endsAt?: Date;
}

/** A debate opened by `userId` through RLS and the triggers (an admin for official ones). */
export async function createDebate(sql: postgres.Sql, f: DebatesFixture, userId: string, input: DebateInput = {}): Promise<string> {
  const [row] = await asUser(
    userClaims(userId),
    (tx) => tx<{ id: string }[]>`
      insert into public.debates (component_id, official, title, description, starts_at, ends_at)
      values (${f.componentId}, ${input.official ?? false}, ${input.title ?? `Débat ${uniqueTag()}`},
              ${input.description ?? '<p>Une question posée à tout le monde.</p>'}, ${input.startsAt ?? null}, ${input.endsAt ?? null})
      returning id`,
    sql,
  );
  return row!.id;
}

/** An argument (a top-level comment with an alignment: 1 for, -1 against, 0 neutral) by `userId`. */
export async function argue(sql: postgres.Sql, userId: string, debateId: string, alignment: number, body = 'Un argument.', parentId: string | null = null): Promise<string> {
  const [row] = await asUser(
    userClaims(userId),
    (tx) => tx<{ id: string }[]>`
      insert into public.comments (resource_type, resource_id, component_id, parent_id, alignment, body)
      values ('debate', ${debateId}, (select component_id from public.debates where id = ${debateId}), ${parentId}, ${alignment}, ${body})
      returning id`,
    sql,
  );
  return row!.id;
}

export async function countsOf(sql: postgres.Sql, debateId: string) {
  const [row] = await sql<
    {
      arguments_for: number; arguments_against: number; arguments_neutral: number; positions_for: number; positions_against: number;
      positions_neutral: number; comments_count: number; likes_count: number; follows_count: number; reports_count: number;
      last_argument_at: Date | null; hidden_at: Date | null;
    }[]
  >`select arguments_for, arguments_against, arguments_neutral, positions_for, positions_against, positions_neutral, comments_count,
           likes_count, follows_count, reports_count, last_argument_at, hidden_at
    from public.debates where id = ${debateId}`;
  return row!;
}
