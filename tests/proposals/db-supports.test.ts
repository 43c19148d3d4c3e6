import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { asUser } from '../../src/lib/db/index.ts';
import { withRetry } from '../../src/features/proposals/write.server.ts';
import { connectTestDb } from '../helpers/db.ts';
import { userClaims } from '../db/fixtures.ts';
import {
  countsOf, createProposal, createProposalsComponent, createUsers, support, unsupport, updatePhase,
  type ProposalsFixture,
} from './fixtures.ts';

/*
 * Supports ("votes") under the component's limits, enforced by the database whatever the app
 * does: the vote limit per person, the minimum before supports count, the threshold per proposal
 * and the per-phase switches. Concurrency runs on a pool of 50 connections, one transaction per
 * click, as 50 browsers would.
 */

let sql: postgres.Sql;
/** 50 connections: every supporter's clicks really run at once. */
let crowd: postgres.Sql;

beforeAll(() => {
  sql = connectTestDb();
  crowd = postgres(inject('stack').databaseUrl, { max: 50, onnotice: () => {} });
});
afterAll(async () => {
  await crowd.end();
  await sql.end();
});

const codeOf = (r: PromiseSettledResult<unknown>) => (r.status === 'rejected' ? (r.reason as { code?: string }).code : 'ok');
const constraintOf = (r: PromiseSettledResult<unknown>) => (r.status === 'rejected' ? (r.reason as { constraint_name?: string }).constraint_name : undefined);

/** Supports as counted by the rows, per proposal, compared with the proposals' counters. */
async function checkCounters(f: ProposalsFixture) {
  const rows = await sql<{ id: string; supports_count: number; pending_supports: number; counted: number; pending: number }[]>`
    select p.id, p.supports_count, p.pending_supports,
           (select count(*)::int from public.proposal_supports s where s.proposal_id = p.id and s.counted) as counted,
           (select count(*)::int from public.proposal_supports s where s.proposal_id = p.id and not s.counted) as pending
    from public.proposals p where p.component_id = ${f.componentId}`;
  for (const r of rows) {
    expect(r.supports_count, `supports_count of ${r.id}`).toBe(r.counted);
    expect(r.pending_supports, `pending_supports of ${r.id}`).toBe(r.pending);
  }
  const tallies = await sql<{ user_id: string; supports: number; rows: number }[]>`
    select t.user_id, t.supports,
           (select count(*)::int from public.proposal_supports s where s.user_id = t.user_id and s.component_id = t.component_id) as rows
    from public.proposal_support_tallies t where t.component_id = ${f.componentId}`;
  for (const t of tallies) expect(t.supports, `tally of ${t.user_id}`).toBe(t.rows);
  return rows;
}

