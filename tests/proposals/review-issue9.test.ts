import type { SupabaseClient } from '@supabase/supabase-js';
import type postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { listAdminProposals } from '../../src/features/proposals/admin/queries.server.ts';
import { getProposal, listAmendments } from '../../src/features/proposals/detail-queries.server.ts';
import { proposalsManifest } from '../../src/features/proposals/manifest.ts';
import { asUser, closeDb } from '../../src/lib/db/index.ts';
import { anonClient, forgeJwt } from '../auth/helpers.ts';
import { errorOf, userClaims } from '../db/fixtures.ts';
import { connectTestDb } from '../helpers/db.ts';
import { deliverNotifications } from '../helpers/notifications.ts';
import { sleep, subscribe, waitFor } from '../realtime/helpers.ts';
import { Browser } from '../web/helpers.ts';
import { createProposal, createProposalsComponent, createUsers, grantRole, support, updatePhase, updateSettings } from './fixtures.ts';
import { act, alertText, person, proposalsPlace, published, type Person } from './page-fixtures.ts';

/*
 * Findings of the adversarial review (issue 9) on proposals, each reproduced on the paths a
 * Supabase project exposes: SQL as the API roles (what PostgREST runs), the site's forms (the
 * actions and their use cases), the query modules, and Realtime with the real supabase-js.
 *   3. authors rewriting their proposal after the edit window through their own amendment;
 *   4. support counts leaking while the phase hides them (column, broadcasts, `updated_at`);
 *   5. tightened settings locking moderation and withdrawal of existing proposals;
 *   7. "participants only" amendments out of reach of the amended proposal's authors;
 *   8. the co-author invitation telling whose account an email is.
 */

let sql: postgres.Sql;
const clients: SupabaseClient[] = [];
beforeAll(() => {
  // The app's own pool (src/lib/db), used by the query modules, reaches the test stack's database.
  const stack = inject('stack');
  Object.assign(process.env, {
    DATABASE_URL: stack.databaseUrl,
    SUPABASE_URL: stack.supabaseUrl,
    SUPABASE_ANON_KEY: stack.anonKey,
    SUPABASE_SERVICE_ROLE_KEY: stack.serviceRoleKey,
    SUPABASE_JWT_SECRET: stack.jwtSecret,
  });
  sql = connectTestDb();
});
afterAll(async () => {
  for (const c of clients) await c.removeAllChannels();
  await sql.end();
  await closeDb();
});

/**
 * An emendation written by `userId` as the app writes it: without RETURNING (where amendments are
 * seen by their authors only, the new row is its author's only once the trigger made them one).
 */
async function amend(componentId: string, userId: string, amendsId: string, title: string): Promise<string> {
  await as(userId, (tx) => tx`
    insert into public.proposals (component_id, title, body, published_at, amends_id)
    values (${componentId}, ${title}, ${LONG_BODY}, now(), ${amendsId})`);
  const [row] = await sql<{ id: string }[]>`select id from public.proposals where amends_id = ${amendsId} and title = ${title}`;
  return row!.id;
}

const as = <T>(userId: string | null, fn: (tx: postgres.TransactionSql) => Promise<T>) =>
  asUser(userId ? userClaims(userId) : null, fn as never, sql) as Promise<T>;
const LONG_BODY = `<p>${'Une proposition détaillée, argumentée et assez longue. '.repeat(6)}</p>`;

