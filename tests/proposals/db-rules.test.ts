import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { asUser, type Tx } from '../../src/lib/db/index.ts';
import { connectTestDb } from '../helpers/db.ts';
import { deliverNotifications } from '../helpers/notifications.ts';
import { userClaims } from '../db/fixtures.ts';
import {
  countsOf, createProposal, createProposalsComponent, createUsers, grantRole, updatePhase, updateSettings,
} from './fixtures.ts';

/*
 * The proposals schema's rules other than supports, enforced by the database as each role writes
 * and reads: likes, the proposal limit, the edit window, drafts, hidden proposals, amendments,
 * co-authors, evaluators and answers, counters, the columns only the platform writes, and the
 * geographic helpers. One component per test (or group), created by the fixtures.
 */

let sql: postgres.Sql;
let crowd: postgres.Sql;

beforeAll(() => {
  sql = connectTestDb();
  crowd = postgres(inject('stack').databaseUrl, { max: 12, onnotice: () => {} });
});
afterAll(async () => {
  await crowd.end();
  await sql.end();
});

const as = <T>(user: string | null, fn: (tx: Tx) => Promise<T>, db: postgres.Sql = sql): Promise<T> =>
  asUser(user ? userClaims(user) : null, fn, db);
const seen = async (user: string | null, ids: string[]) =>
  (await as(user, (tx) => tx<{ id: string }[]>`select id from public.proposals where id = any(${ids}::uuid[])`)).map((r) => r.id).sort();

describe('likes', () => {
  it('like, not twice, take back; who liked is public', async () => {
    const f = await createProposalsComponent(sql);
    const [author, fan] = await createUsers(sql, 2, 'like');
    const p = await createProposal(sql, f, author!);
    await as(fan!, (tx) => tx`insert into public.likes (resource_type, resource_id) values ('proposal', ${p})`);
    await expect(as(fan!, (tx) => tx`insert into public.likes (resource_type, resource_id) values ('proposal', ${p})`))
      .rejects.toMatchObject({ code: '23505', constraint_name: 'likes_pkey' });
    expect((await countsOf(sql, p)).likes_count).toBe(1);
    expect(await as(null, (tx) => tx`select user_id from public.likes where resource_type = 'proposal' and resource_id = ${p}`)).toEqual([{ user_id: fan }]);
    expect((await as(fan!, (tx) => tx`delete from public.likes where resource_type = 'proposal' and resource_id = ${p}`)).count).toBe(1);
    expect((await countsOf(sql, p)).likes_count).toBe(0);
  });

  it('refused when likes are not enabled or blocked in the active phase; not taken back while blocked', async () => {
    const f = await createProposalsComponent(sql, { phase: { likes_enabled: false } });
    const [author, fan, late] = await createUsers(sql, 3, 'likeoff');
    const p = await createProposal(sql, f, author!);
    await expect(as(fan!, (tx) => tx`insert into public.likes (resource_type, resource_id) values ('proposal', ${p})`)).rejects.toMatchObject({ code: '42501' });
    await updatePhase(sql, f, { likes_enabled: true });
    await as(fan!, (tx) => tx`insert into public.likes (resource_type, resource_id) values ('proposal', ${p})`);
    await updatePhase(sql, f, { likes_blocked: true });
    await expect(as(late!, (tx) => tx`insert into public.likes (resource_type, resource_id) values ('proposal', ${p})`)).rejects.toMatchObject({ code: '42501' });
    expect((await as(fan!, (tx) => tx`delete from public.likes where resource_type = 'proposal' and resource_id = ${p}`)).count).toBe(0);
    expect((await countsOf(sql, p)).likes_count).toBe(1);
  });

  it('20 concurrent likes by 20 people count 20', async () => {
    const f = await createProposalsComponent(sql);
    const [author, ...fans] = await createUsers(sql, 21, 'likec');
    const p = await createProposal(sql, f, author!);
    await Promise.all(fans.map((u) => as(u!, (tx) => tx`insert into public.likes (resource_type, resource_id) values ('proposal', ${p})`, crowd)));
    expect((await countsOf(sql, p)).likes_count).toBe(20);
  });
});