describe('vote limit per participant', () => {
  it('50 supporters clicking everything at once: nobody exceeds the limit, nobody supports twice, counts exact', async () => {
    const f = await createProposalsComponent(sql, { settings: { vote_limit: 3 } });
    const [author, ...people] = await createUsers(sql, 51, 'vl');
    const proposals = await Promise.all(Array.from({ length: 5 }, () => createProposal(sql, f, author!)));
    // Each person clicks every proposal twice, all at once, in a shuffled order.
    const clicks = people.flatMap((u) => [...proposals, ...proposals].map((p) => ({ u: u!, p })));
    clicks.sort(() => Math.random() - 0.5);
    const results = await Promise.allSettled(clicks.map(({ u, p }) => support(crowd, u, p)));
    const codes = new Set(results.map(codeOf));
    for (const c of codes) expect(['ok', '23514', '23505']).toContain(c);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(people.length * 3);

    const perUser = await sql<{ user_id: string; n: number }[]>`
      select user_id, count(*)::int as n from public.proposal_supports where component_id = ${f.componentId} group by user_id`;
    expect(perUser).toHaveLength(people.length);
    for (const r of perUser) expect(r.n).toBe(3);
    const rows = await checkCounters(f);
    expect(rows.reduce((s, r) => s + r.supports_count, 0)).toBe(people.length * 3);
  });

  it('one person clicking 20 times at once on one proposal supports it once', async () => {
    const f = await createProposalsComponent(sql, { settings: { vote_limit: 5 } });
    const [author, fan] = await createUsers(sql, 2, 'click');
    const p = await createProposal(sql, f, author!);
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => support(crowd, fan!, p)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((x) => x.status === 'rejected')) {
      expect(codeOf(r)).toBe('23505');
      expect(constraintOf(r)).toBe('proposal_supports_pkey');
    }
    expect((await countsOf(sql, p)).supports_count).toBe(1);
    await checkCounters(f);
  });

  it('a repeated support with on conflict do nothing neither counts nor uses the limit', async () => {
    const f = await createProposalsComponent(sql, { settings: { vote_limit: 2 } });
    const [author, fan] = await createUsers(sql, 2, 'dup');
    const [p1, p2] = await Promise.all([createProposal(sql, f, author!), createProposal(sql, f, author!)]);
    const again = () =>
      asUser(userClaims(fan!), (tx) => tx`insert into public.proposal_supports (proposal_id) values (${p1!}) on conflict do nothing`, sql);
    await again();
    await Promise.allSettled(Array.from({ length: 5 }, again));
    expect((await countsOf(sql, p1!)).supports_count).toBe(1);
    await support(sql, fan!, p2!);
    expect((await countsOf(sql, p2!)).supports_count).toBe(1);
    await checkCounters(f);
  });

  it('a withdrawn support frees a vote', async () => {
    const f = await createProposalsComponent(sql, { settings: { vote_limit: 1 } });
    const [author, fan] = await createUsers(sql, 2, 'free');
    const [p1, p2] = await Promise.all([createProposal(sql, f, author!), createProposal(sql, f, author!)]);
    await support(sql, fan!, p1!);
    await expect(support(sql, fan!, p2!)).rejects.toMatchObject({ code: '23514', constraint_name: 'proposal_supports_limit' });
    expect(await unsupport(sql, fan!, p1!)).toBe(1);
    await support(sql, fan!, p2!);
    expect((await countsOf(sql, p1!)).supports_count).toBe(0);
    expect((await countsOf(sql, p2!)).supports_count).toBe(1);
    await checkCounters(f);
  });
});

