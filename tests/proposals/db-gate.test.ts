import type postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asUser } from '../../src/lib/db/index.ts';
import { userClaims } from '../db/fixtures.ts';
import { connectTestDb } from '../helpers/db.ts';
import { createProposal, createProposalsComponent, createUsers, grantRole, updatePhase, type ProposalsFixture } from './fixtures.ts';

/*
 * Supports and likes ask `proposal_is_open` and `component_allows`, which answer the common case
 * (a public, published space) with one cached query since migration …4900. Whatever the case,
 * they must give the same answer to the same person as their general definitions (spelled out
 * below, as the SQL functions were): this walks the cases where they could part.
 */

let sql: postgres.Sql;
beforeAll(() => {
  sql = connectTestDb();
});
afterAll(async () => {
  await sql.end();
});

// The component comes from the fixture, as the supports policy takes it from the new row: read
// through RLS it would hide an emendation the caller cannot see and mask a wrong answer.
async function answers(userId: string | null, proposalId: string, componentId: string, action: 'vote' | 'like') {
  const [row] = await asUser(userId ? userClaims(userId) : null, (tx) => tx<{ fast: boolean; general: boolean }[]>`
    select coalesce(private.proposal_is_open(${proposalId}::uuid)
             and private.component_allows(${componentId}::uuid, ${action}), false) as fast,
           coalesce(exists (
             select 1 from public.proposals p where p.id = ${proposalId}::uuid
               and p.published_at is not null and p.withdrawn_at is null and p.hidden_at is null
               and private.can_view_proposal_row(p.id, p.component_id, p.space_id, p.published_at, p.hidden_at, p.amends_id))
           and (
             select c.published_at is not null and s.published_at is not null
               and private.can_view_component_row(c.space_id, c.published_at)
               and (a.global_enabled_setting is null or coalesce(c.settings ->> a.global_enabled_setting = 'true', false))
               and (a.phase_enabled_setting is null or coalesce(ps.settings ->> a.phase_enabled_setting = 'true', false))
               and (a.phase_blocked_setting is null or not coalesce(ps.settings ->> a.phase_blocked_setting = 'true', false))
             from public.components c
             join public.spaces s on s.id = c.space_id
             join public.component_actions a on a.feature = c.feature and a.action = ${action}
             cross join lateral (select private.component_phase_settings(c.id) as settings) ps
             where c.id = ${componentId}::uuid), false) as general`, sql);
  return row!;
}

describe('the fast participation helpers agree with their general definitions', () => {
  let publicF: ProposalsFixture;
  let privateF: ProposalsFixture;
  let people: string[];
  const cases: Array<{ label: string; proposal: string; fixture: ProposalsFixture }> = [];

  beforeAll(async () => {
    people = await createUsers(sql, 4, 'gate');
    const [author, member, , moderator] = people as [string, string, string, string];
    publicF = await createProposalsComponent(sql, { settings: { amendments_enabled: true }, phase: { amendment_creation_enabled: true } });
    privateF = await createProposalsComponent(sql, { private: true });
    await sql`insert into public.space_members (space_id, user_id) values (${privateF.spaceId}, ${member}), (${privateF.spaceId}, ${author})`;
    await grantRole(sql, publicF, moderator, 'moderator');
    const open = await createProposal(sql, publicF, author);
    const draft = await createProposal(sql, publicF, author, { published: false });
    const withdrawn = await createProposal(sql, publicF, author);
    await asUser(userClaims(author), (tx) => tx`update public.proposals set withdrawn_at = now() where id = ${withdrawn}`, sql);
    const hidden = await createProposal(sql, publicF, author);
    await sql`update public.proposals set hidden_at = now() where id = ${hidden}`;
    const emendation = await createProposal(sql, publicF, member, { amendsId: open });
    const inPrivate = await createProposal(sql, privateF, author);
    cases.push(
      { label: 'open', proposal: open, fixture: publicF },
      { label: 'draft', proposal: draft, fixture: publicF },
      { label: 'withdrawn', proposal: withdrawn, fixture: publicF },
      { label: 'hidden', proposal: hidden, fixture: publicF },
      { label: 'emendation', proposal: emendation, fixture: publicF },
      { label: 'private space', proposal: inPrivate, fixture: privateF },
    );
  });

  it('for every person, proposal, action and phase setting', async () => {
    const [author, member, outsider, moderator] = people as [string, string, string, string];
    const phases = [
      { votes_enabled: true, likes_enabled: true, amendments_visibility: 'all' },
      { votes_enabled: true, likes_enabled: true, amendments_visibility: 'participants' },
      { votes_enabled: true, votes_blocked: true, likes_enabled: true, likes_blocked: true, amendments_visibility: 'participants' },
      { votes_enabled: false, likes_enabled: false },
    ];
    let allowedSomewhere = 0;
    for (const phase of phases) {
      await updatePhase(sql, publicF, phase);
      await updatePhase(sql, privateF, phase);
      for (const c of cases) {
        for (const who of [null, author, member, outsider, moderator]) {
          for (const action of ['vote', 'like'] as const) {
            const r = await answers(who, c.proposal, c.fixture.componentId, action);
            expect(r.fast, `${c.label} / ${who ?? 'anon'} / ${action} / ${JSON.stringify(phase)}`).toBe(r.general);
            if (r.fast) allowedSomewhere++;
          }
        }
      }
    }
    // Not a vacuous agreement: the open proposal is supportable in the first phase, by everyone.
    expect(allowedSomewhere).toBeGreaterThan(10);
  });
});