describe('proposal limit per participant', () => {
  it('concurrent publishes by one person never exceed the limit; drafts and withdrawn ones do not count', async () => {
    const f = await createProposalsComponent(sql, { settings: { proposal_limit: 2 } });
    const [author] = await createUsers(sql, 1, 'lim');
    const drafts = await Promise.all(Array.from({ length: 6 }, () => createProposal(sql, f, author!, { published: false })));
    const results = await Promise.allSettled(
      drafts.map((d) => as(author!, (tx) => tx`update public.proposals set published_at = now() where id = ${d}`, crowd)),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: '23514', constraint_name: 'proposals_limit' });
    const published = await sql<{ id: string }[]>`select id from public.proposals where component_id = ${f.componentId} and published_at is not null`;
    expect(published).toHaveLength(2);
    // Direct publication is held to the same limit, concurrently too.
    const direct = await Promise.allSettled(Array.from({ length: 4 }, () => createProposal(crowd, f, author!)));
    expect(direct.filter((r) => r.status === 'fulfilled')).toHaveLength(0);
    // Withdrawing one frees a place.
    await as(author!, (tx) => tx`update public.proposals set withdrawn_at = now() where id = ${published[0]!.id}`);
    await createProposal(sql, f, author!);
    await expect(createProposal(sql, f, author!)).rejects.toMatchObject({ constraint_name: 'proposals_limit' });
  });
});

describe('editing', () => {
  it('within the edit window only, never once answered; each change is a version', async () => {
    const f = await createProposalsComponent(sql, { settings: { proposal_edit_time: 'limited', edit_time_minutes: 5 } });
    const [author, other, admin] = await createUsers(sql, 3, 'edit');
    await grantRole(sql, f, admin!, 'admin');
    const p = await createProposal(sql, f, author!);
    await as(author!, (tx) => tx`update public.proposals set title = 'Un titre corrigé' where id = ${p}`);
    expect((await as(other!, (tx) => tx`update public.proposals set title = 'Pas mon titre' where id = ${p}`)).count).toBe(0);
    const versions = await as(null, (tx) => tx`select version, data ->> 'title' as title from public.versions where resource_type = 'proposal' and resource_id = ${p} order by version`);
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    expect(versions[1]!.title).toBe('Un titre corrigé');
    await sql`update public.proposals set published_at = now() - interval '10 minutes' where id = ${p}`;
    await expect(as(author!, (tx) => tx`update public.proposals set title = 'Trop tard pour ça' where id = ${p}`))
      .rejects.toMatchObject({ code: '23514', constraint_name: 'proposals_edit_window' });

    await updateSettings(sql, f, { proposal_edit_time: 'infinite' });
    await as(author!, (tx) => tx`update public.proposals set title = 'Sans limite de temps' where id = ${p}`);
    await as(admin!, (tx) => tx`insert into public.proposal_answers (proposal_id, state_id, answer) values (${p}, ${f.states.evaluating!}, ${tx.json({ fr: 'À l’étude' })})`);
    await expect(as(author!, (tx) => tx`update public.proposals set title = 'Après la réponse' where id = ${p}`))
      .rejects.toMatchObject({ code: '23514', constraint_name: 'proposals_edit_window' });
    // Withdrawing stays possible, and is final.
    await as(author!, (tx) => tx`update public.proposals set withdrawn_at = now() where id = ${p}`);
    await expect(as(author!, (tx) => tx`update public.proposals set withdrawn_at = null where id = ${p}`))
      .rejects.toMatchObject({ constraint_name: 'proposals_withdrawn' });
  });

  it('columns the platform writes are not the author’s', async () => {
    const f = await createProposalsComponent(sql);
    const [author, someone] = await createUsers(sql, 2, 'cols');
    const p = await createProposal(sql, f, author!);
    for (const [i, set] of [
      sql`supports_count = 100`, sql`likes_count = 5`, sql`comments_count = 5`, sql`follows_count = 5`, sql`state_id = ${f.states.accepted!}`,
      sql`official = true`, sql`answer = '{"fr":"Oui"}'`, sql`author_id = ${someone!}`, sql`amendment_state = 'accepted'`,
      sql`component_id = ${f.componentId}`, sql`pending_supports = 1`, sql`answered_at = now()`,
    ].entries()) {
      await expect(as(author!, (tx) => tx`update public.proposals set ${set} where id = ${p}`), `write #${i}`)
        .rejects.toMatchObject({ code: '42501' });
    }
    await expect(as(author!, (tx) => tx`update public.proposals set hidden_at = now() where id = ${p}`)).rejects.toMatchObject({ code: '42501' });
    await expect(as(author!, (tx) => tx`insert into public.proposals (component_id, title, body, supports_count) values (${f.componentId}, 'Titre valide', '', 7)`))
      .rejects.toMatchObject({ code: '42501' });
    await expect(as(author!, (tx) => tx`insert into public.proposals (component_id, title, body, author_id) values (${f.componentId}, 'Titre valide', '', ${someone!})`))
      .rejects.toMatchObject({ code: '42501' });
    // Official proposals are written by space admins only.
    await expect(createProposal(sql, f, author!, { official: true })).rejects.toMatchObject({ code: '42501' });
    expect(await countsOf(sql, p)).toMatchObject({ supports_count: 0, likes_count: 0, authors_count: 1, follows_count: 1 });
    await expect(as(author!, (tx) => tx`insert into public.versions (resource_type, resource_id, component_id, space_id, version, data) select 'proposal', id, component_id, space_id, 9, '{}' from public.proposals where id = ${p}`))
      .rejects.toMatchObject({ code: '42501' });
  });
});