describe('3. authors do not amend their own proposal', () => {
  it('neither the author nor an accepted co-author creates an emendation of it', async () => {
    const f = await createProposalsComponent(sql);
    const [author, coauthor, other] = await createUsers(sql, 3, 'amendown');
    const p = await createProposal(sql, f, author!);
    await as(author!, (tx) => tx`select * from public.invite_coauthor(${p}::uuid, (select nickname from public.profiles where id = ${coauthor!}))`);
    await as(coauthor!, (tx) => tx`update public.proposal_coauthors set status = 'accepted' where proposal_id = ${p} and user_id = ${coauthor!}`);
    for (const who of [author!, coauthor!]) {
      const e = await errorOf(sql, userClaims(who), (tx) => tx`
        insert into public.proposals (component_id, title, body, published_at, amends_id)
        values (${f.componentId}, 'Ma propre version', ${LONG_BODY}, now(), ${p})`);
      expect(e).toMatchObject({ code: '23514', constraint_name: 'proposals_amend_own' });
    }
    // Anybody else still amends it.
    await createProposal(sql, f, other!, { amendsId: p, title: 'Une autre version' });
  });

  it('accepting an amendment after the edit window is refused: the proposal keeps its text', async () => {
    const f = await createProposalsComponent(sql, { settings: { proposal_edit_time: 'limited', edit_time_minutes: 5 } });
    const [author, amender] = await createUsers(sql, 2, 'amendwin');
    const late = await createProposal(sql, f, author!, { title: 'Le texte publié il y a une heure' });
    await sql`update public.proposals set published_at = now() - interval '1 hour' where id = ${late}`;
    const e1 = await createProposal(sql, f, amender!, { amendsId: late, title: 'Le texte que l’auteur voudrait glisser' });
    const refused = await errorOf(sql, userClaims(author!), (tx) => tx`select public.react_to_amendment(${e1}, true)`);
    expect(refused).toMatchObject({ code: '23514', constraint_name: 'proposals_edit_window' });
    const [row] = await sql<{ title: string; state: string }[]>`
      select p.title, e.amendment_state as state from public.proposals p join public.proposals e on e.amends_id = p.id
      where p.id = ${late} and e.id = ${e1}`;
    expect(row).toEqual({ title: 'Le texte publié il y a une heure', state: 'evaluating' });
    // Rejecting stays possible; within the window, accepting too.
    await as(author!, (tx) => tx`select public.react_to_amendment(${e1}, false)`);
    const fresh = await createProposal(sql, f, author!, { title: 'Un texte publié à l’instant' });
    const e2 = await createProposal(sql, f, amender!, { amendsId: fresh, title: 'Une version amendée à temps' });
    await as(author!, (tx) => tx`select public.react_to_amendment(${e2}, true)`);
    expect((await sql<{ title: string }[]>`select title from public.proposals where id = ${fresh}`)[0]!.title).toBe('Une version amendée à temps');
  });

  it('nobody becomes an author of both sides of an amendment, nor answers their own', async () => {
    const f = await createProposalsComponent(sql);
    const [author, amender] = await createUsers(sql, 2, 'amendboth');
    const [authorNick, amenderNick] = (await sql<{ nickname: string }[]>`
      select nickname from public.profiles where id in (${author!}, ${amender!}) order by id = ${author!} desc`).map((r) => r.nickname);
    const p = await createProposal(sql, f, author!);
    const e = await createProposal(sql, f, amender!, { amendsId: p });
    // The amender invites the amended proposal's author onto the amendment: refused.
    expect(await errorOf(sql, userClaims(amender!), (tx) => tx`select * from public.invite_coauthor(${e}::uuid, ${authorNick!})`)).toMatchObject({
      constraint_name: 'proposals_amend_own',
    });
    expect(await errorOf(sql, userClaims(amender!), (tx) => tx`insert into public.proposal_coauthors (proposal_id, user_id) values (${e}, ${author!})`))
      .toMatchObject({ constraint_name: 'proposals_amend_own' });
    // The author invites the amender onto the proposal while the amendment waits: refused too.
    expect(await errorOf(sql, userClaims(author!), (tx) => tx`select * from public.invite_coauthor(${p}::uuid, ${amenderNick!})`)).toMatchObject({
      constraint_name: 'proposals_amend_own',
    });
    // An invitation sent before (written as the owner) is not accepted either.
    await sql`insert into public.proposal_coauthors (proposal_id, user_id, status, invited_by) values (${e}, ${author!}, 'invited', ${amender!})`;
    expect(await errorOf(sql, userClaims(author!), (tx) => tx`
      update public.proposal_coauthors set status = 'accepted' where proposal_id = ${e} and user_id = ${author!}`)).toMatchObject({
      constraint_name: 'proposals_amend_own',
    });
    // And should someone be on both sides (written as the owner), they do not answer their own amendment.
    await sql`update public.proposal_coauthors set status = 'accepted', accepted_at = now() where proposal_id = ${e} and user_id = ${author!}`;
    expect(await errorOf(sql, userClaims(author!), (tx) => tx`select public.react_to_amendment(${e}, true)`)).toMatchObject({
      constraint_name: 'proposals_amend_own',
    });
  });

  it('the page offers its authors no amendment form, and no "accept" once the text may no longer be edited', async () => {
    const place = await proposalsPlace();
    const [alice, bob] = await Promise.all([person('Alice Autrice'), person('Bob Amendeur')]);
    const p = await published(place, alice.id, { publishedAt: new Date(Date.now() - 3_600_000) });
    const own = await alice.browser.get(place.page(p));
    expect(own.html).not.toContain('_action=proposals.createAmendment');
    const bobs = await bob.browser.get(place.page(p));
    expect(bobs.html).toContain('_action=proposals.createAmendment');
    const posted = await alice.browser.post(act(place.page(p), 'createAmendment'), { proposal_id: p, title: 'Ma version tardive', body: 'Un texte tardif assez long pour passer.' });
    expect(posted.status).toBe(422);
    expect(alertText(posted)).toContain('Les auteur·es d’une proposition ne l’amendent pas');
    const e = await createProposal(sql, { componentId: place.componentId } as never, bob.id, { amendsId: p });
    const page = await alice.browser.get(place.page(p));
    expect(page.html).toContain(`data-amendment-id="${e}"`);
    expect(page.html).not.toMatch(/name="accept" value="true"/);
    expect(page.html).toMatch(/name="accept" value="false"/);
    const accept = await alice.browser.post(act(place.page(p), 'reactToAmendment'), { emendation_id: e, accept: 'true' });
    expect(accept.status).toBe(422);
    expect(alertText(accept)).toContain('Le délai de modification de cette proposition est dépassé.');
  });
});

