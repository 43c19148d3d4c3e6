import { randomUUID } from 'node:crypto';
import type postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addProject, checkout, createBudget, createBudgetsComponent, createProjects } from '../budgets/fixtures.ts';
import { createDebate, createDebatesComponent, createUsers, grantRole } from '../debates/fixtures.ts';
import { connectTestDb } from '../helpers/db.ts';
import { deliverNotifications } from '../helpers/notifications.ts';
import { announceDebateTimes } from '../../workers/debates/announce-times.ts';
import { as, sorted, told } from './fixtures.ts';

/*
 * The events of the debates, budgets and surveys components reach exactly their recipients, and
 * not the others: the actor, people who may not see it (a private space's outsiders, an
 * unpublished component, a hidden debate), blocked accounts; a person who turned a kind's emails
 * off still sees it in the site, with no email queued. Raised by each feature's triggers in the
 * change's transaction, delivered as the `notifications.deliver` job does (this file's spaces only).
 */

let sql: postgres.Sql;

beforeAll(() => {
  sql = connectTestDb();
});
afterAll(async () => {
  await sql.end();
});

const followSpace = (who: string, space: string) => sql`insert into public.space_follows (space_id, user_id) values (${space}, ${who})`;
const follow = (who: string, type: string, id: string) => as(sql, who)((tx) => tx`insert into public.follows (resource_type, resource_id) values (${type}, ${id})`);
const block = (who: string) => sql`update auth.users set banned_until = now() + interval '1 day' where id = ${who}`;
const emailOf = async (kind: string, resourceId: string | null, who: string) =>
  (await sql<{ email: string }[]>`select email from public.notifications where kind = ${kind} and user_id = ${who}
                                   and (${resourceId}::uuid is null or resource_id = ${resourceId}::uuid)`)[0]?.email;
/** Who got a notification of `kind` about a component (events with no resource of their own). */
async function toldInComponent(kind: string, componentId: string): Promise<string[]> {
  const rows = await sql<{ user_id: string }[]>`select user_id from public.notifications where kind = ${kind} and data ->> 'component_id' = ${componentId} order by user_id`;
  return rows.map((r) => r.user_id);
}

