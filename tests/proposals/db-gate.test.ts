import type postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asUser } from '../../src/lib/db/index.ts';
import { userClaims } from '../db/fixtures.ts';
import { connectTestDb } from '../helpers/db.ts';
import { createProposal, createProposalsComponent, createUsers, grantRole, updatePhase, type ProposalsFixture } from './fixtures.ts';

/*
 * Supports and likes are checked by one fast gate (`can_participate_in_proposal`, migration
 * …4900) instead of `proposal_is_open` + `component_allows`. Whatever the case, both must give
 * the same answer to the same person: this walks the cases where they could part.
 */

let sql: postgres.Sql;
beforeAll(() => {
  sql = connectTestDb();
});
afterAll(async () => {
  await sql.end();
});

async function answers(userId: string | null, proposalId: string, action: 'vote' | 'like') {
  const [row] = await asUser(userId ? userClaims(userId) : null, (tx) => tx<{ fast: boolean; general: boolean }[]>`
    select private.can_participate_in_proposal(${proposalId}::uuid, ${action}) as fast,
           coalesce(private.proposal_is_open(${proposalId}::uuid)
             and private.component_allows((select p.component_id from public.proposals p where p.id = ${proposalId}::uuid), ${action}), false) as general`, sql);
  return row!;
}

describe('the participation gate agrees with the general helpers', () => {
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
            const r = await answers(who, c.proposal, action);
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