describe('who sees what', () => {
  it('drafts: their authors only', async () => {
    const f = await createProposalsComponent(sql);
    const [author, other, moderator] = await createUsers(sql, 3, 'draft');
    await grantRole(sql, f, moderator!, 'moderator');
    const d = await createProposal(sql, f, author!, { published: false });
    expect(await seen(author!, [d])).toEqual([d]);
    expect(await seen(other!, [d])).toEqual([]);
    expect(await seen(null, [d])).toEqual([]);
    expect(await seen(moderator!, [d])).toEqual([]);
    expect(await as(null, (tx) => tx`select 1 from public.versions where resource_type = 'proposal' and resource_id = ${d}`)).toHaveLength(0);
    // Publishing shows it to everyone.
    await as(author!, (tx) => tx`update public.proposals set published_at = now() where id = ${d}`);
    expect(await seen(null, [d])).toEqual([d]);
  });

  it('three reports hide a proposal: gone for others, kept for moderators and its authors', async () => {
    const f = await createProposalsComponent(sql);
    const [author, r1, r2, r3, moderator] = await createUsers(sql, 5, 'rep');
    await grantRole(sql, f, moderator!, 'moderator');
    const p = await createProposal(sql, f, author!);
    for (const r of [r1!, r2!]) await as(r, (tx) => tx`insert into public.reports (resource_type, resource_id, reason) values ('proposal', ${p}, 'spam')`);
    await expect(as(r1!, (tx) => tx`insert into public.reports (resource_type, resource_id, reason) values ('proposal', ${p}, 'spam')`))
      .rejects.toMatchObject({ code: '23505' });
    expect(await seen(null, [p])).toEqual([p]);
    await as(r3!, (tx) => tx`insert into public.reports (resource_type, resource_id, reason) values ('proposal', ${p}, 'offensive')`);
    expect(await seen(null, [p])).toEqual([]);
    expect(await seen(r1!, [p])).toEqual([]);
    expect(await seen(moderator!, [p])).toEqual([p]);
    expect(await seen(author!, [p])).toEqual([p]);
    // Its comments thread and likes are gone with it.
    expect(await as(null, (tx) => tx`select 1 from public.likes where resource_type = 'proposal' and resource_id = ${p}`)).toHaveLength(0);
    // Reports are seen by their author and moderators only.
    expect(await as(r2!, (tx) => tx`select user_id from public.reports where resource_type = 'proposal' and resource_id = ${p}`)).toEqual([{ user_id: r2 }]);
    expect(await as(moderator!, (tx) => tx`select 1 from public.reports where resource_type = 'proposal' and resource_id = ${p}`)).toHaveLength(3);
    // Unhidden by a moderator, visible again.
    await as(moderator!, (tx) => tx`update public.proposals set hidden_at = null where id = ${p}`);
    expect(await seen(null, [p])).toEqual([p]);
  });

  it('proposals of a private space: its members only', async () => {
    const f = await createProposalsComponent(sql, { private: true });
    const [author, member, other] = await createUsers(sql, 3, 'priv');
    await sql`insert into public.space_members (space_id, user_id) values (${f.spaceId}, ${author!}), (${f.spaceId}, ${member!})`;
    const p = await createProposal(sql, f, author!);
    expect(await seen(member!, [p])).toEqual([p]);
    expect(await seen(other!, [p])).toEqual([]);
    expect(await seen(null, [p])).toEqual([]);
  });
});

