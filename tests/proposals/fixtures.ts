import type postgres from 'postgres';
import { asUser } from '../../src/lib/db/index.ts';
import { withRetry } from '../../src/features/proposals/write.server.ts';
import { uniqueTag, userClaims } from '../db/fixtures.ts';
import { createComponentPlace, createUsers, grantRole, updatePhase, updateSettings, type Json } from '../helpers/component-place.ts';

/*
 * Fixtures shared by the proposals tests: a published process with one active phase holding one
 * proposals component, its users, and proposals written as those users (through RLS and the
 * triggers, as the app writes them). Everything is created fresh per call: tests never depend on
 * other tests' data.
 */

export type { Json };

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
  const { spaceId, phaseId, componentId } = await createComponentPlace(sql, {
    feature: 'proposals',
    name: { fr: 'Propositions', en: 'Proposals' },
    slugPrefix: 'prop',
    settings: { ...OPEN_SETTINGS, ...(opts.settings ?? {}) },
    phase: { ...OPEN_PHASE, ...(opts.phase ?? {}) },
    ...(opts.private !== undefined ? { private: opts.private } : {}),
    ...(opts.published !== undefined ? { published: opts.published } : {}),
  });
  const rows = await sql<{ id: string; token: string }[]>`select id, token from public.proposal_states where component_id = ${componentId}`;
  return { spaceId, phaseId, componentId, states: Object.fromEntries(rows.map((r) => [r.token, r.id])) };
}

export { createUsers, grantRole, updatePhase, updateSettings };

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