describe('4. hidden supports are hidden on every path', () => {
  it('the count columns are not selectable by the API roles; the counts function answers nothing while hidden, admins still read them', async () => {
    const f = await createProposalsComponent(sql, { phase: { votes_hidden: true } });
    const [author, fan, citizen, admin] = await createUsers(sql, 4, 'hidcol');
    await grantRole(sql, f, admin!, 'admin');
    const p = await createProposal(sql, f, author!);
    await support(sql, fan!, p);
    // What `/rest/v1/proposals?select=supports_count` runs, as anon and as a signed-in citizen.
    for (const who of [null, citizen!]) {
      for (const column of ['supports_count', 'pending_supports', '*']) {
        const e = await errorOf(sql, who ? userClaims(who) : null, (tx) => tx.unsafe(`select ${column} from public.proposals where id = $1`, [p]));
        expect(e.code, `${column} as ${who ?? 'anon'}`).toBe('42501');
      }
      expect(await as(who, (tx) => tx`select * from private.proposal_supports(array[${p}::uuid])`)).toEqual([]);
      expect(await as(who, (tx) => tx`select * from private.component_proposal_supports(array[${f.componentId}::uuid])`)).toEqual([]);
    }
    // The other columns still read as before.
    expect(await as(citizen!, (tx) => tx`select id, title, likes_count from public.proposals where id = ${p}`)).toHaveLength(1);
    // The space's admin reads the count (the admin list too); the public page shows none.
    expect(await as(admin!, (tx) => tx`select supports from private.proposal_supports(array[${p}::uuid])`)).toEqual([{ supports: 1 }]);
    const ctx = { componentId: f.componentId, spaceId: f.spaceId, isAdmin: true } as Parameters<typeof listAdminProposals>[1];
    const adminList = await listAdminProposals(userClaims(admin!), ctx, {});
    expect(adminList.rows.find((r) => r.id === p)?.supports).toBe(1);
    expect((await getProposal(userClaims(admin!), f.componentId, p))?.supports).toBeNull();
    expect((await getProposal(userClaims(citizen!), f.componentId, p))?.supports).toBeNull();
    // The public statistics (the space and home pages) count none of them.
    const supportsStat = proposalsManifest.stats.find((st) => st.key === 'supports')!;
    expect(await as(null, (tx) => supportsStat.count(tx, [f.componentId]))).toBe(0);
    // Shown again: everybody reads it, through the function.
    await updatePhase(sql, f, { votes_hidden: false });
    expect(await as(null, (tx) => tx`select supports from private.proposal_supports(array[${p}::uuid])`)).toEqual([{ supports: 1 }]);
    expect((await getProposal(userClaims(citizen!), f.componentId, p))?.supports).toBe(1);
    expect(await as(null, (tx) => supportsStat.count(tx, [f.componentId]))).toBe(1);
  });

  it('a support while hidden writes no broadcast at all and does not move the public updated_at', async () => {
    const f = await createProposalsComponent(sql, { phase: { votes_hidden: true } });
    const [author, fan, other] = await createUsers(sql, 3, 'hidbc');
    const p = await createProposal(sql, f, author!);
    const messages = async () =>
      (await sql<{ n: number }[]>`select count(*)::int as n from realtime.messages where topic = ${`proposals:${f.componentId}`}
                                  and payload ->> 'proposal_id' = ${p}`)[0]!.n;
    const updatedAt = async () => (await as(null, (tx) => tx<{ u: Date }[]>`select updated_at as u from public.proposals where id = ${p}`))[0]!.u.getTime();
    const [before, stamp] = [await messages(), await updatedAt()];
    await support(sql, fan!, p);
    await support(sql, other!, p);
    await asUser(userClaims(fan!), (tx) => tx`delete from public.proposal_supports where proposal_id = ${p}`, sql);
    expect(await messages()).toBe(before);
    expect(await updatedAt()).toBe(stamp);
    // A like is still announced (its count is public), without a word about supports.
    await as(fan!, (tx) => tx`insert into public.likes (resource_type, resource_id) values ('proposal', ${p})`);
    expect(await messages()).toBe(before + 1);
    const [last] = await sql<{ payload: Record<string, unknown> }[]>`
      select payload from realtime.messages where topic = ${`proposals:${f.componentId}`} and payload ->> 'proposal_id' = ${p}
      order by inserted_at desc, id desc limit 1`;
    expect(last!.payload).toMatchObject({ changes: ['likes'], likes: 1 });
    expect(last!.payload).not.toHaveProperty('supports');
  });

  it('a Realtime subscriber of the component hears nothing when someone supports while hidden', async () => {
    const f = await createProposalsComponent(sql, { phase: { votes_hidden: true } });
    const [author, fan, listener] = await createUsers(sql, 3, 'hidrt');
    const p = await createProposal(sql, f, author!);
    const heard: { proposal_id: string; changes: string[] }[] = [];
    for (const who of [undefined, listener]) {
      const client = anonClient();
      clients.push(client);
      if (who) await client.realtime.setAuth(forgeJwt({ role: 'authenticated', aud: 'authenticated', sub: who, exp: Math.floor(Date.now() / 1000) + 3600 }));
      const ch = client
        .channel(`proposals:${f.componentId}`, { config: { private: true } })
        .on('broadcast', { event: 'proposal' }, (m: { payload: { proposal_id: string; changes: string[] } }) => heard.push(m.payload));
      expect((await subscribe(ch)).status).toBe('SUBSCRIBED');
    }
    await support(sql, fan!, p);
    await sleep(600);
    // Creating the proposal (and its author following it) may still be on its way when the
    // machine is busy: those say nothing of supports. Anything else would be the support.
    const sinceCreation = () => heard.filter((h) => !h.changes.every((c) => c === 'created' || c === 'follows'));
    expect(sinceCreation()).toEqual([]);
    // The channel works: a like is heard by both.
    await as(fan!, (tx) => tx`insert into public.likes (resource_type, resource_id) values ('proposal', ${p})`);
    await waitFor(() => sinceCreation().length >= 2, 5000, 'the like');
    await sleep(200);
    expect(sinceCreation().map((h) => h.changes)).toEqual([['likes'], ['likes']]);
    // Counts shown: a support is heard again.
    await updatePhase(sql, f, { votes_hidden: false });
    const [other] = await createUsers(sql, 1, 'hidrt2');
    await support(sql, other!, p);
    await waitFor(() => sinceCreation().length >= 4, 5000, 'the support');
    expect(sinceCreation().slice(2).map((h) => h.changes)).toEqual([['supports'], ['supports']]);
  });
});

