import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUnsubscribe } from '../../src/lib/mail/unsubscribe.ts';
import { deliverNotifications } from '../helpers/notifications.ts';
import { createProposal, createProposalsComponent, type ProposalsFixture } from '../proposals/fixtures.ts';
import { Browser, createConfirmedUser, signedIn, stack } from '../web/helpers.ts';
import { closeTestDb, testDb } from '../web/spaces-helpers.ts';
import { commentOn } from './fixtures.ts';

/*
 * The notifications in the site, without JavaScript: the bell's count in the header, the page
 * grouped by resource, marking read one or all, the preferences per kind on the account page,
 * following a space, unsubscribing from an email's link (the page, and RFC 8058's one-click POST
 * from another site).
 */

type Person = Awaited<ReturnType<typeof createConfirmedUser>> & { browser: Browser };
let f: ProposalsFixture;
let reader: Person;
let writer: Person;
let p1: string;
let p2: string;

async function person(name: string, locale = 'fr'): Promise<Person> {
  const u = await createConfirmedUser({ name, locale });
  return { ...u, browser: await signedIn(u.email, u.password) };
}

const bellCount = (html: string) => /data-bell-count[^>]*>(\d+|99\+)</.exec(html)?.[1];
const unreadOf = async (id: string) => (await testDb()<{ n: number }[]>`select count(*)::int as n from public.notifications where user_id = ${id} and read_at is null`)[0]!.n;

beforeAll(async () => {
  f = await createProposalsComponent(testDb());
  [reader, writer] = await Promise.all([person('Léa Lectrice'), person('Wassim Écrit')]);
  p1 = await createProposal(testDb(), f, reader.id, { title: 'Un jardin partagé rue Haute' });
  p2 = await createProposal(testDb(), f, reader.id, { title: 'Des fontaines dans le parc' });
  for (const p of [p1, p1, p2]) await commentOn(testDb(), writer.id, { type: 'proposal', id: p }, 'Bonne idée, je soutiens');
  await deliverNotifications(testDb(), f.spaceId);
}, 60_000);

afterAll(async () => {
  await closeTestDb();
});

describe('the bell and the notifications page', () => {
  it('shows the unread count in the header, the notifications grouped by resource, newest first', async () => {
    const page = await reader.browser.get('/fr/notifications');
    expect(page.status).toBe(200);
    // Two confirmations (her proposals published) and three comments.
    expect(await unreadOf(reader.id)).toBe(5);
    expect(bellCount(page.html)).toBe('5');
    expect(/data-bell-status[^>]*>([^<]*)</.exec(page.html)?.[1]).toBe(', 5 non lues');
    expect(page.text).toContain('5 non lues');
    const groups = [...page.html.matchAll(/<h2 class="notification-group__title"[^>]*>\s*<a href="([^"]+)"[^>]*>([^<]+)</g)].map((m) => m[2]);
    expect(groups).toEqual(['Des fontaines dans le parc', 'Un jardin partagé rue Haute']);
    expect(page.text).toContain('Wassim Écrit a commenté « Un jardin partagé rue Haute », que vous suivez');
    expect(page.html).toContain(`/proposals/${p1}#comment-`);
    // Someone signed out has no bell; the page asks them to sign in.
    const anon = await new Browser().get('/fr/notifications');
    expect(anon.status).toBe(303);
    expect(anon.location).toContain('/fr/sign-in');
    expect(bellCount((await new Browser().get('/fr/')).html)).toBeUndefined();
  });

  it('marks one read, then all; nobody marks someone else’s', async () => {
    const [n] = await testDb()<{ id: string }[]>`select id from public.notifications where user_id = ${reader.id} and read_at is null order by created_at desc limit 1`;
    // Someone else's notification: refused as not found, nothing changed.
    const foreign = await writer.browser.post('/fr/notifications?_action=notifications.markRead', { id: n!.id });
    expect(foreign.status).toBe(404);
    expect(await unreadOf(reader.id)).toBe(5);
    const bad = await reader.browser.post('/fr/notifications?_action=notifications.markRead', { id: 'pas-un-id' });
    expect(bad.status).toBe(400);
    expect(await unreadOf(reader.id)).toBe(5);
    const one = await reader.browser.post('/fr/notifications?_action=notifications.markRead&group=group-proposal-x', { id: n!.id });
    expect(one.status).toBe(303);
    expect(one.location).toBe('/fr/notifications?status=read#group-proposal-x');
    expect(await unreadOf(reader.id)).toBe(4);
    const after = await reader.browser.get('/fr/notifications?status=read');
    expect(bellCount(after.html)).toBe('4');
    expect(after.text).toContain('Notification marquée comme lue.');
    const all = await reader.browser.post('/fr/notifications?_action=notifications.markAllRead', {});
    expect(all.status).toBe(303);
    expect(await unreadOf(reader.id)).toBe(0);
    const done = await reader.browser.get('/fr/notifications?status=all-read');
    expect(done.html).toMatch(/data-bell-count[^>]*hidden/);
    expect(done.text).toContain('aucune non lue');
  });

  it('in English for an English page', async () => {
    const page = await reader.browser.get('/en/notifications');
    expect(page.text).toContain('Wassim Écrit commented on “Un jardin partagé rue Haute”, which you follow');
  });
});

