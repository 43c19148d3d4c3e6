import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, createConfirmedUser, signedIn, stack } from '../web/helpers.ts';
import { closeTestDb, testDb, uniqueSlug } from '../web/spaces-helpers.ts';

/*
 * The news component in the site, without JavaScript: the admin writes, schedules, edits and
 * deletes posts (sanitised HTML); the list is paginated, with its feeds; a post's page takes
 * likes, follows, reports and comments; participants post where the component lets them; every
 * refusal says why next to the field and changes nothing.
 */

type Person = Awaited<ReturnType<typeof createConfirmedUser>> & { browser: Browser };
const slug = uniqueSlug('news');
const spaceId = randomUUID();
const componentId = randomUUID();
const openId = randomUUID();
const base = `/fr/processes/${slug}/f/${componentId}`;
const manage = `/fr/admin/spaces/${spaceId}/components/${componentId}/manage`;
let admin: Person;
let reader: Person;

async function person(name: string): Promise<Person> {
  const u = await createConfirmedUser({ name });
  return { ...u, browser: await signedIn(u.email, u.password) };
}

const postIds = async (comp = componentId) =>
  (await testDb()<{ id: string }[]>`select id from public.blog_posts where component_id = ${comp} order by published_at desc, id desc`).map((r) => r.id);

beforeAll(async () => {
  const db = testDb();
  await db`insert into public.spaces (id, kind, slug, title, published_at) values (${spaceId}, 'process', ${slug}, ${db.json({ fr: 'Quartier Nord', en: 'North side' })}, now())`;
  await db`insert into public.components (id, space_id, feature, name, published_at, settings) values
    (${componentId}, ${spaceId}, 'blog', ${db.json({ fr: 'Actualités', en: 'News' })}, now(), ${db.json({ comments_enabled: true, likes_enabled: true })}),
    (${openId}, ${spaceId}, 'blog', ${db.json({ fr: 'Tribunes', en: 'Op-eds' })}, now(), ${db.json({ comments_enabled: true, likes_enabled: true, creation_enabled: true })})`;
  [admin, reader] = await Promise.all([person('Alice Admin'), person('Rémi Lecteur')]);
  await db`insert into public.space_roles (space_id, user_id, role) values (${spaceId}, ${admin.id}, 'admin')`;
}, 60_000);

afterAll(async () => {
  await closeTestDb();
});

describe('the admin writes the news', () => {
  it('writes a post (HTML sanitised), schedules another, edits, deletes after confirming', async () => {
    const saved = await admin.browser.post(`${manage}?_action=blog.savePost`, {
      component_id: componentId,
      'title.fr': 'La fête du quartier',
      'title.en': 'The neighbourhood party',
      'body.fr': '<p>Samedi <strong>sur la place</strong>.</p><script>alert(1)</script><img src=x onerror=alert(1)>',
      signed_by: 'organization',
      published_at: '',
    });
    expect(saved.status).toBe(303);
    const [first] = await postIds();
    const [row] = await testDb()<{ body: { fr: string }; author_id: string | null }[]>`select body, author_id from public.blog_posts where id = ${first!}`;
    expect(row!.body.fr).toBe('<p>Samedi <strong>sur la place</strong>.</p>');
    expect(row!.author_id).toBeNull();

    // Scheduled in a week, in the organization's time zone: the public does not see it yet.
    const nextWeek = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    expect(
      (
        await admin.browser.post(`${manage}?_action=blog.savePost`, {
          component_id: componentId,
          'title.fr': 'Le programme de la semaine prochaine',
          'body.fr': '<p>Bientôt.</p>',
          signed_by: 'me',
          published_at: `${nextWeek}T09:30`,
        })
      ).status,
    ).toBe(303);
    const list = await new Browser().get(base);
    expect(list.text).toContain('La fête du quartier');
    expect(list.text).not.toContain('Le programme de la semaine prochaine');
    const adminList = await admin.browser.get(manage);
    expect(adminList.text).toContain('Le programme de la semaine prochaine');
    expect(adminList.text).toContain('programmée');
    const [sched] = await testDb()<{ local: string }[]>`
      select to_char(published_at at time zone (select time_zone from public.organization), 'YYYY-MM-DD"T"HH24:MI') as local
      from public.blog_posts where component_id = ${componentId} and published_at > now()`;
    expect(sched!.local).toBe(`${nextWeek}T09:30`);

    // A missing title: the error next to the field, nothing written.
    const before = (await postIds()).length;
    const refused = await admin.browser.post(`${manage}?_action=blog.savePost`, { component_id: componentId, 'title.fr': '', 'body.fr': '<p>Sans titre</p>' });
    expect(refused.status).toBe(400);
    expect(refused.html).toContain('id="post-title-fr"');
    expect(refused.text).toContain('Ce champ est obligatoire');
    expect((await postIds()).length).toBe(before);
    // A reader is no admin.
    const forbidden = await reader.browser.post(`${manage}?_action=blog.savePost`, { component_id: componentId, 'title.fr': 'Pirate', 'body.fr': '<p>x</p>' });
    expect(forbidden.status).toBe(403);

    // Edit: a new version.
    const edited = await admin.browser.post(`${manage}?_action=blog.savePost`, {
      component_id: componentId,
      post_id: first!,
      'title.fr': 'La grande fête du quartier',
      'body.fr': '<p>Samedi sur la place.</p>',
      signed_by: 'organization',
    });
    expect(edited.status).toBe(303);
    expect(await testDb()`select 1 from public.versions where resource_type = 'blog_post' and resource_id = ${first!}`).toHaveLength(2);

    // Deleting asks first.
    const unconfirmed = await admin.browser.post(`${manage}?_action=blog.deletePost`, { post_id: first! });
    expect(unconfirmed.status).toBe(400);
    expect(await postIds()).toContain(first);
    const deleted = await admin.browser.post(`${manage}?_action=blog.deletePost`, { post_id: first!, confirm: 'yes' });
    expect(deleted.status).toBe(303);
    expect(await postIds()).not.toContain(first);
  });
});