describe('5. content rules apply to content edits only', () => {
  it('after the settings are tightened, an existing proposal is still hidden, withdrawn and answered; its text edits meet the new rules', async () => {
    const place = await proposalsPlace({ proposal_length: 1000, geocoding_enabled: true, proposal_edit_time: 'infinite' });
    const [author, moderator] = await Promise.all([person('Alice Géolocalisée'), person('Mona Modératrice')]);
    await sql`insert into public.space_roles (space_id, user_id, role) values (${place.spaceId}, ${moderator.id}, 'moderator')`;
    const f = { componentId: place.componentId } as never;
    const located = { body: LONG_BODY, address: '1 place de la Mairie', latitude: 47.1, longitude: 2.3 };
    const [hideMe, withdrawMe, answerMe, editMe] = await Promise.all([1, 2, 3, 4].map(() => createProposal(sql, f, author.id, located)));
    await updateSettings(sql, f, { proposal_length: 50, geocoding_enabled: false });

    // The moderator hides and shows one from the moderation queue; the author withdraws another.
    const queue = `/fr/admin/spaces/${place.spaceId}/moderation`;
    expect((await moderator.browser.post(`${queue}?_action=proposalsAdmin.hideProposal`, { proposal_id: hideMe!, hidden: 'true' })).status).toBe(303);
    expect((await moderator.browser.post(`${queue}?_action=proposalsAdmin.hideProposal`, { proposal_id: hideMe!, hidden: 'false' })).status).toBe(303);
    expect((await author.browser.post(act(place.page(withdrawMe!), 'withdrawProposal'), { proposal_id: withdrawMe!, confirm: 'yes' })).status).toBe(303);
    // The organization answers a third (its answer is copied onto the proposal by the database).
    await as(moderator.id, (tx) => tx`update public.proposals set hidden_at = now() where id = ${answerMe!}`);
    await as(moderator.id, (tx) => tx`update public.proposals set hidden_at = null where id = ${answerMe!}`);
    await sql`insert into public.proposal_answers (proposal_id, component_id, state_id, answer)
              select ${answerMe!}, ${place.componentId}, s.id, ${sql.json({ fr: 'À l’étude' })}
              from public.proposal_states s where s.component_id = ${place.componentId} and s.token = 'evaluating'`;
    const rows = await sql<{ id: string; hidden: boolean; withdrawn: boolean; answered: boolean }[]>`
      select id, hidden_at is not null as hidden, withdrawn_at is not null as withdrawn, answered_at is not null as answered
      from public.proposals where id in (${hideMe!}, ${withdrawMe!}, ${answerMe!}) order by id = ${hideMe!} desc, id = ${withdrawMe!} desc`;
    expect(rows).toEqual([
      { id: hideMe, hidden: false, withdrawn: false, answered: false },
      { id: withdrawMe, hidden: false, withdrawn: true, answered: false },
      { id: answerMe, hidden: false, withdrawn: false, answered: true },
    ]);

    // A text edit meets the rules in force: a longer body, or a new address, is refused…
    expect(await errorOf(sql, userClaims(author.id), (tx) => tx`update public.proposals set body = ${LONG_BODY + ' '} where id = ${editMe!}`))
      .toMatchObject({ constraint_name: 'proposals_body_length' });
    expect(await errorOf(sql, userClaims(author.id), (tx) => tx`update public.proposals set address = '4 rue Neuve' where id = ${editMe!}`))
      .toMatchObject({ constraint_name: 'proposals_geocoding' });
    // … while a title edit is not refused for the body and the address it leaves as they were.
    await as(author.id, (tx) => tx`update public.proposals set title = 'Un titre corrigé à temps' where id = ${editMe!}`);
    expect((await sql<{ title: string }[]>`select title from public.proposals where id = ${editMe!}`)[0]!.title).toBe('Un titre corrigé à temps');
  });
});