describe('preferences', () => {
  it('saves an email rhythm per kind of notification; an unknown kind or rhythm changes nothing', async () => {
    const base = { notifications_digest: 'none', email_on_notification: 'on', email_on_mention: 'on' };
    const form = new URLSearchParams(base);
    form.append('email_kinds', 'comments.created:weekly');
    form.append('email_kinds', 'comments.reply:default');
    const saved = await reader.browser.post('/fr/account?_action=accounts.updatePreferences', form);
    expect(saved.status).toBe(303);
    expect(await testDb()`select kind, email from public.notification_settings where user_id = ${reader.id}`).toEqual([{ kind: 'comments.created', email: 'weekly' }]);
    const page = await reader.browser.get('/fr/account');
    expect(page.html).toMatch(/<option value="comments.created:weekly" selected/);

    for (const [wrong, status] of [['comments.created:hourly', 400], ['nothing.such:daily', 422]] as const) {
      const f2 = new URLSearchParams(base);
      f2.append('email_kinds', wrong);
      const refused = await reader.browser.post('/fr/account?_action=accounts.updatePreferences', f2);
      expect(refused.status).toBe(status);
      expect(refused.text).toContain('Choisissez une des options proposées');
    }
    expect(await testDb()`select kind, email from public.notification_settings where user_id = ${reader.id}`).toEqual([{ kind: 'comments.created', email: 'weekly' }]);

    // Back to the general choice.
    const f3 = new URLSearchParams(base);
    f3.append('email_kinds', 'comments.created:default');
    expect((await reader.browser.post('/fr/account?_action=accounts.updatePreferences', f3)).status).toBe(303);
    expect(await testDb()`select 1 from public.notification_settings where user_id = ${reader.id}`).toHaveLength(0);
  });

  it('follows and unfollows a space from its page', async () => {
    const [space] = await testDb()<{ slug: string }[]>`select slug from public.spaces where id = ${f.spaceId}`;
    const path = `/fr/processes/${space!.slug}`;
    const page = await writer.browser.get(path);
    expect(page.text).toContain('Suivre cet espace');
    const followed = await writer.browser.post(`${path}?_action=notifications.followSpace`, { space_id: f.spaceId, follow: '1' });
    expect(followed.status).toBe(303);
    expect(await testDb()`select 1 from public.space_follows where space_id = ${f.spaceId} and user_id = ${writer.id}`).toHaveLength(1);
    expect((await writer.browser.get(path)).text).toContain('Vous suivez cet espace.');
    // A new proposal in it now reaches the follower.
    const p = await createProposal(testDb(), f, reader.id);
    await deliverNotifications(testDb(), f.spaceId);
    expect(await testDb()`select 1 from public.notifications where user_id = ${writer.id} and kind = 'proposals.published' and resource_id = ${p}`).toHaveLength(1);
    await writer.browser.post(`${path}?_action=notifications.followSpace`, { space_id: f.spaceId, follow: '0' });
    expect(await testDb()`select 1 from public.space_follows where space_id = ${f.spaceId} and user_id = ${writer.id}`).toHaveLength(0);
    // A space one cannot see: not found, nothing recorded.
    const priv = await createProposalsComponent(testDb(), { private: true });
    const refused = await writer.browser.post(`${path}?_action=notifications.followSpace`, { space_id: priv.spaceId, follow: '1' });
    expect(refused.status).toBe(404);
    expect(await testDb()`select 1 from public.space_follows where space_id = ${priv.spaceId}`).toHaveLength(0);
  });
});

describe('unsubscribing from an email, without signing in', () => {
  it('the page asks, then stops that kind of email; a bad token is refused', async () => {
    const token = signUnsubscribe(stack().jwtSecret, { person: writer.id, scope: 'kind:comments.reply' });
    const anon = new Browser();
    const asked = await anon.get(`/fr/unsubscribe?token=${encodeURIComponent(token)}`);
    expect(asked.status).toBe(200);
    expect(asked.text).toContain('Ne plus recevoir de courriels pour : Les réponses à mes commentaires ?');
    // Opening the link (a link scanner) changes nothing.
    expect(await testDb()`select 1 from public.notification_settings where user_id = ${writer.id}`).toHaveLength(0);
    const done = await anon.post('/fr/unsubscribe', { token });
    expect(done.status).toBe(200);
    expect(done.text).toContain('Vous ne recevrez plus de courriels pour : Les réponses à mes commentaires.');
    expect(await testDb()`select kind, email from public.notification_settings where user_id = ${writer.id}`).toEqual([{ kind: 'comments.reply', email: 'never' }]);

    const forged = `${token.slice(0, -4)}AAAA`;
    const refused = await anon.post('/fr/unsubscribe', { token: forged });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('Ce lien de désabonnement n’est pas valable.');
  });

  it('RFC 8058 one-click: a cross-site POST from the mail provider stops every notification email', async () => {
    const token = signUnsubscribe(stack().jwtSecret, { person: reader.id, scope: 'notifications' });
    const res = await fetch(`${stack().siteUrl}/api/unsubscribe?token=${encodeURIComponent(token)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://mail.example.net' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(res.status).toBe(200);
    const [prefs] = await testDb()<{ email_on_notification: boolean; email_on_mention: boolean }[]>`
      select email_on_notification, email_on_mention from public.profile_preferences where id = ${reader.id}`;
    expect(prefs).toEqual({ email_on_notification: false, email_on_mention: false });
    const never = await testDb()<{ n: number }[]>`select count(*)::int as n from public.notification_settings where user_id = ${reader.id} and email = 'never'`;
    const kinds = await testDb()<{ n: number }[]>`select count(*)::int as n from public.notification_kinds`;
    expect(never[0]!.n).toBe(kinds[0]!.n);
    const bad = await fetch(`${stack().siteUrl}/api/unsubscribe?token=nope`, { method: 'POST', body: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(bad.status).toBe(400);
    // Every other cross-site form post is still refused by the site.
    const csrf = await fetch(`${stack().siteUrl}/fr/notifications?_action=notifications.markAllRead`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://mail.example.net' },
      body: '',
    });
    expect(csrf.status).toBe(403);
  });
});