describe('debates', () => {
  it('a new debate tells the space’s followers, never its author, a blocked account, nor before it is visible', async () => {
    const f = await createDebatesComponent(sql);
    const [author, follower, quiet, blocked, stranger] = (await createUsers(sql, 5, 'ndeb')) as [string, string, string, string, string];
    for (const p of [author, follower, quiet, blocked]) await followSpace(p, f.spaceId);
    await block(blocked);
    await as(sql, quiet)((tx) => tx`insert into public.notification_settings (kind, email) values ('debates.created', 'never')`);
    const d = await createDebate(sql, f, author, { title: 'Faut-il un marché bio ?' });
    await deliverNotifications(sql, f.spaceId);
    expect(await told(sql, 'debates.created', { resourceId: d })).toEqual(sorted([follower, quiet]));
    expect(await told(sql, 'debates.created', { resourceId: d }, [stranger, author, blocked])).toEqual([]);
    // Turned off by email: told in the site, no email.
    expect(await emailOf('debates.created', d, quiet)).toBe('never');
    expect(await emailOf('debates.created', d, follower)).not.toBe('never');
    const [row] = await sql<{ data: Record<string, unknown> }[]>`select data from public.notifications where kind = 'debates.created' and resource_id = ${d} limit 1`;
    expect(row!.data).toMatchObject({ title: 'Faut-il un marché bio ?', space_id: f.spaceId, component_id: f.componentId, actor_id: author });
  });

  it('in a private space, only its members hear of a new debate; in an unpublished component, only its admins', async () => {
    const f = await createDebatesComponent(sql, { private: true });
    const [admin, member, outsider] = (await createUsers(sql, 3, 'ndebp')) as [string, string, string];
    await sql`insert into public.space_members (space_id, user_id) values (${f.spaceId}, ${member})`;
    await grantRole(sql, f, admin, 'admin');
    // The outsider followed it while it was public.
    await followSpace(outsider, f.spaceId);
    const d = await createDebate(sql, f, admin, { official: true, title: 'Débat réservé aux membres' });
    await deliverNotifications(sql, f.spaceId);
    expect(await told(sql, 'debates.created', { resourceId: d })).toEqual([member]);

    const g = await createDebatesComponent(sql, { published: false });
    const [gAdmin, gFollower] = (await createUsers(sql, 2, 'ndebu')) as [string, string];
    await grantRole(sql, g, gAdmin, 'admin');
    await followSpace(gFollower, g.spaceId);
    const e = await createDebate(sql, g, gAdmin, { official: true, title: 'Pas encore publié' });
    await deliverNotifications(sql, g.spaceId);
    expect(await told(sql, 'debates.created', { resourceId: e })).toEqual([]);
  });

  it('closed by the organization: its followers and its author, not the admin; reopened: the same; a hidden debate is news to nobody', async () => {
    const f = await createDebatesComponent(sql);
    const [author, follower, admin, moderator] = (await createUsers(sql, 4, 'ndebc')) as [string, string, string, string];
    await grantRole(sql, f, admin, 'admin');
    await grantRole(sql, f, moderator, 'moderator');
    const d = await createDebate(sql, f, author);
    for (const p of [follower, admin, moderator]) await follow(p, 'debate', d);
    // The author no longer follows it: named anyway when someone else closes it.
    await sql`delete from public.follows where resource_type = 'debate' and resource_id = ${d} and user_id = ${author}`;
    await as(sql, admin)((tx) => tx`update public.debates set closed_at = now(), conclusions = '<p>Nous retenons trois idées.</p>' where id = ${d}`);
    await deliverNotifications(sql, f.spaceId);
    expect(await told(sql, 'debates.closed', { resourceId: d })).toEqual(sorted([author, follower, moderator]));
    await as(sql, admin)((tx) => tx`update public.debates set closed_at = null where id = ${d}`);
    await deliverNotifications(sql, f.spaceId);
    expect(await told(sql, 'debates.reopened', { resourceId: d })).toEqual(sorted([author, follower, moderator]));

    // Hidden, then its information updated: not news, not even to the moderator who may still see it.
    await as(sql, moderator)((tx) => tx`update public.debates set hidden_at = now() where id = ${d}`);
    await as(sql, admin)((tx) => tx`update public.debates set information_updates = ${tx.json({ fr: '<p>Réunion jeudi.</p>' })} where id = ${d}`);
    await deliverNotifications(sql, f.spaceId);
    expect(await told(sql, 'debates.updated', { resourceId: d })).toEqual([]);
  });

  it('closed by its author: the followers, not the author', async () => {
    const f = await createDebatesComponent(sql);
    const [author, follower] = (await createUsers(sql, 2, 'ndeba')) as [string, string];
    const d = await createDebate(sql, f, author);
    await follow(follower, 'debate', d);
    await as(sql, author)((tx) => tx`update public.debates set closed_at = now(), conclusions = '<p>Merci à toutes et tous.</p>' where id = ${d}`);
    await deliverNotifications(sql, f.spaceId);
    expect(await told(sql, 'debates.closed', { resourceId: d })).toEqual([follower]);
  });

  it('a rolled-back debate tells nobody', async () => {
    const f = await createDebatesComponent(sql);
    const [author, follower] = (await createUsers(sql, 2, 'ndebr')) as [string, string];
    await followSpace(follower, f.spaceId);
    await expect(
      as(sql, author)(async (tx) => {
        await tx`insert into public.debates (component_id, title, description) values (${f.componentId}, 'Un débat annulé', '<p>Finalement non, pas ce débat.</p>')`;
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await sql`select 1 from public.notification_events where space_id = ${f.spaceId}`).toHaveLength(0);
  });
});

describe('timed debates', () => {
  it('their start and their end are told to their followers once each, by the scheduled job', async () => {
    const f = await createDebatesComponent(sql);
    const [admin, follower, stranger] = (await createUsers(sql, 3, 'ndebt')) as [string, string, string];
    await grantRole(sql, f, admin, 'admin');
    const d = await createDebate(sql, f, admin, {
      official: true,
      startsAt: new Date(Date.now() + 3600_000),
      endsAt: new Date(Date.now() + 7200_000),
    });
    await follow(follower, 'debate', d);
    await announceDebateTimes(sql);
    await deliverNotifications(sql, f.spaceId);
    expect(await told(sql, 'debates.started', { resourceId: d })).toEqual([]);
    // An hour later (the dates moved back, as the table owner).
    await sql`update public.debates set starts_at = now() - interval '1 minute', ends_at = now() + interval '1 hour' where id = ${d}`;
    await announceDebateTimes(sql);
    await announceDebateTimes(sql);
    await deliverNotifications(sql, f.spaceId);
    expect(await told(sql, 'debates.started', { resourceId: d })).toEqual([follower]);
    expect(await told(sql, 'debates.ended', { resourceId: d })).toEqual([]);
    await sql`update public.debates set ends_at = now() - interval '1 second' where id = ${d}`;
    await announceDebateTimes(sql);
    await deliverNotifications(sql, f.spaceId);
    expect(await told(sql, 'debates.ended', { resourceId: d })).toEqual([follower]);
    expect(await told(sql, 'debates.started', { resourceId: d })).toEqual([follower]);
    expect(await told(sql, 'debates.ended', { resourceId: d }, [stranger, admin])).toEqual([]);
  });
});

describe('budgets', () => {
  it('a project selected tells its followers; a checkout confirms the vote to the voter alone', async () => {
    const f = await createBudgetsComponent(sql);
    const budget = await createBudget(sql, f, { thresholdPercent: 10 });
    const [p, q] = (await createProjects(sql, budget, [300, 200])) as [string, string];
    const [voter, other, follower, blocked] = (await createUsers(sql, 4, 'nbud')) as [string, string, string, string];
    await follow(follower, 'project', p);
    await follow(blocked, 'project', p);
    await block(blocked);
    await addProject(sql, voter, budget, p);
    await addProject(sql, other, budget, q);
    await checkout(sql, voter, budget);
    await deliverNotifications(sql, f.spaceId);
    expect(await toldInComponent('budgets.vote_checked_out', f.componentId)).toEqual([voter]);
    // Sent at once unless chosen otherwise (a confirmation of one's own action).
    expect(await emailOf('budgets.vote_checked_out', null, voter)).toBe('immediate');
    const [row] = await sql<{ data: Record<string, unknown> }[]>`select data from public.notifications where kind = 'budgets.vote_checked_out' and user_id = ${voter}`;
    expect(row!.data).toMatchObject({ budget_id: budget, projects_count: 1 });
    // Nothing of what the ballot holds.
    expect(JSON.stringify(row!.data)).not.toContain(p);

    await sql`update public.projects set selected_at = now() where id = ${p}`;
    await deliverNotifications(sql, f.spaceId);
    expect(await told(sql, 'budgets.project_selected', { resourceId: p })).toEqual([follower]);
    expect(await told(sql, 'budgets.project_selected', { resourceId: q })).toEqual([]);
  });

  it('nothing about a project of an unpublished component reaches its followers', async () => {
    const f = await createBudgetsComponent(sql);
    const budget = await createBudget(sql, f);
    const [p] = (await createProjects(sql, budget, [100])) as [string];
    const [follower] = (await createUsers(sql, 1, 'nbudu')) as [string];
    await follow(follower, 'project', p);
    await sql`update public.components set published_at = null where id = ${f.componentId}`;
    await sql`update public.projects set selected_at = now() where id = ${p}`;
    await deliverNotifications(sql, f.spaceId);
    expect(await told(sql, 'budgets.project_selected', { resourceId: p })).toEqual([]);
  });
});

describe('surveys', () => {
  async function surveysComponent(opts: { private?: boolean } = {}) {
    const spaceId = randomUUID();
    const componentId = randomUUID();
    await sql`insert into public.spaces (id, kind, slug, title, published_at, private)
              values (${spaceId}, 'assembly', ${`nsur-${spaceId.slice(0, 8)}`}, ${sql.json({ fr: 'Assemblée', en: 'Assembly' })}, now(), ${opts.private ?? false})`;
    await sql`insert into public.components (id, space_id, feature, name) values (${componentId}, ${spaceId}, 'surveys', ${sql.json({ fr: 'Questionnaire vélo', en: 'Cycling survey' })})`;
    return { spaceId, componentId };
  }

  it('a survey opened (its component published) tells the space’s followers, once, in a private space its members only', async () => {
    const s = await surveysComponent();
    const [follower, blocked, stranger] = (await createUsers(sql, 3, 'nsur')) as [string, string, string];
    await followSpace(follower, s.spaceId);
    await followSpace(blocked, s.spaceId);
    await block(blocked);
    await deliverNotifications(sql, s.spaceId);
    expect(await told(sql, 'surveys.opened', { resourceId: s.componentId })).toEqual([]);
    await sql`update public.surveys set ends_at = now() + interval '7 days' where component_id = ${s.componentId}`;
    await sql`update public.components set published_at = now() where id = ${s.componentId}`;
    await deliverNotifications(sql, s.spaceId);
    expect(await told(sql, 'surveys.opened', { resourceId: s.componentId })).toEqual([follower]);
    expect(await told(sql, 'surveys.opened', { resourceId: s.componentId }, [stranger, blocked])).toEqual([]);
    const [row] = await sql<{ data: Record<string, unknown> }[]>`select data from public.notifications where kind = 'surveys.opened' and user_id = ${follower}`;
    expect(row!.data).toMatchObject({ title: { fr: 'Questionnaire vélo', en: 'Cycling survey' }, ends_at: expect.any(String) });
    // Renamed or republished later: not news again.
    await sql`update public.components set name = ${sql.json({ fr: 'Questionnaire vélo 2', en: 'Cycling survey 2' })} where id = ${s.componentId}`;
    await deliverNotifications(sql, s.spaceId);
    expect(await told(sql, 'surveys.opened', { resourceId: s.componentId })).toEqual([follower]);

    const priv = await surveysComponent({ private: true });
    const [member, outsider] = (await createUsers(sql, 2, 'nsurp')) as [string, string];
    await sql`insert into public.space_members (space_id, user_id) values (${priv.spaceId}, ${member})`;
    await followSpace(outsider, priv.spaceId);
    await sql`update public.components set published_at = now() where id = ${priv.componentId}`;
    await deliverNotifications(sql, priv.spaceId);
    expect(await told(sql, 'surveys.opened', { resourceId: priv.componentId })).toEqual([member]);
  });
});

describe('the core’s visibility check, from the registry', () => {
  it('an event about a survey of an unpublished component, raised without its component, reaches nobody who may not see it', async () => {
    const spaceId = randomUUID();
    const componentId = randomUUID();
    await sql`insert into public.spaces (id, kind, slug, title, published_at) values (${spaceId}, 'assembly', ${`nvis-${spaceId.slice(0, 8)}`}, ${sql.json({ fr: 'A' })}, now())`;
    await sql`insert into public.components (id, space_id, feature, name) values (${componentId}, ${spaceId}, 'surveys', ${sql.json({ fr: 'Brouillon' })})`;
    const [citizen, admin] = (await createUsers(sql, 2, 'nvis')) as [string, string];
    await sql`insert into public.space_roles (space_id, user_id, role) values (${spaceId}, ${admin}, 'admin')`;
    const [e] = await sql<{ id: string }[]>`
      select private.raise_notification(kind => 'surveys.opened', resource_type => 'survey', resource_id => ${componentId}::uuid,
                                        recipients => array[${citizen}, ${admin}]::uuid[]) as id`;
    await sql`select private.deliver_notification_event(${e!.id})`;
    expect(await told(sql, 'surveys.opened', { resourceId: componentId })).toEqual([admin]);
  });
});
