import type postgres from 'postgres';
import { asUser } from '../../src/lib/db/index.ts';
import { uniqueTag, userClaims } from '../db/fixtures.ts';
import { createComponentPlace, createUsers, grantRole, updatePhase, type Json } from '../helpers/component-place.ts';

/*
 * Fixtures of the debates tests: a published process with one active phase holding a published
 * debates component, its people, debates and arguments written as those people (through RLS and
 * the triggers, as the app writes them). Everything is created fresh per call.
 */

export type { Json };

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
  const { spaceId, phaseId, componentId } = await createComponentPlace(sql, {
    feature: 'debates',
    name: { fr: 'Débats', en: 'Debates' },
    slugPrefix: 'deb',
    settings: { ...OPEN_SETTINGS, ...(opts.settings ?? {}) },
    phase: { ...OPEN_PHASE, ...(opts.phase ?? {}) },
    ...(opts.private !== undefined ? { private: opts.private } : {}),
    ...(opts.published !== undefined ? { published: opts.published } : {}),
  });
  return { spaceId, phaseId, componentId };
}

export { createUsers, grantRole, updatePhase };

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
