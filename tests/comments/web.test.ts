import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, createConfirmedUser, signedIn, type Page } from '../web/helpers.ts';
import { closeTestDb, testDb, uniqueSlug } from '../web/spaces-helpers.ts';
import { deliverNotifications } from '../helpers/notifications.ts';

/*
 * Comments through the running server, the way a browser without JavaScript uses them: each form
 * posts to a comments action and comes back (303) to the page at the comment; refusals come back
 * as the page with a 4xx status, a translated message, and nothing changed.
 */

const slug = uniqueSlug('comments');
const spaceId = randomUUID();
const phaseId = randomUUID();
const componentId = randomUUID();
const path = `/fr/processes/${slug}/f/${componentId}`;
const act = (name: string, query = '') => `${path}?${query}${query ? '&' : ''}_action=comments.${name}`;
let alice: { id: string; browser: Browser; nickname: string };
let bob: { id: string; browser: Browser; nickname: string };
let mod: { id: string; browser: Browser };

async function person() {
  const u = await createConfirmedUser();
  const [p] = await testDb()<{ nickname: string }[]>`select nickname from public.profiles where id = ${u.id}`;
  return { id: u.id, nickname: p!.nickname, browser: await signedIn(u.email, u.password) };
}

const commentCount = async () =>
  (await testDb()<{ n: number }[]>`select count(*)::int as n from public.comments where resource_id = ${componentId}`)[0]!.n;

function commentIdFrom(location: string | null): string {
  const m = /#comment-([0-9a-f-]{36})$/.exec(location ?? '');
  if (!m?.[1]) throw new Error(`no comment anchor in ${location}`);
  return m[1];
}

function alertText(page: Page): string {
  return /<div class="alert alert--error" role="alert"[^>]*>([\s\S]*?)<\/div>/.exec(page.html)?.[1]?.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim() ?? '';
}

beforeAll(async () => {
  const db = testDb();
  await db.begin(async (tx) => {
    await tx`insert into public.spaces (id, kind, slug, title, published_at) values (${spaceId}, 'process', ${slug}, ${tx.json({ fr: 'Concertation' })}, now())`;
    await tx`insert into public.phases (id, space_id, position, title) values (${phaseId}, ${spaceId}, 1, ${tx.json({ fr: 'Phase 1' })})`;
    await tx`select public.activate_phase(${phaseId})`;
    await tx`
      insert into public.components (id, space_id, feature, name, published_at, settings, phase_settings)
      values (${componentId}, ${spaceId}, 'pages', ${tx.json({ fr: 'La page' })}, now(),
        ${tx.json({ comments_enabled: true, comments_max_length: 1000, alignment_enabled: true })},
        ${tx.json({ [phaseId]: { comments_blocked: false } })})`;
  });
  [alice, bob] = await Promise.all([person(), person()]);
  const m = await person();
  mod = m;
  await db`insert into public.space_roles (space_id, user_id, role) values (${spaceId}, ${m.id}, 'moderator')`;
});

afterAll(async () => {
  await closeTestDb();
});