describe('the list, a post, its feeds', () => {
  let postId: string;

  beforeAll(async () => {
    const db = testDb();
    // Twelve posts out: two pages.
    for (let i = 1; i <= 12; i++) {
      await db`insert into public.blog_posts (component_id, title, body, published_at)
               values (${componentId}, ${db.json({ fr: `Nouvelle n° ${i}` })}, ${db.json({ fr: `<p>Texte ${i} &amp; suite</p>` })}, now() - ${`${i} hours`}::interval)`;
    }
    postId = (await testDb()<{ id: string }[]>`select id from public.blog_posts where component_id = ${componentId} and title ->> 'fr' = 'Nouvelle n° 1'`)[0]!.id;
  });

  it('paginates, newest first, ten per page', async () => {
    const one = await new Browser().get(base);
    expect(one.status).toBe(200);
    const titles = [...one.html.matchAll(/<h2 id="post-[^"]+-title"[^>]*>\s*<a[^>]*>([^<]+)</g)].map((m) => m[1]);
    expect(titles).toHaveLength(10);
    expect(one.html).toContain(`href="${base}?page=2"`);
    const two = await new Browser().get(`${base}?page=2`);
    const more = [...two.html.matchAll(/<h2 id="post-[^"]+-title"[^>]*>\s*<a[^>]*>([^<]+)</g)].map((m) => m[1]);
    expect(more.length).toBeGreaterThan(0);
    expect(more.some((t) => titles.includes(t))).toBe(false);
    // A page number that makes no sense is the first page.
    expect((await new Browser().get(`${base}?page=abc`)).status).toBe(200);
  });

  it('offers RSS and Atom feeds of the posts that are out', async () => {
    const rss = await fetch(`${stack().siteUrl}${base}/rss.xml`);
    expect(rss.status).toBe(200);
    expect(rss.headers.get('content-type')).toContain('application/rss+xml');
    const xml = await rss.text();
    expect(xml).toContain('<rss version="2.0"');
    expect(xml).toContain('<title><![CDATA[Nouvelle n° 1]]></title>');
    expect(xml).not.toContain('Le programme de la semaine prochaine');
    const atom = await fetch(`${stack().siteUrl}/en${base.slice(3)}/atom.xml`);
    expect(atom.headers.get('content-type')).toContain('application/atom+xml');
    const a = await atom.text();
    expect(a).toContain('<feed xmlns="http://www.w3.org/2005/Atom">');
    expect(a).toContain(`/f/${componentId}/posts/${postId}`);
    // Not a news component: no feed.
    expect((await fetch(`${stack().siteUrl}/fr/processes/${slug}/f/${randomUUID()}/rss.xml`)).status).toBe(404);
  });

  it('a post takes likes, follows and comments; reporting says why', async () => {
    const path = `${base}/posts/${postId}`;
    const page = await reader.browser.get(path);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Nouvelle n° 1');
    expect(page.text).toContain('Par Ville');
    const liked = await reader.browser.post(`${path}?_action=blog.likePost`, { post_id: postId });
    expect(liked.status).toBe(303);
    expect(liked.location).toBe(`${path}?status=liked`);
    const followed = await reader.browser.post(`${path}?_action=blog.followPost`, { post_id: postId });
    expect(followed.status).toBe(303);
    const [row] = await testDb()`select likes_count, follows_count from public.blog_posts where id = ${postId}`;
    expect(row).toEqual({ likes_count: 1, follows_count: 1 });
    const commented = await reader.browser.post(`${path}?_action=comments.addComment`, { resource_type: 'blog_post', resource_id: postId, body: 'Super nouvelle' });
    expect(commented.status).toBe(303);
    expect((await reader.browser.get(path)).text).toContain('Super nouvelle');
    const badReport = await reader.browser.post(`${path}?_action=blog.reportPost`, { post_id: postId, reason: 'boring' });
    expect(badReport.status).toBe(400);
    expect(badReport.text).toContain('Choisissez une des options proposées');
    expect(await testDb()`select 1 from public.reports where resource_id = ${postId}`).toHaveLength(0);
    expect((await reader.browser.post(`${path}?_action=blog.reportPost`, { post_id: postId, reason: 'spam', details: '' })).status).toBe(303);
    expect(await testDb()`select 1 from public.reports where resource_id = ${postId}`).toHaveLength(1);
    // A post that does not exist (or that the visitor may not see): 404.
    expect((await reader.browser.get(`${base}/posts/${randomUUID()}`)).status).toBe(404);

    // The space's moderation queue lists it (reported), and hides it from there.
    const queue = `/fr/admin/spaces/${spaceId}/moderation`;
    const listed = await admin.browser.get(queue);
    expect(listed.html).toContain(`id="moderation-post-${postId}"`);
    const hidden = await admin.browser.post(`${queue}?_action=blog.moderatePost`, { post_id: postId, hidden: '1' });
    expect(hidden.status).toBe(303);
    expect(hidden.location).toBe(`${queue}#moderation-post-${postId}`);
    expect((await new Browser().get(path)).status).toBe(404);
    expect((await reader.browser.post(`${queue}?_action=blog.moderatePost`, { post_id: postId, hidden: '0' })).status).toBe(403);
    expect((await admin.browser.post(`${queue}?_action=blog.moderatePost`, { post_id: postId, hidden: '0' })).status).toBe(303);
    expect((await new Browser().get(path)).status).toBe(200);
  });
});

describe('participants’ posts', () => {
  it('where the component lets them: out at once, signed by them; elsewhere refused', async () => {
    const openBase = `/fr/processes/${slug}/f/${openId}`;
    const form = await reader.browser.get(`${openBase}/posts/new`);
    expect(form.status).toBe(200);
    const posted = await reader.browser.post(`${openBase}/posts/new?_action=blog.writePost`, {
      component_id: openId,
      title: 'Mon avis sur la place',
      body: 'Il faudrait **plus d’arbres**.',
    });
    expect(posted.status).toBe(303);
    const [mine] = await postIds(openId);
    expect(posted.location).toBe(`${openBase}/posts/${mine}?status=posted`);
    const [row] = await testDb()<{ author_id: string; body: { fr: string } }[]>`select author_id, body from public.blog_posts where id = ${mine!}`;
    expect(row).toEqual({ author_id: reader.id, body: { fr: '<p>Il faudrait <strong>plus d’arbres</strong>.</p>' } });
    const empty = await reader.browser.post(`${openBase}/posts/new?_action=blog.writePost`, { component_id: openId, title: '', body: '' });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('Ce champ est obligatoire');
    // Not in the organization's news.
    const refused = await reader.browser.post(`${base}/posts/new?_action=blog.writePost`, { component_id: componentId, title: 'Intrus', body: 'Texte' });
    expect(refused.status).toBe(403);
    expect((await reader.browser.get(`${base}/posts/new`)).status).toBe(403);
  });
});