describe('threshold per proposal', () => {
  it('without accumulation, 50 supporters at once leave exactly the threshold', async () => {
    const f = await createProposalsComponent(sql, { settings: { threshold_per_proposal: 20, can_accumulate_votes_beyond_threshold: false } });
    const [author, ...people] = await createUsers(sql, 51, 'th');
    const p = await createProposal(sql, f, author!);
    const results = await Promise.allSettled(people.map((u) => support(crowd, u!, p)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(20);
    for (const r of results.filter((x) => x.status === 'rejected')) expect(constraintOf(r)).toBe('proposal_supports_threshold');
    expect((await countsOf(sql, p)).supports_count).toBe(20);
    await checkCounters(f);
  });

  it('with accumulation, all 50 count', async () => {
    const f = await createProposalsComponent(sql, { settings: { threshold_per_proposal: 20, can_accumulate_votes_beyond_threshold: true } });
    const [author, ...people] = await createUsers(sql, 51, 'acc');
    const p = await createProposal(sql, f, author!);
    const results = await Promise.allSettled(people.map((u) => support(crowd, u!, p)));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect((await countsOf(sql, p)).supports_count).toBe(50);
    await checkCounters(f);
  });
});

describe('minimum supports per participant', () => {
  it('supports wait until the minimum, then count everywhere; going below uncounts them', async () => {
    const f = await createProposalsComponent(sql, { settings: { minimum_votes_per_user: 3 } });
    const [author, fan] = await createUsers(sql, 2, 'min');
    const ps = await Promise.all(Array.from({ length: 4 }, () => createProposal(sql, f, author!)));
    await support(sql, fan!, ps[0]!);
    await support(sql, fan!, ps[1]!);
    expect(await countsOf(sql, ps[0]!)).toMatchObject({ supports_count: 0, pending_supports: 1 });
    expect(await countsOf(sql, ps[1]!)).toMatchObject({ supports_count: 0, pending_supports: 1 });
    await support(sql, fan!, ps[2]!);
    for (const p of ps.slice(0, 3)) expect(await countsOf(sql, p)).toMatchObject({ supports_count: 1, pending_supports: 0 });
    await support(sql, fan!, ps[3]!);
    expect(await countsOf(sql, ps[3]!)).toMatchObject({ supports_count: 1, pending_supports: 0 });
    await unsupport(sql, fan!, ps[3]!);
    for (const p of ps.slice(0, 3)) expect(await countsOf(sql, p)).toMatchObject({ supports_count: 1, pending_supports: 0 });
    await unsupport(sql, fan!, ps[0]!);
    expect(await countsOf(sql, ps[0]!)).toMatchObject({ supports_count: 0, pending_supports: 0 });
    for (const p of ps.slice(1, 3)) expect(await countsOf(sql, p)).toMatchObject({ supports_count: 0, pending_supports: 1 });
    await checkCounters(f);
  });

  it('50 supporters reaching and leaving the minimum at once: counts exact', async () => {
    const f = await createProposalsComponent(sql, { settings: { minimum_votes_per_user: 3, vote_limit: 4 } });
    const [author, ...people] = await createUsers(sql, 51, 'minc');
    const ps = await Promise.all(Array.from({ length: 4 }, () => createProposal(sql, f, author!)));
    const clicks = people.flatMap((u) => ps.map((p) => ({ u: u!, p })));
    clicks.sort(() => Math.random() - 0.5);
    const results = await Promise.allSettled(clicks.map(({ u, p }) => support(crowd, u, p)));
    expect(results.filter((r) => r.status === 'rejected').map(codeOf)).toEqual([]);
    for (const r of await checkCounters(f)) expect(r).toMatchObject({ supports_count: 50, pending_supports: 0 });

    // Everyone withdraws two supports at once: two left, below the minimum, nothing counts.
    const withdrawals = people.flatMap((u, i) => [ps[i % 4]!, ps[(i + 1) % 4]!].map((p) => ({ u: u!, p })));
    withdrawals.sort(() => Math.random() - 0.5);
    const out = await Promise.allSettled(withdrawals.map(({ u, p }) => unsupport(crowd, u, p)));
    expect(out.filter((r) => r.status === 'rejected').map(codeOf)).toEqual([]);
    const rows = await checkCounters(f);
    expect(rows.reduce((s, r) => s + r.supports_count, 0)).toBe(0);
    expect(rows.reduce((s, r) => s + r.pending_supports, 0)).toBe(100);
  });
});

describe('switches of the active phase and the state of the proposal', () => {
  it('supports are refused while blocked, and a support cannot be withdrawn then', async () => {
    const f = await createProposalsComponent(sql);
    const [author, fan, late] = await createUsers(sql, 3, 'blk');
    const p = await createProposal(sql, f, author!);
    await support(sql, fan!, p);
    await updatePhase(sql, f, { votes_blocked: true });
    await expect(support(sql, late!, p)).rejects.toMatchObject({ code: '42501' });
    expect(await unsupport(sql, fan!, p)).toBe(0);
    expect((await countsOf(sql, p)).supports_count).toBe(1);
    await updatePhase(sql, f, { votes_blocked: false });
    expect(await unsupport(sql, fan!, p)).toBe(1);
  });

  it('supports are refused where votes are not enabled in the active phase', async () => {
    const f = await createProposalsComponent(sql, { phase: { votes_enabled: false } });
    const [author, fan] = await createUsers(sql, 2, 'off');
    const p = await createProposal(sql, f, author!);
    await expect(support(sql, fan!, p)).rejects.toMatchObject({ code: '42501' });
  });

  it('withdrawn, hidden and draft proposals are not supportable', async () => {
    const f = await createProposalsComponent(sql);
    const [author, fan, moderator] = await createUsers(sql, 3, 'st');
    await sql`insert into public.space_roles (space_id, user_id, role) values (${f.spaceId}, ${moderator!}, 'moderator')`;
    const [withdrawn, hidden, draft] = await Promise.all([
      createProposal(sql, f, author!), createProposal(sql, f, author!), createProposal(sql, f, author!, { published: false }),
    ]);
    await asUser(userClaims(author!), (tx) => tx`update public.proposals set withdrawn_at = now() where id = ${withdrawn!}`, sql);
    await asUser(userClaims(moderator!), (tx) => tx`update public.proposals set hidden_at = now() where id = ${hidden!}`, sql);
    for (const p of [withdrawn!, hidden!, draft!]) await expect(support(sql, fan!, p)).rejects.toMatchObject({ code: '42501' });
    // Not even their authors or moderators.
    await expect(support(sql, moderator!, hidden!)).rejects.toMatchObject({ code: '42501' });
    await expect(support(sql, author!, draft!)).rejects.toMatchObject({ code: '42501' });
  });

  it('anonymous visitors do not support', async () => {
    const f = await createProposalsComponent(sql);
    const [author] = await createUsers(sql, 1, 'anon');
    const p = await createProposal(sql, f, author!);
    await expect(asUser(null, (tx) => tx`insert into public.proposal_supports (proposal_id) values (${p})`, sql)).rejects.toMatchObject({ code: '42501' });
  });

  it('supports are not changed by hand: no update, no user_id of someone else, the tally is read-only', async () => {
    const f = await createProposalsComponent(sql);
    const [author, fan, other] = await createUsers(sql, 3, 'hand');
    const p = await createProposal(sql, f, author!);
    await support(sql, fan!, p);
    await expect(asUser(userClaims(fan!), (tx) => tx`update public.proposal_supports set counted = false where proposal_id = ${p}`, sql))
      .rejects.toMatchObject({ code: '42501' });
    await expect(asUser(userClaims(fan!), (tx) => tx`insert into public.proposal_supports (proposal_id, user_id) values (${p}, ${other!})`, sql))
      .rejects.toMatchObject({ code: '42501' });
    await expect(asUser(userClaims(fan!), (tx) => tx`update public.proposal_support_tallies set supports = 0`, sql))
      .rejects.toMatchObject({ code: '42501' });
    await expect(asUser(userClaims(fan!), (tx) => tx`delete from public.proposal_support_tallies`, sql)).rejects.toMatchObject({ code: '42501' });
    // Others' supports are private; one's own are visible.
    const seen = await asUser(userClaims(other!), (tx) => tx`select 1 from public.proposal_supports where proposal_id = ${p}`, sql);
    expect(seen).toHaveLength(0);
    const mine = await asUser(userClaims(fan!), (tx) => tx`select 1 from public.proposal_supports where proposal_id = ${p}`, sql);
    expect(mine).toHaveLength(1);
  });
});

describe('live counts', () => {
  async function lastBroadcast(f: ProposalsFixture, p: string) {
    const [m] = await sql<{ payload: Record<string, unknown>; event: string; private: boolean }[]>`
      select payload, event, private from realtime.messages
      where topic = ${`proposals:${f.componentId}`} and payload ->> 'proposal_id' = ${p}
      order by inserted_at desc, id desc limit 1`;
    return m;
  }

  it('a support broadcasts the new count on the component topic, privately', async () => {
    const f = await createProposalsComponent(sql);
    const [author, fan] = await createUsers(sql, 2, 'bc');
    const p = await createProposal(sql, f, author!);
    await support(sql, fan!, p);
    const m = await lastBroadcast(f, p);
    expect(m).toMatchObject({ event: 'proposal', private: true });
    expect(m!.payload).toMatchObject({ proposal_id: p, supports: 1, changes: ['supports'] });
    expect(JSON.stringify(m!.payload)).not.toContain('Une proposition');
  });

  it('while votes are hidden a support is not announced at all (review-issue9.test.ts has the rest)', async () => {
    const f = await createProposalsComponent(sql, { phase: { votes_hidden: true } });
    const [author, fan] = await createUsers(sql, 2, 'bch');
    const p = await createProposal(sql, f, author!);
    const before = await lastBroadcast(f, p);
    await support(sql, fan!, p);
    expect(await lastBroadcast(f, p)).toEqual(before);
  });

  it('several supports in one go are counted by the retrying writer too', async () => {
    const f = await createProposalsComponent(sql, { settings: { vote_limit: 2 } });
    const [author, fan] = await createUsers(sql, 2, 'retry');
    const [p1, p2, p3] = await Promise.all([createProposal(sql, f, author!), createProposal(sql, f, author!), createProposal(sql, f, author!)]);
    await expect(
      withRetry(() => asUser(userClaims(fan!), async (tx) => {
        for (const p of [p1!, p2!, p3!]) await tx`insert into public.proposal_supports (proposal_id) values (${p})`;
      }, sql)),
    ).rejects.toMatchObject({ constraint_name: 'proposal_supports_limit' });
    // The transaction failed as a whole: nothing left behind.
    await checkCounters(f);
    expect((await countsOf(sql, p1!)).supports_count).toBe(0);
  });
});