describe('comments without JavaScript', () => {
  it('anonymous visitors read the thread and are asked to sign in', async () => {
    const page = await new Browser().get(path);
    expect(page.status).toBe(200);
    expect(page.html).toContain('id="comments-title"');
    expect(page.text).toContain('Connectez-vous pour commenter.');
    expect(page.html).not.toContain('_action=comments.addComment');
    expect(page.html).toContain('aria-live="polite"');
  });

  it('post, reply, edit, vote, report, hide, delete: each comes back to the comment', async () => {
    const posted = await alice.browser.post(act('addComment', 'sort=recent'), {
      resource_type: 'page',
      resource_id: componentId,
      body: `Bonjour **tout le monde**, voir https://example.org et @${bob.nickname}`,
      alignment: '1',
    });
    expect(posted.status).toBe(303);
    expect(posted.location).toMatch(new RegExp(`^${path}\\?sort=recent#comment-`));
    const id = commentIdFrom(posted.location);
    let page = await alice.browser.get(path);
    expect(page.html).toContain(`id="comment-${id}"`);
    expect(page.html).toContain('<strong>tout le monde</strong>');
    expect(page.html).toContain('href="https://example.org" rel="nofollow ugc noopener"');
    expect(page.text).toContain('Pour');
    // The mention notified Bob.
    await deliverNotifications(testDb(), spaceId);
    const notes = await testDb()`select 1 from public.notifications where user_id = ${bob.id} and data ->> 'comment_id' = ${id}`;
    expect(notes).toHaveLength(1);

    const reply = await bob.browser.post(act('addComment'), { resource_type: 'page', resource_id: componentId, parent_id: id, body: 'Je réponds' });
    expect(reply.status).toBe(303);
    const replyId = commentIdFrom(reply.location);
    page = await bob.browser.get(path);
    expect(page.html).toMatch(new RegExp(`data-replies-of="${id}"[\\s\\S]*id="comment-${replyId}"`));

    const edited = await alice.browser.post(act('editComment'), { comment_id: id, body: 'Texte corrigé' });
    expect(edited.status).toBe(303);
    page = await bob.browser.get(path);
    expect(page.text).toContain('Texte corrigé');
    expect(page.text).toContain('(modifié)');
    // Bob cannot edit Alice's comment: 403, nothing changed.
    const notMine = await bob.browser.post(act('editComment'), { comment_id: id, body: 'piraté' });
    expect(notMine.status).toBe(403);
    expect((await testDb()`select body from public.comments where id = ${id}`)[0]!['body']).toBe('Texte corrigé');

    expect((await bob.browser.post(act('voteComment'), { comment_id: id, value: 'up' })).status).toBe(303);
    page = await bob.browser.get(path);
    expect(page.text).toContain('D’accord (1)');
    // The same vote again withdraws it.
    expect((await bob.browser.post(act('voteComment'), { comment_id: id, value: 'up' })).status).toBe(303);
    expect((await testDb()`select up_votes from public.comments where id = ${id}`)[0]!['up_votes']).toBe(0);

    const reported = await bob.browser.post(act('reportComment'), { comment_id: id, reason: 'offensive' });
    expect(reported.status).toBe(303);
    expect(reported.location).toContain('comments=reported');
    expect((await bob.browser.get(reported.location!)).text).toContain('votre signalement a été transmis');

    // A participant cannot hide; the moderator can, and the comment leaves the public page.
    expect((await bob.browser.post(act('hideComment'), { comment_id: replyId, hidden: 'true' })).status).toBe(403);
    expect((await mod.browser.post(act('hideComment'), { comment_id: replyId, hidden: 'true' })).status).toBe(303);
    expect((await new Browser().get(path)).html).not.toContain(`id="comment-${replyId}"`);
    expect((await mod.browser.get(path)).text).toContain('Commentaire masqué en attente de modération');
    expect((await mod.browser.post(act('hideComment'), { comment_id: replyId, hidden: 'false' })).status).toBe(303);

    expect((await alice.browser.post(act('deleteComment'), { comment_id: id, confirm: 'yes' })).status).toBe(303);
    page = await new Browser().get(path);
    expect(page.text).toContain('Ce commentaire a été supprimé.');
    expect(page.text).not.toContain('Texte corrigé');
  });

  it('hostile input: scripts rendered inert, javascript: links dropped', async () => {
    const r = await alice.browser.post(act('addComment'), {
      resource_type: 'page',
      resource_id: componentId,
      body: '<script>alert(1)</script> <img src=x onerror=alert(2)> [clic](javascript:alert(3)) "><b>x</b>',
    });
    expect(r.status).toBe(303);
    const id = commentIdFrom(r.location);
    const page = await new Browser().get(path);
    const article = new RegExp(`<article[^>]*id="comment-${id}"[\\s\\S]*?</article>`).exec(page.html)?.[0] ?? '';
    expect(article).not.toMatch(/<script|<img|<b>|href="javascript/i);
    expect(article).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('refusals: too long, 1 MB, NUL, invalid UTF-8, blocked phase, signed out — 4xx, a translated message, nothing changed', async () => {
    const before = await commentCount();
    const post = (body: string) => alice.browser.post(act('addComment'), { resource_type: 'page', resource_id: componentId, body });

    const long = await post('x'.repeat(1001));
    expect(long.status).toBe(422);
    expect(alertText(long)).toBe('Votre texte est trop long.');
    // What was typed comes back in the textarea.
    expect(long.html).toContain(`>${'x'.repeat(1001)}</textarea`);

    const huge = await post('x'.repeat(1024 * 1024));
    expect(huge.status).toBeGreaterThanOrEqual(400);
    expect(huge.status).toBeLessThan(500);

    const nul = await post('a\u0000b');
    expect(nul.status).toBe(400);
    expect(alertText(nul)).toBe('Le texte contient des caractères invalides.');

    const raw = await alice.browser.request(act('addComment'), {
      method: 'POST',
      headers: { origin: alice.browser.base, 'content-type': 'application/x-www-form-urlencoded' },
      body: Buffer.concat([Buffer.from(`resource_type=page&resource_id=${componentId}&body=`), Buffer.from([0xc3, 0x28, 0xff, 0xfe])]),
    });
    expect(raw.status).toBe(400);

    await testDb()`update public.components set phase_settings = ${testDb().json({ [phaseId]: { comments_blocked: true } })} where id = ${componentId}`;
    try {
      const blocked = await post('Pendant la phase bloquée');
      expect(blocked.status).toBe(403);
      expect(alertText(blocked)).toBe('Les commentaires sont fermés pendant cette phase : votre commentaire n’a pas été publié.');
      expect((await alice.browser.get(path)).text).toContain('Les commentaires sont fermés pour le moment.');
    } finally {
      await testDb()`update public.components set phase_settings = ${testDb().json({ [phaseId]: { comments_blocked: false } })} where id = ${componentId}`;
    }

    const anon = await new Browser().post(act('addComment'), { resource_type: 'page', resource_id: componentId, body: 'anonyme' });
    expect(anon.status).toBe(401);

    expect(await commentCount()).toBe(before);
  });

  it('the space admins\' moderation queue lists reported and hidden comments, and hides/unhides them', async () => {
    const admin = await person();
    await testDb()`insert into public.space_roles (space_id, user_id, role) values (${spaceId}, ${admin.id}, 'admin')`;
    const r = await alice.browser.post(act('addComment'), { resource_type: 'page', resource_id: componentId, body: 'À modérer' });
    const id = commentIdFrom(r.location);
    expect((await bob.browser.post(act('reportComment'), { comment_id: id, reason: 'spam' })).status).toBe(303);
    const queuePath = `/fr/admin/spaces/${spaceId}/moderation`;
    let queue = await admin.browser.get(queuePath);
    expect(queue.status).toBe(200);
    expect(queue.html).toContain(`id="moderation-${id}"`);
    expect(queue.text).toContain('1 signalement(s)');
    const hid = await admin.browser.post(`${queuePath}?_action=comments.hideComment`, { comment_id: id, hidden: 'true' });
    expect(hid.status).toBe(303);
    queue = await admin.browser.get(queuePath);
    expect(queue.text).toMatch(/À modérer.*Masqué/);
    expect((await new Browser().get(path)).html).not.toContain(`id="comment-${id}"`);
    // Participants do not enter the admin area.
    expect((await bob.browser.get(queuePath)).status).toBe(403);
    // The space's moderators reach its queue (linked from the thread), and no other admin page.
    const modQueue = await mod.browser.get(queuePath);
    expect(modQueue.status).toBe(200);
    expect(modQueue.html).toContain(`id="moderation-${id}"`);
    expect((await mod.browser.get(path)).html).toContain(`href="${queuePath}"`);
    expect((await bob.browser.get(path)).html).not.toContain(`href="${queuePath}"`);
    expect((await mod.browser.get(`/fr/admin/spaces/${spaceId}`)).status).toBe(403);
    expect((await mod.browser.get('/fr/admin/spaces/not-a-uuid/moderation')).status).toBe(403);

    // Official answer: the space admin marks one, shown apart; a moderator cannot.
    const answer = await admin.browser.post(act('addComment'), { resource_type: 'page', resource_id: componentId, body: 'La mairie répond : oui.' });
    const answerId = commentIdFrom(answer.location);
    expect((await mod.browser.post(act('markOfficialAnswer'), { comment_id: answerId, official: 'true' })).status).toBe(403);
    expect((await admin.browser.post(act('markOfficialAnswer'), { comment_id: answerId, official: 'true' })).status).toBe(303);
    const page = await new Browser().get(path);
    expect(page.html).toMatch(/<section class="comments__official"[^>]*aria-labelledby="comments-official-title"[\s\S]*La mairie répond : oui\./);
    expect(page.text).toContain('Réponse de l’organisation');
  });

  it('the live island\'s endpoints answer as the visitor may see (hidden: 404 for participants)', async () => {
    const r = await alice.browser.post(act('addComment'), { resource_type: 'page', resource_id: componentId, body: 'Pour le direct' });
    const id = commentIdFrom(r.location);
    const res = await new Browser().request(`/api/comments/${id}`);
    expect(res.status).toBe(200);
    const { comment } = (await res.json()) as { comment: { id: string; html: string; body: string } };
    expect(comment).toMatchObject({ id, html: '<p>Pour le direct</p>' });
    const fragment = await new Browser().get(`/api/comments/fragment/${id}?locale=fr&page=${encodeURIComponent(path)}`);
    expect(fragment.status).toBe(200);
    expect(fragment.html).toMatch(new RegExp(`^\\s*<article[^>]*id="comment-${id}"`));
    expect(fragment.html).not.toContain('<html');
    expect((await new Browser().get(`/api/comments/fragment/${id}?page=${encodeURIComponent('//evil.example/x')}`)).status).toBe(404);
    await testDb()`update public.comments set hidden_at = now() where id = ${id}`;
    expect((await new Browser().request(`/api/comments/${id}`)).status).toBe(404);
    expect((await new Browser().get(`/api/comments/fragment/${id}?page=${encodeURIComponent(path)}`)).status).toBe(404);
    expect((await mod.browser.request(`/api/comments/${id}`)).status).toBe(200);
    expect((await new Browser().request('/api/comments/not-a-uuid')).status).toBe(404);
    const since = '2000-01-01 00:00:00+00';
    const changes = await new Browser().request(`/api/comments/changes?resource_type=page&resource_id=${componentId}&since=${encodeURIComponent(since)}&ids=${id}`);
    expect(changes.status).toBe(200);
    const body = (await changes.json()) as { comments: { id: string }[]; removed: string[] };
    expect(body.removed).toEqual([id]);
    expect(body.comments.map((c) => c.id)).not.toContain(id);
    expect((await new Browser().request('/api/comments/changes?resource_type=page')).status).toBe(400);
  });

  it('sorts and "show more" page through a long thread with a keyset cursor', async () => {
    const resource = randomUUID();
    await testDb()`
      insert into public.components (id, space_id, feature, name, published_at, settings)
      values (${resource}, ${spaceId}, 'pages', ${testDb().json({ fr: 'Longue' })}, now(), ${testDb().json({ comments_enabled: true })})`;
    await testDb()`
      insert into public.comments (resource_type, resource_id, component_id, author_id, body, created_at, up_votes)
      select 'page', ${resource}::uuid, ${resource}::uuid, ${alice.id}::uuid, 'Commentaire n°' || i, now() - (1000 - i) * interval '1 second', i % 7
      from generate_series(1, 1000) i`;
    const long = `/fr/processes/${slug}/f/${resource}`;
    const first = await new Browser().get(long);
    expect(first.status).toBe(200);
    expect(first.text).toContain('(1000)');
    expect(first.text).toContain('Commentaire n°1 ');
    const more = /href="([^"]*after=[^"]*)"/.exec(first.html)?.[1];
    expect(more).toBeTruthy();
    const second = await new Browser().get(more!.replace(/&amp;/g, '&'));
    expect(second.text).toContain('Commentaire n°21 ');
    expect(second.text).not.toContain('Commentaire n°20 ');
    const recent = await new Browser().get(`${long}?sort=recent`);
    expect(recent.text).toContain('Commentaire n°1000 ');
    const best = await new Browser().get(`${long}?sort=best_rated`);
    expect(best.status).toBe(200);
    // i % 7 up-votes: the best rated (6) come first.
    expect(best.text).toMatch(/Commentaire n°6 .*D’accord \(6\)/);
  });
});