describe('7. amendments visible to participants only reach the amended proposal’s authors', () => {
  it('its authors see, list and answer them (database, query module, page); other people do not see them', async () => {
    const place = await proposalsPlace({ proposal_edit_time: 'infinite' }, { amendments_visibility: 'participants' });
    const [alice, bob, carol] = await Promise.all([person('Alice Amendée'), person('Bob Amendeur'), person('Carol Passante')]);
    const p = await published(place, alice.id, { title: 'La proposition amendée en privé' });
    const e1 = await amend(place.componentId, bob.id, p, 'Première version de Bob');
    const e2 = await amend(place.componentId, bob.id, p, 'Seconde version de Bob');
    // RLS: the amended proposal's author reads them; a passer-by and a visitor do not.
    expect(await as(alice.id, (tx) => tx`select id from public.proposals where amends_id = ${p} order by number`)).toEqual([{ id: e1 }, { id: e2 }]);
    expect(await as(carol.id, (tx) => tx`select id from public.proposals where amends_id = ${p}`)).toEqual([]);
    expect(await as(null, (tx) => tx`select id from public.proposals where amends_id = ${p}`)).toEqual([]);
    expect((await listAmendments(userClaims(alice.id), p)).map((a) => a.id)).toEqual([e1, e2]);
    expect(await listAmendments(userClaims(carol.id), p)).toEqual([]);
    // The page lists them with the buttons to answer; the emendation's own page opens for her.
    const page = await alice.browser.get(place.page(p));
    expect(page.html).toContain(`data-amendment-id="${e1}"`);
    expect(page.html).toMatch(/name="accept" value="true"/);
    expect((await alice.browser.get(place.page(e1))).status).toBe(200);
    expect((await carol.browser.get(place.page(e1))).status).toBe(404);
    expect((await new Browser().get(place.page(p))).html).not.toContain(e1);
    // She answers them through the page: one rejected, the other accepted.
    expect((await alice.browser.post(act(place.page(p), 'reactToAmendment'), { emendation_id: e1, accept: 'false' })).status).toBe(303);
    const accepted = await alice.browser.post(act(place.page(p), 'reactToAmendment'), { emendation_id: e2, accept: 'true' });
    expect(accepted.status).toBe(303);
    const rows = await sql<{ id: string; state: string }[]>`select id, amendment_state as state from public.proposals where amends_id = ${p} order by number`;
    expect(rows).toEqual([{ id: e1, state: 'rejected' }, { id: e2, state: 'accepted' }]);
    expect((await sql<{ title: string }[]>`select title from public.proposals where id = ${p}`)[0]!.title).toBe('Seconde version de Bob');
  });
});