describe('amendments', () => {
  it('visible to all, or only to their authors (and moderators) when the phase says participants', async () => {
    const f = await createProposalsComponent(sql);
    const [author, amender, other, moderator] = await createUsers(sql, 4, 'amvis');
    await grantRole(sql, f, moderator!, 'moderator');
    const p = await createProposal(sql, f, author!);
    const e = await createProposal(sql, f, amender!, { amendsId: p, title: 'Amendement : mieux dit' });
    expect(await seen(null, [e])).toEqual([e]);
    await updatePhase(sql, f, { amendments_visibility: 'participants' });
    expect(await seen(null, [e])).toEqual([]);
    expect(await seen(other!, [e])).toEqual([]);
    expect(await seen(amender!, [e])).toEqual([e]);
    expect(await seen(moderator!, [e])).toEqual([e]);
    // The amended proposal itself stays public.
    expect(await seen(null, [p])).toEqual([p]);
  });

  it('amendments are refused where closed, and only on open proposals of the component', async () => {
    const f = await createProposalsComponent(sql, { phase: { amendment_creation_enabled: false } });
    const g = await createProposalsComponent(sql);
    const [author, amender] = await createUsers(sql, 2, 'amclosed');
    const p = await createProposal(sql, f, author!);
    await expect(createProposal(sql, f, amender!, { amendsId: p })).rejects.toMatchObject({ code: '42501' });
    await expect(createProposal(sql, g, amender!, { amendsId: p })).rejects.toMatchObject({ constraint_name: 'proposals_amends' });
  });

  it('the amended proposal’s authors accept (text and authors taken over) or reject; a rejected one is promoted by its authors', async () => {
    const f = await createProposalsComponent(sql);
    const [author, amender, other] = await createUsers(sql, 3, 'amr');
    const p = await createProposal(sql, f, author!, { title: 'Titre de départ' });
    const e1 = await createProposal(sql, f, amender!, { amendsId: p, title: 'Titre amendé', body: '<p>Le texte amendé, plus précis.</p>' });
    const e2 = await createProposal(sql, f, amender!, { amendsId: p, title: 'Autre amendement' });

    await expect(as(other!, (tx) => tx`select public.react_to_amendment(${e1}, true)`)).rejects.toMatchObject({ code: '42501' });
    await expect(as(amender!, (tx) => tx`select public.react_to_amendment(${e1}, true)`)).rejects.toMatchObject({ code: '42501' });
    await as(author!, (tx) => tx`select public.react_to_amendment(${e1}, true)`);
    const [taken] = await sql`select title, body, authors_count from public.proposals where id = ${p}`;
    expect(taken).toMatchObject({ title: 'Titre amendé', body: '<p>Le texte amendé, plus précis.</p>', authors_count: 2 });
    await expect(as(author!, (tx) => tx`select public.react_to_amendment(${e1}, false)`))
      .rejects.toMatchObject({ constraint_name: 'proposals_amendment_answered' });

    // Promotion: only a rejected amendment, by its authors, where the phase allows it.
    await expect(as(amender!, (tx) => tx`select public.promote_amendment(${e2})`)).rejects.toMatchObject({ constraint_name: 'proposals_amendment_promote' });
    await as(author!, (tx) => tx`select public.react_to_amendment(${e2}, false)`);
    await expect(as(other!, (tx) => tx`select public.promote_amendment(${e2})`)).rejects.toMatchObject({ code: '42501' });
    await updatePhase(sql, f, { amendment_promotion_enabled: false });
    await expect(as(amender!, (tx) => tx`select public.promote_amendment(${e2})`)).rejects.toMatchObject({ code: '42501' });
    await updatePhase(sql, f, { amendment_promotion_enabled: true });
    const [{ promote_amendment: created }] = await as(amender!, (tx) => tx`select public.promote_amendment(${e2})`) as [{ promote_amendment: string }];
    const [row] = await sql`select amends_id, origin_ids, author_id, published_at is not null as published from public.proposals where id = ${created}`;
    expect(row).toMatchObject({ amends_id: null, origin_ids: [e2], author_id: amender, published: true });
    expect((await sql`select amendment_state from public.proposals where id = ${e2}`)[0]!.amendment_state).toBe('promoted');
  });

  it('reactions are refused where the phase closes them', async () => {
    const f = await createProposalsComponent(sql, { phase: { amendment_reaction_enabled: false } });
    const [author, amender] = await createUsers(sql, 2, 'amno');
    const p = await createProposal(sql, f, author!);
    const e = await createProposal(sql, f, amender!, { amendsId: p });
    await expect(as(author!, (tx) => tx`select public.react_to_amendment(${e}, false)`)).rejects.toMatchObject({ code: '42501' });
  });
});

