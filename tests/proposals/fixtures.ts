import { randomUUID } from 'node:crypto';
import type postgres from 'postgres';
import { asUser, type Tx } from '../../src/lib/db/index.ts';
import { withRetry } from '../../src/features/proposals/write.server.ts';
import { createUser, uniqueTag, userClaims } from '../db/fixtures.ts';

/*
 * Fixtures shared by the proposals tests: a published process with one active phase holding one
 * proposals component, its users, and proposals written as those users (through RLS and the
 * triggers, as the app writes them). Everything is created fresh per call: tests never depend on
 * other tests' data.
 */

export type Json = Record<string, unknown>;

/** Component settings for tests: everything on, no limits (override per test). */
export const OPEN_SETTINGS: Json = {
  geocoding_enabled: true,
  official_proposals_enabled: true,
  proposal_answering_enabled: true,
  publish_answers_immediately: true,
  amendments_enabled: true,
  comments_enabled: true,
  comments_max_length: 1000,
  proposal_edit_time: 'infinite',
  proposal_length: 500,
};

/** Phase settings for tests: creation, supports, likes and amendments open. */
export const OPEN_PHASE: Json = {
  creation_enabled: true,
  votes_enabled: true,
  likes_enabled: true,
  amendment_creation_enabled: true,
  amendment_reaction_enabled: true,
  amendment_promotion_enabled: true,
  amendments_visibility: 'all',
};

export interface ProposalsFixture {
  spaceId: string;
  /** The space's only phase, active. */
  phaseId: string;
  componentId: string;
  /** Ids of the three default states by token (evaluating, accepted, rejected). */
  states: Record<string, string>;
}

/**
 * A published process (public unless `private`) with one active phase and a published proposals
 * component. `settings` and `phase` are merged over OPEN_SETTINGS and OPEN_PHASE.
 */
export async function createProposalsComponent(
  sql: postgres.Sql,
  opts: { settings?: Json; phase?: Json; private?: boolean; published?: boolean } = {},
): Promise<ProposalsFixture> {
  const tag = uniqueTag();
  const spaceId = randomUUID();
  const phaseId = randomUUID();
  const componentId = randomUUID();
  await sql.begin(async (tx: Tx) => {
    await tx`insert into public.spaces (id, kind, slug, title, published_at, private)
             values (${spaceId}, 'process', ${`prop-${tag}-${spaceId.slice(0, 6)}`}, ${tx.json({ fr: 'Processus', en: 'Process' })},
                     now(), ${opts.private ?? false})`;
    await tx`insert into public.phases (id, space_id, position, title) values (${phaseId}, ${spaceId}, 1, ${tx.json({ fr: 'Phase 1' })})`;
    await tx`select public.activate_phase(${phaseId})`;
    await tx`insert into public.components (id, space_id, feature, name, published_at, settings, phase_settings)
             values (${componentId}, ${spaceId}, 'proposals', ${tx.json({ fr: 'Propositions', en: 'Proposals' })},
                     ${opts.published === false ? null : new Date()},
                     ${tx.json({ ...OPEN_SETTINGS, ...(opts.settings ?? {}) } as postgres.JSONValue)},
                     ${tx.json({ [phaseId]: { ...OPEN_PHASE, ...(opts.phase ?? {}) } } as postgres.JSONValue)})`;
  });
  const rows = await sql<{ id: string; token: string }[]>`select id, token from public.proposal_states where component_id = ${componentId}`;
  return { spaceId, phaseId, componentId, states: Object.fromEntries(rows.map((r) => [r.token, r.id])) };
}

/** Merges `settings` into the component's global settings (as the table owner). */
export async function updateSettings(sql: postgres.Sql, f: Pick<ProposalsFixture, 'componentId'>, settings: Json): Promise<void> {
  await sql`update public.components set settings = settings || ${sql.json(settings as postgres.JSONValue)} where id = ${f.componentId}`;
}

/** Merges `phase` into the active phase's settings (as the table owner). */
export async function updatePhase(sql: postgres.Sql, f: Pick<ProposalsFixture, 'componentId' | 'phaseId'>, phase: Json): Promise<void> {
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
export async function grantRole(sql: postgres.Sql, f: ProposalsFixture, userId: string, role: 'admin' | 'moderator' | 'collaborator' | 'evaluator'): Promise<void> {
  await sql`insert into public.space_roles (space_id, user_id, role) values (${f.spaceId}, ${userId}, ${role}) on conflict do nothing`;
}

export interface ProposalInput {
  title?: string;
  body?: string;
  /** Default: published now; false makes a draft. */
  published?: boolean;
  official?: boolean;
  amendsId?: string;
  latitude?: number;
  longitude?: number;
  address?: string;
  taxonomyId?: string;
}

/** A proposal written by `userId` through RLS and the triggers (published unless `published: false`). */
export async function createProposal(sql: postgres.Sql, f: ProposalsFixture, userId: string, input: ProposalInput = {}): Promise<string> {
  const [row] = await asUser(
    userClaims(userId),
    (tx) => tx<{ id: string }[]>`
      insert into public.proposals (component_id, official, title, body, published_at, amends_id, latitude, longitude, address, taxonomy_id)
      values (${f.componentId}, ${input.official ?? false}, ${input.title ?? `Proposition ${uniqueTag()}`},
              ${input.body ?? '<p>Une proposition assez longue pour être publiée.</p>'},
              ${input.published === false ? null : new Date()}, ${input.amendsId ?? null},
              ${input.latitude ?? null}, ${input.longitude ?? null}, ${input.address ?? null}, ${input.taxonomyId ?? null})
      returning id`,
    sql,
  );
  return row!.id;
}

/** `userId` supports a proposal as the app does (retrying deadlocks). Throws the refusal, if any. */
export async function support(sql: postgres.Sql, userId: string, proposalId: string): Promise<void> {
  await withRetry(() => asUser(userClaims(userId), (tx) => tx`insert into public.proposal_supports (proposal_id) values (${proposalId})`, sql));
}

/** `userId` withdraws their support (retrying deadlocks); returns the number of rows deleted. */
export async function unsupport(sql: postgres.Sql, userId: string, proposalId: string): Promise<number> {
  return withRetry(() =>
    asUser(userClaims(userId), async (tx) => (await tx`delete from public.proposal_supports where proposal_id = ${proposalId}`).count, sql),
  );
}

/** The proposal's counters, read as the table owner. */
export async function countsOf(sql: postgres.Sql, proposalId: string) {
  const [row] = await sql<
    { supports_count: number; pending_supports: number; likes_count: number; comments_count: number; follows_count: number; authors_count: number; reports_count: number }[]
  >`select supports_count, pending_supports, likes_count, comments_count, follows_count, authors_count, reports_count
    from public.proposals where id = ${proposalId}`;
  return row!;
}
