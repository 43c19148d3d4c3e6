import type postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asUser } from '../../src/lib/db/index.ts';
import { userClaims } from '../db/fixtures.ts';
import { connectTestDb } from '../helpers/db.ts';
import { deliverNotifications } from '../helpers/notifications.ts';
import { createProposal, createProposalsComponent, createUsers, grantRole } from './fixtures.ts';

/* Rules found missing in review: promotion counts towards the limit, accepting an amendment does
 * not rewrite an answered proposal, a hidden proposal is silent (no live counts, no answer news). */

let sql: postgres.Sql;
beforeAll(() => {
  sql = connectTestDb();
});
afterAll(async () => {
  await sql.end();
});

const as = (user: string) => <T>(fn: (tx: postgres.TransactionSql) => Promise<T>) => asUser(userClaims(user), fn, sql);

describe('amendments', () => {
  it('a promoted amendment counts towards its promoter’s proposal limit', async () => {
    const f = await createProposalsComponent(sql, { settings: { proposal_limit: 1 } });
    const [author, amender] = await createUsers(sql, 2, 'promo');
    const original = await createProposal(sql, f, author!);
    await createProposal(sql, f, amender!); // the amender's one proposal
    const emendation = await createProposal(sql, f, amender!, { amendsId: original });
    await as(author!)((tx) => tx`select public.react_to_amendment(${emendation}, false)`);
    await expect(as(amender!)((tx) => tx`select public.promote_amendment(${emendation})`)).rejects.toMatchObject({ constraint_name: 'proposals_limit' });
    const [row] = await sql<{ state: string }[]>`select amendment_state as state from public.proposals where id = ${emendation}`;
    expect(row!.state).toBe('rejected');
  });

  it('accepting an amendment does not rewrite a proposal the organization has answered', async () => {
    const f = await createProposalsComponent(sql);
    const [author, amender, admin] = await createUsers(sql, 3, 'answered');
    await grantRole(sql, f, admin!, 'admin');
    const original = await createProposal(sql, f, author!, { title: 'Le texte qui a reçu une réponse' });
    const emendation = await createProposal(sql, f, amender!, { amendsId: original, title: 'Un autre texte proposé' });
    await as(admin!)((tx) => tx`insert into public.proposal_answers (proposal_id, state_id, answer)
                                values (${original}, ${f.states.accepted!}, ${tx.json({ fr: 'Oui' })})`);
    await expect(as(author!)((tx) => tx`select public.react_to_amendment(${emendation}, true)`)).rejects.toMatchObject({
      constraint_name: 'proposals_edit_window',
    });
    const [row] = await sql<{ title: string }[]>`select title from public.proposals where id = ${original}`;
    expect(row!.title).toBe('Le texte qui a reçu une réponse');
    // Rejecting stays possible.
    await as(author!)((tx) => tx`select public.react_to_amendment(${emendation}, false)`);
  });
});

describe('a hidden proposal', () => {
  it('is announced once, then its counts and its answer stay quiet', async () => {
    const f = await createProposalsComponent(sql);
    const [author, follower, admin] = await createUsers(sql, 3, 'quiet');
    await grantRole(sql, f, admin!, 'admin');
    const p = await createProposal(sql, f, author!);
    await as(follower!)((tx) => tx`insert into public.follows (resource_type, resource_id) values ('proposal', ${p})`);
    const messages = async () =>
      (await sql<{ n: number }[]>`select count(*)::int as n from realtime.messages
                                  where topic = ${'proposals:' + f.componentId} and payload ->> 'proposal_id' = ${p}`)[0]!.n;
    const before = await messages();
    await as(admin!)((tx) => tx`update public.proposals set hidden_at = now() where id = ${p}`);
    expect(await messages()).toBe(before + 1);
    // Counters still move (a trusted write), but nothing is broadcast any more.
    await sql`update public.proposals set likes_count = likes_count + 1 where id = ${p}`;
    expect(await messages()).toBe(before + 1);
    await as(admin!)((tx) => tx`insert into public.proposal_answers (proposal_id, state_id, answer)
                                values (${p}, ${f.states.rejected!}, ${tx.json({ fr: 'Non' })})`);
    await deliverNotifications(sql, f.spaceId);
    const [notes] = await sql<{ n: number }[]>`select count(*)::int as n from public.notifications
                                                where kind = 'proposals.answered' and resource_id = ${p}`;
    expect(notes!.n).toBe(0);
    // Unhidden, it speaks again.
    await as(admin!)((tx) => tx`update public.proposals set hidden_at = null where id = ${p}`);
    expect(await messages()).toBe(before + 2);
  });
});