describe('co-authors', () => {
  it('invite, accept, decline, leave; the last author stays', async () => {
    const f = await createProposalsComponent(sql);
    const [author, invitee, declines, stranger] = await createUsers(sql, 4, 'coa');
    const p = await createProposal(sql, f, author!);
    await expect(as(stranger!, (tx) => tx`insert into public.proposal_coauthors (proposal_id, user_id) values (${p}, ${stranger!})`))
      .rejects.toMatchObject({ code: '42501' });
    await as(author!, (tx) => tx`insert into public.proposal_coauthors (proposal_id, user_id) values (${p}, ${invitee!}), (${p}, ${declines!})`);
    expect((await countsOf(sql, p)).authors_count).toBe(1);
    // The public sees accepted authors only; the invitee sees their invitation.
    expect(await as(null, (tx) => tx`select user_id from public.proposal_coauthors where proposal_id = ${p}`)).toEqual([{ user_id: author }]);
    expect(await as(invitee!, (tx) => tx`select status from public.proposal_coauthors where proposal_id = ${p} and user_id = ${invitee!}`))
      .toEqual([{ status: 'invited' }]);
    // Nobody accepts for someone else.
    expect((await as(stranger!, (tx) => tx`update public.proposal_coauthors set status = 'accepted' where proposal_id = ${p} and user_id = ${invitee!}`)).count).toBe(0);
    expect((await as(author!, (tx) => tx`update public.proposal_coauthors set status = 'accepted' where proposal_id = ${p} and user_id = ${invitee!}`)).count).toBe(0);
    await as(invitee!, (tx) => tx`update public.proposal_coauthors set status = 'accepted' where proposal_id = ${p} and user_id = ${invitee!}`);
    expect(await countsOf(sql, p)).toMatchObject({ authors_count: 2, follows_count: 2 });
    expect((await as(declines!, (tx) => tx`delete from public.proposal_coauthors where proposal_id = ${p} and user_id = ${declines!}`)).count).toBe(1);
    // A co-author may now edit; the creator leaves; the last author cannot.
    await as(invitee!, (tx) => tx`update public.proposals set title = 'Titre du co-auteur' where id = ${p}`);
    await as(author!, (tx) => tx`delete from public.proposal_coauthors where proposal_id = ${p} and user_id = ${author!}`);
    await expect(as(invitee!, (tx) => tx`delete from public.proposal_coauthors where proposal_id = ${p} and user_id = ${invitee!}`))
      .rejects.toMatchObject({ constraint_name: 'proposal_coauthors_last' });
    expect((await countsOf(sql, p)).authors_count).toBe(1);
    await deliverNotifications(sql, f.spaceId);
    const n = await sql`select 1 from public.notifications where user_id = ${invitee!} and kind = 'proposals.coauthor_invited' and resource_id = ${p}`;
    expect(n).toHaveLength(1);
  });
});

