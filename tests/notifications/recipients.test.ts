import type postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asUser } from '../../src/lib/db/index.ts';
import { attempt, userClaims } from '../db/fixtures.ts';
import { connectTestDb } from '../helpers/db.ts';
import { createProposal, createProposalsComponent, createUsers, grantRole, type ProposalsFixture } from '../proposals/fixtures.ts';
import { as, commentOn, deliver, lastEventId, nicknameOf, sorted, told } from './fixtures.ts';

/*
 * Every kind of event reaches exactly its recipients, and not the others: the actor, people who
 * may not see it (private spaces, hidden content), blocked accounts. Events are raised by the
 * features' triggers in the transaction of the change, delivered here as the
 * `notifications.deliver` job delivers them (private.deliver_notification_event).
 */

let sql: postgres.Sql;

beforeAll(() => {
  sql = connectTestDb();
});
afterAll(async () => {
  await sql.end();
});

const follow = (who: string, proposal: string) => as(sql, who)((tx) => tx`insert into public.follows (resource_type, resource_id) values ('proposal', ${proposal})`);
const followSpace = (who: string, space: string) => as(sql, who)((tx) => tx`insert into public.space_follows (space_id) values (${space})`);

describe('comments', () => {
  let f: ProposalsFixture;
  let author: string, follower: string, mentioned: string, commenter: string, stranger: string, blocked: string;
  let p: string;

  beforeAll(async () => {
    f = await createProposalsComponent(sql);
    [author, follower, mentioned, commenter, stranger, blocked] = (await createUsers(sql, 6, 'ncom')) as [string, string, string, string, string, string];
    p = await createProposal(sql, f, author);
    await follow(follower, p);
    await follow(blocked, p);
    // An admin blocked this account (GoTrue's ban): it hears nothing any more.
    await sql`update auth.users set banned_until = now() + interval '1 day' where id = ${blocked}`;
  });

  it('a comment tells the people mentioned, and the followers of the resource, never its author; a reply tells the author of its parent', async () => {
    const since = await lastEventId(sql);
    const c = await commentOn(sql, commenter, { type: 'proposal', id: p }, `Bonjour @${await nicknameOf(sql, mentioned)} et @${await nicknameOf(sql, commenter)}`);
    // Nothing is delivered inside the commenter's transaction: the events wait for the job.
    expect(await told(sql, 'comments.mention', { commentId: c })).toEqual([]);
    await deliver(sql, since, f.spaceId);
    expect(await told(sql, 'comments.mention', { commentId: c })).toEqual([mentioned]);
    // The proposal's author follows it (as its creator); the blocked follower hears nothing.
    expect(await told(sql, 'comments.created', { commentId: c })).toEqual(sorted([author, follower]));
    expect(await told(sql, 'comments.reply', { commentId: c })).toEqual([]);

    const since2 = await lastEventId(sql);
    const r = await commentOn(sql, author, { type: 'proposal', id: p }, 'Merci pour votre commentaire', c);
    await deliver(sql, since2, f.spaceId);
    expect(await told(sql, 'comments.reply', { commentId: r })).toEqual([commenter]);
    // The follower hears of the reply as a new comment; the author wrote it.
    expect(await told(sql, 'comments.created', { commentId: r })).toEqual([follower]);
    expect(await told(sql, 'comments.mention', { commentId: r })).toEqual([]);
    // Nobody else at all.
    const everyone = await sql<{ user_id: string }[]>`select user_id from public.notifications where data ->> 'comment_id' in (${c}, ${r})`;
    expect(everyone.map((x) => x.user_id)).not.toContain(stranger);
    expect(everyone.map((x) => x.user_id)).not.toContain(blocked);
  });

  it('a reply that mentions its parent’s author tells them once (as a mention)', async () => {
    const c = await commentOn(sql, commenter, { type: 'proposal', id: p }, 'Premier');
    const since = await lastEventId(sql);
    const r = await commentOn(sql, follower, { type: 'proposal', id: p }, `Réponse à @${await nicknameOf(sql, commenter)}`, c);
    await deliver(sql, since, f.spaceId);
    const rows = await sql<{ user_id: string; kind: string }[]>`select user_id, kind from public.notifications where data ->> 'comment_id' = ${r} order by kind, user_id`;
    expect(rows).toEqual([
      { user_id: author, kind: 'comments.created' },
      { user_id: commenter, kind: 'comments.mention' },
    ]);
  });

  it('a comment hidden before its delivery tells nobody but those who may still see it (moderators)', async () => {
    const [moderator] = await createUsers(sql, 1, 'nmod');
    await grantRole(sql, f, moderator!, 'moderator');
    await follow(moderator!, p);
    const since = await lastEventId(sql);
    const c = await commentOn(sql, commenter, { type: 'proposal', id: p }, `Spam pour @${await nicknameOf(sql, mentioned)}`);
    await as(sql, moderator!)((tx) => tx`update public.comments set hidden_at = now() where id = ${c}`);
    await deliver(sql, since, f.spaceId);
    expect(await told(sql, 'comments.mention', { commentId: c })).toEqual([]);
    expect(await told(sql, 'comments.created', { commentId: c })).toEqual([moderator]);
  });

  it('a rolled-back comment tells nobody', async () => {
    const raised = async () => (await sql`select 1 from public.notification_events where resource_id = ${p} and data ->> 'author_id' = ${commenter}`).length;
    const before = await raised();
    await commentOn(sql, commenter, { type: 'proposal', id: p }, 'Celui-ci est bien envoyé');
    expect(await raised()).toBeGreaterThan(before);
    const since = await raised();
    await expect(
      as(sql, commenter)(async (tx) => {
        await tx`insert into public.comments (resource_type, resource_id, body) values ('proposal', ${p}, ${`Hé @${await nicknameOf(sql, mentioned)}`})`;
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await raised()).toBe(since);
  });
});

describe('private spaces', () => {
  it('only members (and people with a role) hear of what happens in a private space', async () => {
    const f = await createProposalsComponent(sql, { private: true });
    const [member, outsider, author] = (await createUsers(sql, 3, 'npriv')) as [string, string, string];
    await sql`insert into public.space_members (space_id, user_id) values (${f.spaceId}, ${member}), (${f.spaceId}, ${author})`;
    const p = await createProposal(sql, f, author);
    // The outsider followed the space while it was public; it is private now.
    await sql`insert into public.space_follows (space_id, user_id) values (${f.spaceId}, ${outsider}), (${f.spaceId}, ${member})`;
    const since = await lastEventId(sql);
    const c = await commentOn(sql, author, { type: 'proposal', id: p }, `@${await nicknameOf(sql, member)} et @${await nicknameOf(sql, outsider)}, votre avis ?`);
    await deliver(sql, since, f.spaceId);
    expect(await told(sql, 'comments.mention', { commentId: c })).toEqual([member]);

    const since2 = await lastEventId(sql);
    const p2 = await createProposal(sql, f, author);
    await deliver(sql, since2, f.spaceId);
    expect(await told(sql, 'proposals.published', { resourceId: p2 })).toEqual([member]);
    expect(await told(sql, 'proposals.submitted', { resourceId: p2 })).toEqual([author]);
  });
});

describe('proposals', () => {
  it('published: a confirmation to its author, the news to the space’s followers (not the author); a draft tells nobody until published', async () => {
    const f = await createProposalsComponent(sql);
    const [author, spaceFollower, other] = (await createUsers(sql, 3, 'npub')) as [string, string, string];
    await followSpace(spaceFollower, f.spaceId);
    await followSpace(author, f.spaceId);
    const since = await lastEventId(sql);
    const draft = await createProposal(sql, f, author, { published: false });
    await deliver(sql, since, f.spaceId);
    expect(await told(sql, 'proposals.submitted', { resourceId: draft })).toEqual([]);
    expect(await told(sql, 'proposals.published', { resourceId: draft })).toEqual([]);
    await as(sql, author)((tx) => tx`update public.proposals set published_at = now() where id = ${draft}`);
    await deliver(sql, since, f.spaceId);
    expect(await told(sql, 'proposals.submitted', { resourceId: draft })).toEqual([author]);
    expect(await told(sql, 'proposals.published', { resourceId: draft })).toEqual([spaceFollower]);
    expect(await told(sql, 'proposals.published', { resourceId: draft }, [other])).toEqual([]);
  });

  it('answered: every follower (the author among them), not the admin who answered; nothing about a hidden proposal', async () => {
    const f = await createProposalsComponent(sql);
    const [author, follower, admin] = (await createUsers(sql, 3, 'nans')) as [string, string, string];
    await grantRole(sql, f, admin, 'admin');
    const p = await createProposal(sql, f, author);
    await follow(follower, p);
    await follow(admin, p);
    const since = await lastEventId(sql);
    await as(sql, admin)((tx) => tx`insert into public.proposal_answers (proposal_id, state_id, answer) values (${p}, ${f.states['accepted']!}, ${tx.json({ fr: 'Oui' })})`);
    await deliver(sql, since, f.spaceId);
    expect(await told(sql, 'proposals.answered', { resourceId: p })).toEqual(sorted([author, follower]));
    const [row] = await sql<{ data: Record<string, unknown> }[]>`select data from public.notifications where kind = 'proposals.answered' and resource_id = ${p} limit 1`;
    expect(row!.data).toMatchObject({ state: { fr: 'Acceptée', en: 'Accepted' }, title: expect.any(String), space_id: f.spaceId, component_id: f.componentId });
    // Hidden by a moderator, then answered again: its followers no longer hear of it.
    await as(sql, admin)((tx) => tx`update public.proposals set hidden_at = now() where id = ${p}`);
    const since2 = await lastEventId(sql);
    await as(sql, admin)((tx) => tx`update public.proposal_answers set state_id = ${f.states['rejected']!} where proposal_id = ${p}`);
    await deliver(sql, since2, f.spaceId);
    expect(await told(sql, 'proposals.answered', { resourceId: p })).toEqual(sorted([author, follower]));
  });

  it('an amendment tells the amended proposal’s authors and followers; its answer tells its own authors', async () => {
    const f = await createProposalsComponent(sql);
    const [author, follower, amender] = (await createUsers(sql, 3, 'namd')) as [string, string, string];
    const p = await createProposal(sql, f, author);
    await follow(follower, p);
    const since = await lastEventId(sql);
    const e = await createProposal(sql, f, amender, { amendsId: p, title: 'Un amendement utile' });
    await deliver(sql, since, f.spaceId);
    expect(await told(sql, 'proposals.amended', { resourceId: p })).toEqual(sorted([author, follower]));
    expect(await told(sql, 'proposals.submitted', { resourceId: e })).toEqual([]);
    const since2 = await lastEventId(sql);
    await as(sql, author)((tx) => tx`select public.react_to_amendment(${e}, false)`);
    await deliver(sql, since2, f.spaceId);
    expect(await told(sql, 'proposals.amendment_answered', { resourceId: e })).toEqual([amender]);
  });

  it('an invitation to co-author tells the invitee only', async () => {
    const f = await createProposalsComponent(sql);
    const [author, invitee, follower] = (await createUsers(sql, 3, 'ninv')) as [string, string, string];
    const p = await createProposal(sql, f, author);
    await follow(follower, p);
    const since = await lastEventId(sql);
    await as(sql, author)((tx) => tx`insert into public.proposal_coauthors (proposal_id, user_id) values (${p}, ${invitee})`);
    await deliver(sql, since, f.spaceId);
    expect(await told(sql, 'proposals.coauthor_invited', { resourceId: p })).toEqual([invitee]);
  });
});

describe('spaces', () => {
  it('a phase change tells the space’s followers and, in a private space, its members', async () => {
    const f = await createProposalsComponent(sql, { private: true });
    const [member, follower, outsider, admin] = (await createUsers(sql, 4, 'nphase')) as [string, string, string, string];
    await sql`insert into public.space_members (space_id, user_id) values (${f.spaceId}, ${member}), (${f.spaceId}, ${follower})`;
    await sql`insert into public.space_follows (space_id, user_id) values (${f.spaceId}, ${follower}), (${f.spaceId}, ${outsider})`;
    await grantRole(sql, f, admin, 'admin');
    const [next] = await sql<{ id: string }[]>`insert into public.phases (space_id, position, title) values (${f.spaceId}, 2, ${sql.json({ fr: 'Vote', en: 'Vote' })}) returning id`;
    const since = await lastEventId(sql);
    await as(sql, admin)((tx) => tx`select public.activate_phase(${next!.id})`);
    await deliver(sql, since, f.spaceId);
    const rows = await sql<{ user_id: string; data: Record<string, unknown> }[]>`
      select user_id, data from public.notifications where kind = 'spaces.phase_changed' and data ->> 'phase_id' = ${next!.id} order by user_id`;
    expect(rows.map((r) => r.user_id)).toEqual(sorted([member, follower]));
    expect(rows[0]!.data).toMatchObject({ phase_title: { fr: 'Vote' }, space_id: f.spaceId });
  });
});

describe('delivery', () => {
  it('exactly once per person and event when several workers deliver the same event at once', async () => {
    const f = await createProposalsComponent(sql);
    const [author] = await createUsers(sql, 1, 'nonce');
    const followers = await createUsers(sql, 30, 'nonce-f');
    const p = await createProposal(sql, f, author!);
    await sql`insert into public.follows (resource_type, resource_id, user_id) select 'proposal', ${p}, unnest(${followers}::uuid[])`;
    const since = await lastEventId(sql);
    await commentOn(sql, author!, { type: 'proposal', id: p }, 'Une nouvelle pour vous tous');
    const [event] = await sql<{ id: string }[]>`select id from public.notification_events where id > ${since} and kind = 'comments.created' and resource_id = ${p}`;
    const conns = Array.from({ length: 4 }, () => connectTestDb());
    try {
      const counts = await Promise.all(conns.map((c) => c<{ n: number }[]>`select private.deliver_notification_event(${event!.id}) as n`));
      // One of them told the 30 (unless another test's delivery got there first: then none did).
      expect([[30, 0, 0, 0], [0, 0, 0, 0]]).toContainEqual(counts.map((c) => c[0]!.n).sort((a, b) => b - a));
    } finally {
      await Promise.all(conns.map((c) => c.end()));
    }
    const [n] = await sql<{ rows: number; people: number }[]>`
      select count(*)::int as rows, count(distinct user_id)::int as people from public.notifications where event_id = ${event!.id}`;
    expect(n).toEqual({ rows: 30, people: 30 });
    // The same row twice is refused by the database itself.
    await expect(sql`insert into public.notifications (user_id, kind, event_id) values (${followers[0]!}, 'comments.created', ${event!.id})`).rejects.toMatchObject({
      code: '23505',
    });
  });

  it('records how each email goes out: the person’s choice for the kind, else their general choice; never without an address', async () => {
    const f = await createProposalsComponent(sql);
    const [author, daily, never, silentMentions, plain] = (await createUsers(sql, 5, 'nfreq')) as [string, string, string, string, string];
    const p = await createProposal(sql, f, author);
    for (const u of [daily, never, silentMentions, plain]) await follow(u, p);
    await as(sql, daily)((tx) => tx`update public.profile_preferences set notifications_digest = 'daily' where id = ${daily}`);
    await as(sql, never)((tx) => tx`insert into public.notification_settings (kind, email) values ('comments.created', 'never')`);
    await as(sql, silentMentions)((tx) => tx`update public.profile_preferences set email_on_mention = false where id = ${silentMentions}`);
    const since = await lastEventId(sql);
    const c = await commentOn(sql, author, { type: 'proposal', id: p }, `Avis à @${await nicknameOf(sql, silentMentions)}`);
    await deliver(sql, since, f.spaceId);
    const rows = await sql<{ user_id: string; kind: string; email: string; emailed: boolean; queued: boolean }[]>`
      select n.user_id, n.kind, n.email, n.emailed_at is not null as emailed,
             exists (select 1 from public.notification_emails e where n.id = any (e.notification_ids)) as queued
      from public.notifications n where n.data ->> 'comment_id' = ${c}`;
    const by = Object.fromEntries(rows.map((r) => [r.user_id, r]));
    expect(by[daily]).toMatchObject({ kind: 'comments.created', email: 'daily', emailed: false, queued: false });
    expect(by[never]).toMatchObject({ kind: 'comments.created', email: 'never', queued: false });
    expect(by[silentMentions]).toMatchObject({ kind: 'comments.mention', email: 'never', queued: false });
    expect(by[plain]).toMatchObject({ kind: 'comments.created', email: 'immediate', emailed: true, queued: true });
  });
});

describe('row-level security', () => {
  it('events and emails are nobody’s through the API; settings, space follows and notifications are each person’s own', async () => {
    const [a, b] = (await createUsers(sql, 2, 'nrls')) as [string, string];
    const f = await createProposalsComponent(sql);
    for (const who of [null, userClaims(a)]) {
      for (const table of ['notification_events', 'notification_emails']) {
        const r = await attempt(sql, who, (tx) => tx.unsafe(`select 1 from public.${table} limit 1`));
        expect(r.ok).toBe(false);
      }
    }
    await as(sql, a)((tx) => tx`insert into public.notification_settings (kind, email) values ('comments.reply', 'weekly')`);
    await as(sql, a)((tx) => tx`insert into public.space_follows (space_id) values (${f.spaceId})`);
    expect(await as(sql, b)((tx) => tx`select 1 from public.notification_settings where user_id = ${a}`)).toHaveLength(0);
    expect(await as(sql, b)((tx) => tx`select 1 from public.space_follows where user_id = ${a}`)).toHaveLength(0);
    // Nobody writes for someone else, nor an unknown frequency.
    await expect(as(sql, b)((tx) => tx`insert into public.notification_settings (user_id, kind, email) values (${a}, 'comments.reply', 'never')`)).rejects.toMatchObject({
      code: '42501',
    });
    await expect(as(sql, a)((tx) => tx`update public.notification_settings set email = 'hourly' where kind = 'comments.reply'`)).rejects.toMatchObject({
      constraint_name: 'notification_settings_email',
    });
    // A space one cannot see cannot be followed.
    const priv = await createProposalsComponent(sql, { private: true });
    await expect(as(sql, b)((tx) => tx`insert into public.space_follows (space_id) values (${priv.spaceId})`)).rejects.toMatchObject({ code: '42501' });
    // A notification is read (and marked read) by its owner only; its other columns are not theirs to write.
    const [n] = await sql<{ id: string }[]>`insert into public.notifications (user_id, kind) values (${a}, 'comments.reply') returning id`;
    expect(await as(sql, b)((tx) => tx`update public.notifications set read_at = now() where id = ${n!.id} returning id`)).toHaveLength(0);
    expect(await as(sql, a)((tx) => tx`update public.notifications set read_at = now() where id = ${n!.id} returning id`)).toHaveLength(1);
    await expect(as(sql, a)((tx) => tx`update public.notifications set email = 'never' where id = ${n!.id}`)).rejects.toMatchObject({ code: '42501' });
  });

  it('the unread count goes out on the person’s own private channel, which nobody else may join', async () => {
    const [a, b] = (await createUsers(sql, 2, 'nchan')) as [string, string];
    await sql`insert into public.notifications (user_id, kind) values (${a}, 'comments.reply'), (${a}, 'comments.mention')`;
    const [msg] = await sql<{ payload: { unread: number } }[]>`
      select payload from realtime.messages where topic = ${`notifications:${a}`} order by inserted_at desc limit 1`;
    expect(msg!.payload).toMatchObject({ unread: 2 });
    const canJoin = async (who: string | null) =>
      sql.begin(async (tx) => {
        await tx`select set_config('role', ${who ? 'authenticated' : 'anon'}, true),
                        set_config('request.jwt.claims', ${JSON.stringify(who ? { role: 'authenticated', sub: who } : { role: 'anon' })}, true),
                        set_config('realtime.topic', ${`notifications:${a}`}, true)`;
        return (await tx`select 1 from realtime.messages where topic = ${`notifications:${a}`} limit 1`).length > 0;
      });
    expect(await canJoin(a)).toBe(true);
    expect(await canJoin(b)).toBe(false);
    expect(await canJoin(null)).toBe(false);
    // Reading one tells the new count.
    await asUser(userClaims(a), (tx) => tx`update public.notifications set read_at = now() where user_id = ${a} and kind = 'comments.reply'`, sql);
    const [after] = await sql<{ payload: { unread: number } }[]>`
      select payload from realtime.messages where topic = ${`notifications:${a}`} order by inserted_at desc limit 1`;
    expect(after!.payload).toMatchObject({ unread: 1 });
  });
});

describe('kinds', () => {
  it('a kind names its feature; an unknown kind cannot be raised', async () => {
    const [someone] = await createUsers(sql, 1, 'nkind');
    await expect(sql`select private.raise_notification(kind => 'nothing.such', recipients => array[${someone!}]::uuid[])`).rejects.toMatchObject({ code: '23503' });
    await expect(sql`insert into public.notification_kinds (kind, feature) values ('other.thing', 'comments')`).rejects.toMatchObject({
      constraint_name: 'notification_kinds_feature',
    });
    // Nobody to tell: nothing is recorded.
    const [none] = await sql<{ id: string | null }[]>`select private.raise_notification(kind => 'comments.reply', recipients => '{}'::uuid[]) as id`;
    expect(none!.id).toBeNull();
    const [some] = await sql<{ id: string | null }[]>`select private.raise_notification(kind => 'comments.reply', recipients => array[${someone!}]::uuid[]) as id`;
    expect(some!.id).not.toBeNull();
  });
});