describe('8. co-authors are invited by nickname: the answer never tells whose account an email is', () => {
  let alice: Person;
  let carol: Person;
  beforeAll(async () => {
    [alice, carol] = await Promise.all([person('Alice Invitante'), person('Carol Inscrite')]);
  });

  it('a known email and an unknown one get the same answer, through the site and the database; nobody is invited', async () => {
    const place = await proposalsPlace();
    const p = await published(place, alice.id);
    const known = await alice.browser.post(act(place.page(p), 'inviteCoauthor'), { proposal_id: p, identifier: carol.email });
    const unknown = await alice.browser.post(act(place.page(p), 'inviteCoauthor'), { proposal_id: p, identifier: 'personne-xyz@nulle-part.invalid' });
    expect(known.status).toBe(unknown.status);
    expect(known.status).toBe(400);
    expect(alertText(known)).toBe(alertText(unknown));
    expect(alertText(known)).toContain('Invitez par pseudonyme');
    // Same through the database function PostgREST would expose as RPC: nobody matched.
    const [byEmail] = await as(alice.id, (tx) => tx<{ invitee: string | null; already: boolean }[]>`
      select * from public.invite_coauthor(${p}::uuid, ${carol.email})`);
    const [byUnknown] = await as(alice.id, (tx) => tx<{ invitee: string | null; already: boolean }[]>`
      select * from public.invite_coauthor(${p}::uuid, 'personne-xyz@nulle-part.invalid')`);
    expect(byEmail).toEqual(byUnknown);
    expect(byEmail).toEqual({ invitee: null, already: false });
    expect(await sql`select 1 from public.proposal_coauthors where proposal_id = ${p} and user_id = ${carol.id}`).toHaveLength(0);
    await deliverNotifications(sql, place.spaceId);
    expect(await sql`select 1 from public.notifications where user_id = ${carol.id} and resource_id = ${p}`).toHaveLength(0);
    // By nickname, the invitation is sent.
    expect((await alice.browser.post(act(place.page(p), 'inviteCoauthor'), { proposal_id: p, identifier: `@${carol.nickname}` })).status).toBe(303);
    expect(await sql`select 1 from public.proposal_coauthors where proposal_id = ${p} and user_id = ${carol.id} and status = 'invited'`).toHaveLength(1);
    // The form asks for a nickname, in both languages.
    const fr = await alice.browser.get(place.page(p));
    expect(fr.html).toMatch(/<label[^>]*for="coauthor-identifier"[^>]*>\s*Pseudonyme/);
    const en = await alice.browser.get(place.page(p).replace('/fr/', '/en/'));
    expect(en.html).toMatch(/<label[^>]*for="coauthor-identifier"[^>]*>\s*Nickname/);
  });
});