describe('evaluators, answers and notes', () => {
  it('evaluators answer and annotate their proposals only; answers and notes stay with those who answer', async () => {
    const f = await createProposalsComponent(sql, { settings: { publish_answers_immediately: false } });
    const [author, admin, e1, e2, participant] = await createUsers(sql, 5, 'eva');
    await grantRole(sql, f, admin!, 'admin');
    await grantRole(sql, f, e1!, 'evaluator');
    await grantRole(sql, f, e2!, 'evaluator');
    const [p1, p2] = await Promise.all([createProposal(sql, f, author!), createProposal(sql, f, author!)]);
    await as(admin!, (tx) => tx`insert into public.proposal_evaluators (proposal_id, user_id) values (${p1!}, ${e1!})`);
    // Only evaluators of the space are assigned, by admins.
    await expect(as(admin!, (tx) => tx`insert into public.proposal_evaluators (proposal_id, user_id) values (${p1!}, ${participant!})`))
      .rejects.toMatchObject({ code: '42501' });
    await expect(as(e1!, (tx) => tx`insert into public.proposal_evaluators (proposal_id, user_id) values (${p2!}, ${e1!})`))
      .rejects.toMatchObject({ code: '42501' });

    await as(e1!, (tx) => tx`insert into public.proposal_answers (proposal_id, state_id, answer) values (${p1!}, ${f.states.accepted!}, ${tx.json({ fr: 'Nous la retenons.' })})`);
    await expect(as(e1!, (tx) => tx`insert into public.proposal_answers (proposal_id, state_id, answer) values (${p2!}, ${f.states.rejected!}, '{}')`))
      .rejects.toMatchObject({ code: '42501' });
    await expect(as(e2!, (tx) => tx`insert into public.proposal_answers (proposal_id, state_id, answer) values (${p1!}, ${f.states.rejected!}, '{}')`))
      .rejects.toMatchObject({ code: '42501' });
    await as(e1!, (tx) => tx`insert into public.proposal_notes (proposal_id, body) values (${p1!}, 'Coût à vérifier avec les services.')`);
    const [n2] = await as(admin!, (tx) => tx<{ id: string }[]>`insert into public.proposal_notes (proposal_id, body) values (${p2!}, 'Note sur la deuxième.') returning id`);
    // Replies one level deep, on a note of the same proposal.
    const [reply] = await as(admin!, (tx) => tx<{ id: string }[]>`insert into public.proposal_notes (proposal_id, parent_id, body) values (${p2!}, ${n2!.id}, 'Réponse.') returning id`);
    await expect(as(admin!, (tx) => tx`insert into public.proposal_notes (proposal_id, parent_id, body) values (${p2!}, ${reply!.id}, 'Trop profond.')`))
      .rejects.toMatchObject({ code: '42501' });
    await expect(as(admin!, (tx) => tx`insert into public.proposal_notes (proposal_id, parent_id, body) values (${p1!}, ${n2!.id}, 'Mauvaise proposition.')`))
      .rejects.toMatchObject({ code: '42501' });
    await expect(as(e1!, (tx) => tx`insert into public.proposal_notes (proposal_id, body) values (${p2!}, 'Pas la mienne.')`))
      .rejects.toMatchObject({ code: '42501' });

    const notes = (u: string | null) => as(u, (tx) => tx`select proposal_id from public.proposal_notes where proposal_id in (${p1!}, ${p2!})`);
    const answers = (u: string | null) => as(u, (tx) => tx`select proposal_id from public.proposal_answers where proposal_id in (${p1!}, ${p2!})`);
    expect(await notes(admin!)).toHaveLength(3);
    expect(await notes(e1!)).toEqual([{ proposal_id: p1 }]);
    expect(await notes(e2!)).toEqual([]);
    expect(await notes(author!)).toEqual([]);
    expect(await answers(e1!)).toEqual([{ proposal_id: p1 }]);
    expect(await answers(admin!)).toHaveLength(1);
    expect(await answers(author!)).toEqual([]);
    await expect(answers(null)).rejects.toMatchObject({ code: '42501' });

    // Unpublished: the proposal shows no state yet.
    const stateOf = async () => (await as(null, (tx) => tx`select state_id, answer from public.proposals where id = ${p1!}`))[0];
    expect(await stateOf()).toMatchObject({ state_id: null, answer: {} });
    await expect(as(e2!, (tx) => tx`select public.publish_proposal_answers(${[p1!]}::uuid[])`)).rejects.toMatchObject({ code: '42501' });
    await as(admin!, (tx) => tx`select public.publish_proposal_answers(${[p1!]}::uuid[])`);
    expect(await stateOf()).toMatchObject({ state_id: f.states.accepted, answer: { fr: 'Nous la retenons.' } });
    // A changed answer waits for publication again; the published one stays meanwhile.
    await as(e1!, (tx) => tx`update public.proposal_answers set state_id = ${f.states.rejected!} where proposal_id = ${p1!}`);
    expect((await stateOf())!.state_id).toBe(f.states.accepted);
    // Followers are told of the published answer.
    await deliverNotifications(sql, f.spaceId);
    expect(await sql`select 1 from public.notifications where user_id = ${author!} and kind = 'proposals.answered' and resource_id = ${p1!}`).toHaveLength(1);
  });

  it('with publish_answers_immediately the state shows at once', async () => {
    const f = await createProposalsComponent(sql, { settings: { publish_answers_immediately: true } });
    const [author, admin] = await createUsers(sql, 2, 'imm');
    await grantRole(sql, f, admin!, 'admin');
    const p = await createProposal(sql, f, author!);
    await as(admin!, (tx) => tx`insert into public.proposal_answers (proposal_id, state_id, answer) values (${p}, ${f.states.rejected!}, ${tx.json({ fr: 'Hors compétence.' })})`);
    const [row] = await as(null, (tx) => tx`select state_id, answered_at is not null as answered from public.proposals where id = ${p}`);
    expect(row).toMatchObject({ state_id: f.states.rejected, answered: true });
    await expect(as(author!, (tx) => tx`insert into public.proposal_answers (proposal_id, state_id) values (${p}, ${f.states.accepted!})`))
      .rejects.toMatchObject({ code: '42501' });
  });
});

describe('counters', () => {
  it('follows and comments (incl. deleted and hidden comments) are counted exactly', async () => {
    const f = await createProposalsComponent(sql);
    const [author, a, b, moderator] = await createUsers(sql, 4, 'cnt');
    await grantRole(sql, f, moderator!, 'moderator');
    const p = await createProposal(sql, f, author!);
    expect((await countsOf(sql, p)).follows_count).toBe(1);
    await as(a!, (tx) => tx`insert into public.follows (resource_type, resource_id) values ('proposal', ${p})`);
    await as(b!, (tx) => tx`insert into public.follows (resource_type, resource_id) values ('proposal', ${p})`);
    await as(b!, (tx) => tx`delete from public.follows where resource_type = 'proposal' and resource_id = ${p}`);
    expect((await countsOf(sql, p)).follows_count).toBe(2);

    const comment = (u: string, body: string) =>
      as(u, async (tx) => (await tx<{ id: string }[]>`insert into public.comments (resource_type, resource_id, component_id, body)
                                                     values ('proposal', ${p}, ${f.componentId}, ${body}) returning id`)[0]!.id);
    const c1 = await comment(a!, 'Très bonne idée.');
    const c2 = await comment(b!, 'Je ne suis pas d’accord.');
    await Promise.all(Array.from({ length: 8 }, (_, i) => comment(i % 2 ? a! : b!, `Commentaire ${i}`)));
    expect((await countsOf(sql, p)).comments_count).toBe(10);
    await as(a!, (tx) => tx`update public.comments set deleted_at = now() where id = ${c1}`);
    await as(moderator!, (tx) => tx`update public.comments set hidden_at = now() where id = ${c2}`);
    expect((await countsOf(sql, p)).comments_count).toBe(8);
    await as(moderator!, (tx) => tx`update public.comments set hidden_at = null where id = ${c2}`);
    expect((await countsOf(sql, p)).comments_count).toBe(9);
    const [{ n }] = await sql`select count(*)::int as n from public.comments where resource_type = 'proposal' and resource_id = ${p}
                              and deleted_at is null and hidden_at is null` as [{ n: number }];
    expect(n).toBe(9);
  });

  it('a draft has no comments nor follows from others', async () => {
    const f = await createProposalsComponent(sql);
    const [author, other] = await createUsers(sql, 2, 'dcnt');
    const d = await createProposal(sql, f, author!, { published: false });
    await expect(as(other!, (tx) => tx`insert into public.follows (resource_type, resource_id) values ('proposal', ${d})`))
      .rejects.toMatchObject({ code: '42501' });
    await expect(as(other!, (tx) => tx`insert into public.comments (resource_type, resource_id, component_id, body) values ('proposal', ${d}, ${f.componentId}, 'Vu !')`))
      .rejects.toBeTruthy();
  });
});

describe('geography without PostGIS', () => {
  it('geo_distance_m: known distances', async () => {
    const [r] = await sql<{ paris_lyon: number; same: number; quarter: number }[]>`
      select public.geo_distance_m(48.8566, 2.3522, 45.7640, 4.8357) as paris_lyon,
             public.geo_distance_m(47.5, 2.85, 47.5, 2.85) as same,
             public.geo_distance_m(0, 0, 0, 90) as quarter`;
    expect(r!.paris_lyon).toBeGreaterThan(392_000 * 0.99);
    expect(r!.paris_lyon).toBeLessThan(392_000 * 1.01);
    expect(r!.same).toBe(0);
    expect(r!.quarter).toBeCloseTo((Math.PI / 2) * 6371008.8, 0);
  });

  it('geo_in_box, including boxes across the antimeridian', async () => {
    const rows = await sql<{ inside: boolean }[]>`
      select public.geo_in_box(lat, lng, s, w, n, e) as inside from (values
        (47.5, 2.85, 47.0, 2.0, 48.0, 3.0),
        (47.5, 3.5, 47.0, 2.0, 48.0, 3.0),
        (48.5, 2.5, 47.0, 2.0, 48.0, 3.0),
        (-17.0, 179.5, -20.0, 170.0, -10.0, -170.0),
        (-17.0, -179.5, -20.0, 170.0, -10.0, -170.0),
        (-17.0, 0.0, -20.0, 170.0, -10.0, -170.0),
        (-17.0, -160.0, -20.0, 170.0, -10.0, -170.0)
      ) as t(lat, lng, s, w, n, e)`;
    expect(rows.map((r) => r.inside)).toEqual([true, false, false, true, true, false, false]);
  });

  it('geo_box_around holds every point within the radius (random points, poles and antimeridian included)', async () => {
    const centres: [number, number][] = [[47.5, 2.85], [0, 0], [0, 179.9], [-33.9, -179.95], [89.5, 10], [-89.9, 0], [60, -179]];
    for (let i = 0; i < 40; i++) centres.push([Math.random() * 170 - 85, Math.random() * 360 - 180]);
    const lat: number[] = [], lng: number[] = [], clat: number[] = [], clng: number[] = [], radius: number[] = [];
    for (const [cl, cg] of centres) {
      const r = [500, 5_000, 50_000, 500_000][Math.floor(Math.random() * 4)]!;
      const spread = (r / 111_000) * 1.2;
      for (let k = 0; k < 50; k++) {
        clat.push(cl); clng.push(cg); radius.push(r);
        lat.push(Math.max(-90, Math.min(90, cl + (Math.random() * 2 - 1) * spread)));
        let g = cg + ((Math.random() * 2 - 1) * spread) / Math.max(0.01, Math.cos((cl * Math.PI) / 180));
        g = ((((g + 180) % 360) + 360) % 360) - 180;
        lng.push(g);
      }
    }
    const rows = await sql<{ within: boolean; inside: boolean; lat: number; lng: number; clat: number; clng: number; r: number }[]>`
      select public.geo_distance_m(t.clat, t.clng, t.lat, t.lng) <= t.r as within,
             public.geo_in_box(t.lat, t.lng, b.south, b.west, b.north, b.east) as inside, t.lat, t.lng, t.clat, t.clng, t.r
      from unnest(${lat}::float8[], ${lng}::float8[], ${clat}::float8[], ${clng}::float8[], ${radius}::float8[]) as t(lat, lng, clat, clng, r),
           lateral public.geo_box_around(t.clat, t.clng, t.r) b`;
    const within = rows.filter((r) => r.within);
    expect(within.length).toBeGreaterThan(500);
    expect(within.filter((r) => !r.inside)).toEqual([]);
  });
});
