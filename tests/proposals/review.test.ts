import type postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from '../../src/features/proposals/list.ts';
import { asUser } from '../../src/lib/db/index.ts';
import { connectTestDb } from '../helpers/db.ts';
import { deliverNotifications } from '../helpers/notifications.ts';
import { errorOf, userClaims } from '../db/fixtures.ts';
import { Browser } from '../web/helpers.ts';
import { act, alertText, person, proposalsPlace, published, setPhase, setSettings, type Person, type Place } from './page-fixtures.ts';

/*
 * Adversarial review of the proposals feature: what a hostile or curious visitor tries, over the
 * real stack (HTTP against the site, SQL as the real roles). Each block names the path it probes.
 */

let sql: postgres.Sql;
let place: Place;
let alice: Person;
let bob: Person;
const anon = new Browser();

const as = <T>(userId: string, fn: (tx: postgres.TransactionSql) => Promise<T>) => asUser(userClaims(userId), fn as never, sql) as Promise<T>;

beforeAll(async () => {
  sql = connectTestDb();
  place = await proposalsPlace();
  [alice, bob] = await Promise.all([person('Alice Revue'), person('Bob Curieux')]);
}, 120_000);

afterAll(async () => {
  await sql.end();
});

describe('comments of proposals that are not visible', () => {
  it('a hidden proposal’s comments are not readable through the comments API, nor its live catch-up', async () => {
    const p = await published(place, alice.id, { title: 'Une proposition bientôt masquée' });
    const [c] = await as(bob.id, (tx) => tx<{ id: string }[]>`
      insert into public.comments (resource_type, resource_id, component_id, body)
      values ('proposal', ${p}, ${place.componentId}, 'Un commentaire secret sur la proposition') returning id`);
    expect((await anon.request(`/api/comments/${c!.id}`)).status).toBe(200);
    await sql`update public.proposals set hidden_at = now() where id = ${p}`;
    for (const viewer of [anon, bob.browser]) {
      const res = await viewer.request(`/api/comments/${c!.id}`);
      expect(res.status).toBe(404);
      const frag = await viewer.request(`/api/comments/fragment/${c!.id}`);
      expect(frag.status).toBe(404);
      expect(await frag.text()).not.toContain('secret');
      const changes = await viewer.request(`/api/comments/changes?resource_type=proposal&resource_id=${p}&since=2000-01-01T00:00:00Z&ids=${c!.id}`);
      const body = (await changes.json()) as { comments: unknown[]; removed: string[] };
      expect(body.comments).toEqual([]);
      expect(body.removed).toEqual([c!.id]);
    }
    // As SQL: an anonymous visitor and the commenter no longer read it; the proposal's author
    // (who still sees their hidden proposal) and the space's moderators do.
    expect(await asUser(null, (tx) => tx`select id from public.comments where id = ${c!.id}`, sql)).toHaveLength(0);
    expect(await as(bob.id, (tx) => tx`select id from public.comments where id = ${c!.id}`)).toHaveLength(0);
    expect(await as(alice.id, (tx) => tx`select id from public.comments where id = ${c!.id}`)).toHaveLength(1);
  });

  it('an emendation restricted to its authors keeps its comments to them', async () => {
    const p = await published(place, alice.id, { title: 'Une proposition à amender' });
    const [e] = await as(bob.id, (tx) => tx<{ id: string }[]>`
      insert into public.proposals (component_id, title, body, published_at, amends_id)
      values (${place.componentId}, 'Amendement de Bob', '<p>Un texte d’amendement assez long.</p>', now(), ${p}) returning id`);
    const [c] = await as(bob.id, (tx) => tx<{ id: string }[]>`
      insert into public.comments (resource_type, resource_id, component_id, body)
      values ('proposal', ${e!.id}, ${place.componentId}, 'Note sur mon amendement') returning id`);
    await setPhase(place, { amendments_visibility: 'participants' });
    try {
      expect((await anon.request(`/api/comments/${c!.id}`)).status).toBe(404);
      expect((await bob.browser.request(`/api/comments/${c!.id}`)).status).toBe(200);
    } finally {
      await setPhase(place, { amendments_visibility: 'all' });
    }
  });
});

describe('drafts, hidden proposals and internal answers stay private on every read path', () => {
  it('a draft’s title is found by no one else: list and its text filter, API, card, status, page, versions', async () => {
    const [d] = await as(alice.id, (tx) => tx<{ id: string }[]>`
      insert into public.proposals (component_id, title, body) values (${place.componentId}, 'Brouillon zyxwvu confidentiel', '') returning id`);
    const id = d!.id;
    for (const viewer of [anon, bob.browser]) {
      const api = await viewer.request(`/api/proposals/list/${place.componentId}?q=zyxwvu`);
      expect(api.status).toBe(200);
      expect(((await api.json()) as { total: number }).total).toBe(0);
      const page = await viewer.get(`${place.list}?q=zyxwvu`);
      expect(page.html).toContain('data-total="0"');
      expect(page.html).not.toContain(id);
      const ids = await viewer.request(`/api/proposals/list/${place.componentId}?ids=${id}`);
      expect(JSON.stringify(await ids.json())).not.toContain(id);
      expect((await viewer.request(`/api/proposals/cards/${id}?component=${place.componentId}&space=/fr/processes/${place.slug}`)).status).toBe(404);
      expect((await viewer.request(`/api/proposals/${id}/status?component=${place.componentId}`)).status).toBe(404);
      for (const path of [place.page(id), `${place.page(id)}/versions`, `${place.page(id)}/complete`, `${place.page(id)}/publish`, `${place.page(id)}/edit`]) {
        const r = await viewer.get(path);
        expect(r.html, path).not.toContain('zyxwvu');
        expect([302, 303, 404], path).toContain(r.status);
      }
    }
    const openData = await anon.request('/open-data/proposals.json');
    expect(await openData.text()).not.toContain('zyxwvu');
  });

  it('an internal answer waits unseen; notes and evaluator assignments are not the public’s', async () => {
    await setSettings(place, { publish_answers_immediately: false });
    try {
      const p = await published(place, alice.id, { title: 'Une proposition en attente de réponse' });
      const [state] = await sql<{ id: string }[]>`select id from public.proposal_states where component_id = ${place.componentId} and token = 'rejected'`;
      await sql`insert into public.proposal_answers (proposal_id, component_id, state_id, answer) values (${p}, ${place.componentId}, ${state!.id}, ${sql.json({ fr: '<p>Réponse interne qsdfgh</p>' })})`;
      await sql`insert into public.proposal_notes (proposal_id, body) values (${p}, 'Note privée wxcvbn')`;
      for (const viewer of [anon, alice.browser, bob.browser]) {
        const page = await viewer.get(place.page(p));
        expect(page.status).toBe(200);
        expect(page.html).not.toContain('qsdfgh');
        expect(page.html).not.toContain('wxcvbn');
        expect(page.text).not.toMatch(/Rejetée/);
        expect(await (await viewer.request(`/api/proposals/${p}/status?component=${place.componentId}`)).text()).not.toContain('qsdfgh');
      }
      for (const uid of [alice.id, bob.id]) {
        expect(await as(uid, (tx) => tx`select 1 from public.proposal_answers where proposal_id = ${p}`)).toHaveLength(0);
        expect(await as(uid, (tx) => tx`select 1 from public.proposal_notes where proposal_id = ${p}`)).toHaveLength(0);
        expect(await as(uid, (tx) => tx`select 1 from public.proposal_evaluators where proposal_id = ${p}`)).toHaveLength(0);
        expect(await as(uid, (tx) => tx`select 1 from public.proposal_supports where proposal_id = ${p} and user_id <> ${uid}`)).toHaveLength(0);
      }
      // Exports are the admins' and evaluators'.
      const exportPath = `/fr/admin/spaces/${place.spaceId}/components/${place.componentId}/proposals/export?format=json`;
      expect((await anon.request(exportPath)).status).toBe(401);
      expect((await bob.browser.request(exportPath)).status).toBe(403);
      expect((await bob.browser.request(`${exportPath.replace('json', 'comments')}`)).status).toBe(403);
      const open = await anon.request('/open-data/proposals.json');
      expect(await open.text()).not.toContain('qsdfgh');
    } finally {
      await setSettings(place, { publish_answers_immediately: true });
    }
  });

  it('the live topic of a private space or an unpublished component is refused', async () => {
    const priv = await proposalsPlace();
    await sql`update public.spaces set private = true where id = ${priv.spaceId}`;
    const unpub = await proposalsPlace();
    await sql`update public.components set published_at = null where id = ${unpub.componentId}`;
    for (const c of [priv.componentId, unpub.componentId]) {
      const [r] = await asUser(null, (tx) => tx<{ ok: boolean }[]>`select private.can_view_proposals_topic(${`proposals:${c}`}) as ok`, sql);
      expect(r!.ok).toBe(false);
      const [r2] = await as(bob.id, (tx) => tx<{ ok: boolean }[]>`select private.can_view_proposals_topic(${`proposals:${c}`}) as ok`);
      expect(r2!.ok).toBe(false);
      expect((await anon.request(`/api/proposals/list/${c}`)).status).toBe(404);
    }
  });
});

describe('writes a participant has no right to', () => {
  it('platform columns, someone else’s proposal, admin functions: refused by the database', async () => {
    const p = await published(place, alice.id, { title: 'La proposition d’Alice, intouchable' });
    const mine = await published(place, bob.id, { title: 'La proposition de Bob, la sienne' });
    const other = await proposalsPlace();
    const cols: [string, (tx: postgres.TransactionSql) => Promise<unknown>][] = [
      ['supports_count', (tx) => tx`update public.proposals set supports_count = 999 where id = ${mine}`],
      ['state_id', (tx) => tx`update public.proposals set state_id = null where id = ${mine}`],
      ['official', (tx) => tx`update public.proposals set official = true where id = ${mine}`],
      ['author_id', (tx) => tx`update public.proposals set author_id = ${alice.id} where id = ${mine}`],
      ['component_id', (tx) => tx`update public.proposals set component_id = ${other.componentId} where id = ${mine}`],
      ['amends_id', (tx) => tx`update public.proposals set amends_id = ${p} where id = ${mine}`],
      ['answer', (tx) => tx`update public.proposals set answer = '{"fr":"x"}' where id = ${mine}`],
      ['insert author_id', (tx) => tx`insert into public.proposals (component_id, title, author_id) values (${place.componentId}, 'Un titre piégé', ${alice.id})`],
      ['insert supports_count', (tx) => tx`insert into public.proposals (component_id, title, supports_count) values (${place.componentId}, 'Un titre piégé', 5)`],
      ['tally', (tx) => tx`update public.proposal_support_tallies set supports = 0`],
      ['support for someone', (tx) => tx`insert into public.proposal_supports (proposal_id, user_id) values (${p}, ${alice.id})`],
      ['publish answers', (tx) => tx`select public.publish_proposal_answers(${[p]}::uuid[])`],
      ['merge', (tx) => tx`select public.merge_proposals(${[p, mine]}::uuid[], 'Fusion pirate', '<p>Fusion pirate de deux propositions.</p>')`],
      ['split', (tx) => tx`select public.split_proposal(${p}, ${tx.json([{ title: 'Partie une', body: '' }, { title: 'Partie deux', body: '' }])})`],
      ['import', (tx) => tx`select public.import_proposals(${place.componentId}, ${other.componentId}, null)`],
      ['self co-author', (tx) => tx`insert into public.proposal_coauthors (proposal_id, user_id) values (${p}, ${bob.id})`],
      ['react to amendment', (tx) => tx`select public.react_to_amendment(${p}, true)`],
      ['answer', (tx) => tx`insert into public.proposal_answers (proposal_id, answer) values (${p}, '{"fr":"<p>Oui</p>"}')`],
      ['note', (tx) => tx`insert into public.proposal_notes (proposal_id, body) values (${p}, 'Note pirate')`],
    ];
    for (const [label, write] of cols) {
      const err = await errorOf(sql, userClaims(bob.id), write);
      expect(['42501', '23503', '23514'], label).toContain(err.code);
    }
    // Someone else's proposal: no row to touch.
    const touched = await as(bob.id, (tx) => tx`update public.proposals set title = 'Titre changé par Bob' where id = ${p}`);
    expect((touched as unknown as { count: number }).count).toBe(0);
    const [row] = await sql<{ title: string; supports_count: number }[]>`select title, supports_count from public.proposals where id = ${p}`;
    expect(row!.title).toBe('La proposition d’Alice, intouchable');
  });

  it('over HTTP: refusals are clean 4xx with a translated message, never a 500', async () => {
    const p = await published(place, alice.id, { title: 'Cible des formulaires piégés' });
    // (Written as the owner: Alice may not amend her own proposal; only Bob's refusals matter here.)
    const [e] = await sql<{ id: string }[]>`
      insert into public.proposals (component_id, author_id, title, body, published_at, amends_id, amendment_state)
      values (${place.componentId}, ${alice.id}, 'Amendement d’Alice à elle-même', '<p>Un amendement assez long.</p>', now(), ${p}, 'evaluating')
      returning id`;
    const page = place.page(p);
    const attempts: [string, Record<string, string>][] = [
      ['withdrawProposal', { proposal_id: p, confirm: 'yes' }],
      ['updateProposal', { proposal_id: p, title: 'Titre réécrit par Bob', body: 'Un texte réécrit par quelqu’un d’autre.' }],
      ['completeProposal', { proposal_id: p, address: 'Rue piégée' }],
      ['acceptCoauthorship', { proposal_id: p }],
      ['inviteCoauthor', { proposal_id: p, identifier: bob.nickname }],
      ['cancelInvitation', { proposal_id: p, user_id: alice.id }],
      ['reactToAmendment', { emendation_id: e!.id, accept: 'true' }],
      ['promoteAmendment', { emendation_id: e!.id }],
      ['publishProposal', { proposal_id: p }],
      ['deleteDraft', { proposal_id: p, confirm: 'yes' }],
    ];
    for (const [name, fields] of attempts) {
      const res = await bob.browser.post(act(page, name), fields);
      expect(res.status, name).toBeGreaterThanOrEqual(400);
      expect(res.status, name).toBeLessThan(500);
      expect(alertText(res), name).not.toBe('');
    }
    // The RPC endpoints of the admin actions, as a participant.
    for (const [name, fields] of [
      ['answerProposal', { proposal_id: p, state_id: '', answer: '', cost: '' }],
      ['publishAnswers', { component_id: place.componentId, ids: p }],
      ['mergeProposals', { component_id: place.componentId, ids: p }],
      ['hideProposal', { proposal_id: p }],
    ] as const) {
      const res = await bob.browser.request(`/_actions/proposalsAdmin.${name}`, {
        method: 'POST', body: new URLSearchParams(fields as Record<string, string>), headers: { origin: bob.browser.base },
      });
      expect(res.status, name).toBeGreaterThanOrEqual(400);
      expect(res.status, name).toBeLessThan(500);
    }
    const [row] = await sql<{ title: string; withdrawn_at: Date | null; hidden_at: Date | null; authors_count: number }[]>`
      select title, withdrawn_at, hidden_at, authors_count from public.proposals where id = ${p}`;
    expect(row).toMatchObject({ title: 'Cible des formulaires piégés', withdrawn_at: null, hidden_at: null, authors_count: 1 });
  });

  it('concurrent supports over HTTP: never twice, never over the limit, no 500', async () => {
    const lim = await proposalsPlace({ vote_limit: 2 });
    const ids = await Promise.all(Array.from({ length: 6 }, (_, i) => published(lim, alice.id, { title: `Proposition à soutenir ${i}` })));
    const twice = await Promise.all(Array.from({ length: 6 }, () => bob.browser.post(act(lim.page(ids[0]!), 'supportProposal'), { proposal_id: ids[0]! })));
    const many = await Promise.all(ids.slice(1).map((id) => bob.browser.post(act(lim.page(id), 'supportProposal'), { proposal_id: id })));
    for (const r of [...twice, ...many]) expect(r.status).toBeLessThan(500);
    const [t] = await sql<{ n: number }[]>`select count(*)::int as n from public.proposal_supports where user_id = ${bob.id} and component_id = ${lim.componentId}`;
    expect(t!.n).toBe(2);
    const [c] = await sql<{ s: number }[]>`select sum(supports_count)::int as s from public.proposals where component_id = ${lim.componentId}`;
    expect(c!.s).toBe(2);
  });

  it('supports of a draft, a hidden or a withdrawn proposal are refused cleanly', async () => {
    const [d] = await as(alice.id, (tx) => tx<{ id: string }[]>`insert into public.proposals (component_id, title) values (${place.componentId}, 'Un brouillon à soutenir') returning id`);
    const h = await published(place, alice.id, { title: 'Une proposition masquée à soutenir' });
    await sql`update public.proposals set hidden_at = now() where id = ${h}`;
    const w = await published(place, alice.id, { title: 'Une proposition retirée à soutenir' });
    await sql`update public.proposals set withdrawn_at = now() where id = ${w}`;
    for (const id of [d!.id, h, w]) {
      // A withdrawn proposal stays on view: it may still be followed and reported.
      for (const name of id === w ? ['supportProposal', 'likeProposal'] : ['supportProposal', 'likeProposal', 'followProposal', 'reportProposal']) {
        const res = await bob.browser.post(act(place.page(id), name), { proposal_id: id, reason: 'spam' });
        expect(res.status, `${name} ${id}`).toBeGreaterThanOrEqual(400);
        expect(res.status, `${name} ${id}`).toBeLessThan(500);
      }
      const err = await errorOf(sql, userClaims(bob.id), (tx) => tx`insert into public.proposal_supports (proposal_id) values (${id})`);
      expect(err.code).toBe('42501');
    }
  });
});

describe('hostile input', () => {
  it('list API and page: malformed parameters are a 400 with a code (API) or defaults (page), never a 500', async () => {
    const bad = [
      'lat=91&lng=0&radius=100', 'lat=NaN&lng=0&radius=100', 'lat=Infinity&lng=0&radius=10', 'lat=0&lng=0&radius=-5', 'lat=0&lng=0&radius=1e308',
      's=50&n=10&w=0&e=1', 's=abc&n=1&w=0&e=1', 's=-91&n=91&w=-181&e=181', 'after=%00%FF', 'after=' + 'x'.repeat(5000), 'after=eyJ4IjoxfQ',
      "sort=recent';drop table public.proposals;--", 'sort=__proto__', 'seed=-1', 'seed=1e400', 'taxonomy=not-a-uuid', 'state=%00',
      ...['2026-13-45 25:61:61', '2026-02-30 10:00:00', '0000-01-01 00:00:00', '2026-01-01 24:00:00', '9999-12-31 23:59:59+99'].map(
        (k) => `sort=recent&after=${encodeCursor({ sort: 'recent', key: k, id: '00000000-0000-4000-8000-000000000000' })}`),
      `sort=most_liked&after=${encodeCursor({ sort: 'most_liked', key: '2147483647', id: '00000000-0000-4000-8000-000000000000' })}`,
      `sort=recent&after=${encodeCursor({ sort: 'most_liked', key: '5', id: '00000000-0000-4000-8000-000000000000' })}`,
      'q=%00', 'q=%FF%FE', 'q=' + 'a'.repeat(10_000), 'locale=%00', 'locale=../../etc', 'size=1e9', 'ids=%00', 'mine=2', 'answer=maybe',
    ];
    for (const qs of bad) {
      const api = await anon.request(`/api/proposals/list/${place.componentId}?${qs}`);
      expect(api.status, qs).toBeLessThan(500);
      const page = await anon.get(`${place.list}?${qs}`);
      expect(page.status, qs).toBeLessThan(500);
      const card = await anon.request(`/api/proposals/cards/00000000-0000-0000-0000-000000000000?component=${place.componentId}&space=/fr/processes/${place.slug}&${qs}`);
      expect(card.status, qs).toBeLessThan(500);
    }
    for (const path of [
      `/api/proposals/list/not-a-uuid`, `/api/proposals/list/%00`, `/api/proposals/cards/%00?component=x`, `/api/proposals/x/status?component=%FF`,
      `${place.list}/proposals/not-a-uuid`, `${place.list}/proposals/%00/versions`, `${place.list}/proposals/${'1'.repeat(36)}`,
      `/fr/processes/${place.slug}/f/not-a-uuid/proposals/new`, `/open-data/proposals.json?locale=%00`,
    ]) {
      const r = await anon.request(path);
      expect(r.status, path).toBeLessThan(500);
    }
  });

  it('forms: NUL, invalid UTF-8, huge values and out-of-range points are refused with a message', async () => {
    const newPath = `${place.list}/proposals/new`;
    const raw = (body: string) =>
      alice.browser.request(act(newPath, 'createProposal'), {
        method: 'POST', body, headers: { origin: alice.browser.base, 'content-type': 'application/x-www-form-urlencoded' },
      });
    for (const body of [
      `component_id=${place.componentId}&title=Un%00titre%20nul&body=Un%20texte%20assez%20long%20pour%20passer.`,
      `component_id=${place.componentId}&title=Un%FFtitre%20casse&body=Un%20texte%20assez%20long%20pour%20passer.`,
      `component_id=${place.componentId}&title=${'T'.repeat(200_000)}&body=x`,
      `component_id=${place.componentId}&title=Un%20titre%20correct&body=${'b'.repeat(2_000_000)}`,
      `component_id=%00&title=Un%20titre%20correct&body=Un%20texte%20assez%20long%20pour%20passer.`,
    ]) {
      const res = await raw(body);
      expect(res.status, body.slice(0, 80)).toBeGreaterThanOrEqual(400);
      expect(res.status, body.slice(0, 80)).toBeLessThan(500);
    }
    const [d] = await as(alice.id, (tx) => tx<{ id: string }[]>`insert into public.proposals (component_id, title, body) values (${place.componentId}, 'Brouillon pour le lieu', '<p>Un texte assez long pour publier.</p>') returning id`);
    for (const [lat, lng] of [['91', '0'], ['NaN', '0'], ['Infinity', '0'], ['0', '-181'], ['1e400', '0'], ['-Infinity', '0']]) {
      const res = await alice.browser.post(act(`${place.page(d!.id)}/complete`, 'completeProposal'), { proposal_id: d!.id, latitude: lat!, longitude: lng! });
      expect(res.status, lat).toBe(400);
      expect(alertText(res), lat).not.toBe('');
    }
  });

  it('HTML in title, body and address is stored sanitised and rendered escaped', async () => {
    const newPath = `${place.list}/proposals/new`;
    const created = await alice.browser.post(act(newPath, 'createProposal'), {
      component_id: place.componentId,
      title: 'Titre <script>alert("t")</script> <img src=x onerror=alert(1)>',
      body: '<p onclick="alert(2)">Corps <a href="javascript:alert(3)">lien</a> <script>alert(4)</script><iframe src="//evil"></iframe> assez long.</p>',
    });
    expect(created.status).toBe(303);
    const id = /proposals\/([0-9a-f-]{36})/.exec(created.location ?? '')![1]!;
    const [row] = await sql<{ body: string }[]>`select body from public.proposals where id = ${id}`;
    // Bodies are Markdown: the HTML typed in them is kept as text (escaped), never as markup.
    expect(row!.body).not.toMatch(/<(script|iframe)|<[a-z][^>]*(onclick|javascript:)/i);
    expect(row!.body).toContain('&lt;script&gt;alert(4)&lt;/script&gt;');
    await alice.browser.post(act(`${place.page(id)}/complete`, 'completeProposal'), { proposal_id: id, address: '<b onmouseover=alert(5)>Rue</b>', latitude: '47.1', longitude: '2.1' });
    await alice.browser.post(act(`${place.page(id)}/publish`, 'publishProposal'), { proposal_id: id });
    for (const path of [place.page(id), `${place.page(id)}/versions`, place.list, `${place.list}?view=map`]) {
      const html = (await anon.get(path)).html;
      expect(html, path).not.toContain('<script>alert("t")');
      expect(html, path).not.toContain('<img src=x');
      expect(html, path).not.toContain('<b onmouseover');
      expect(html, path).not.toMatch(/<a\s[^>]*javascript:alert/);
    }
    const card = await anon.request(`/api/proposals/cards/${id}?component=${place.componentId}&space=/fr/processes/${place.slug}`);
    expect(await card.text()).not.toContain('<script>alert("t")');
  });
});

describe('hostile input on the admin side (a space admin)', () => {
  it('NUL and invalid UTF-8 in admin forms, garbage in admin query strings: 4xx or defaults, never a 500', async () => {
    const admin = await person('Ada Admin');
    await sql`insert into public.space_roles (space_id, user_id, role) values (${place.spaceId}, ${admin.id}, 'admin')`;
    const p = await published(place, alice.id, { title: 'Proposition pour l’administration' });
    const p2 = await published(place, alice.id, { title: 'Deuxième proposition pour l’administration' });
    const base = `/fr/admin/spaces/${place.spaceId}/components/${place.componentId}`;
    const raw = (path: string, name: string, body: string) =>
      admin.browser.request(`${base}/${path}?_action=proposalsAdmin.${name}`, {
        method: 'POST', body, headers: { origin: admin.browser.base, 'content-type': 'application/x-www-form-urlencoded' },
      });
    const posts: [string, string, string][] = [
      [`proposals/${p}`, 'answerProposal', `proposal_id=${p}&answer.fr=R%C3%A9ponse%00nulle`],
      [`proposals/${p}`, 'answerProposal', `proposal_id=${p}&cost_report.fr=%00&cost=12`],
      [`proposals/${p}`, 'addNote', `proposal_id=${p}&body=Note%00nulle`],
      ['proposals/states', 'saveState', `component_id=${place.componentId}&token=nul_state&name.fr=Nom%00nul&color=%23000000`],
      ['proposals/merge', 'mergeProposals', `component_id=${place.componentId}&ids=${p}&ids=${p2}&title=Fusion%00nulle%20du%20titre&body=Un%20texte%20de%20fusion%20assez%20long.`],
      [`proposals/split`, 'splitProposal', `proposal_id=${p}&title=Partie%00une&body=x&title=Partie%20deux&body=y`],
      ['proposals/new', 'createOfficialProposal', `component_id=${place.componentId}&title=Officielle%00nulle&body=Un%20texte%20officiel%20assez%20long.`],
      ['proposals/new', 'createOfficialProposal', `component_id=${place.componentId}&title=Officielle%20correcte&body=Un%20texte%00officiel%20assez%20long.`],
    ];
    for (const [path, name, body] of posts) {
      const res = await raw(path, name, body);
      expect(res.status, `${name} ${body}`).toBeGreaterThanOrEqual(400);
      expect(res.status, `${name} ${body}`).toBeLessThan(500);
    }
    // Invalid UTF-8 decodes to U+FFFD: an admin's text keeps it (no 500 either way).
    expect((await raw(`proposals/${p}`, 'answerProposal', `proposal_id=${p}&answer.fr=R%FFponse`)).status).toBeLessThan(500);
    for (const qs of ['q=%00', 'q=%FF', 'page=-1', 'page=1e20', 'page=%00', 'state=%00', 'taxonomy=nope', 'evaluator=%00', 'sort=%27;--', 'done=%00&n=1e400']) {
      const r = await admin.browser.get(`${base}?${qs}`);
      expect(r.status, qs).toBeLessThan(500);
    }
    for (const path of [`proposals/split?proposal=%00&parts=1e9`, `proposals/split?proposal=${p}&parts=-5`, `proposals/merge?ids=%00&ids=${p}`,
      `proposals/states?edit=%00`, `proposals/%00`, `proposals/not-a-uuid`, `proposals/export?format=%00`, `proposals/${p}?done=%00`]) {
      const r = await admin.browser.get(`${base}/${path}`);
      expect(r.status, path).toBeLessThan(500);
    }
  });
});

describe('co-author lookup', () => {
  it('invitations are by nickname: an email, known or not, matches nobody (review-issue9.test.ts, finding 8)', async () => {
    const carol = await person('Carol Discrète');
    const [d] = await as(bob.id, (tx) => tx<{ id: string }[]>`insert into public.proposals (component_id, title) values (${place.componentId}, 'Brouillon de sondage') returning id`);
    // The bare lookup is gone; on a draft nothing is answered.
    expect((await errorOf(sql, userClaims(bob.id), (tx) => tx`select public.find_coauthor(${d!.id}::uuid, ${carol.email})`)).code).toBe('42883');
    expect((await errorOf(sql, userClaims(bob.id), (tx) => tx`select * from public.invite_coauthor(${d!.id}::uuid, ${carol.email})`)).code).toBe('23514');
    // Someone else's proposal: refused.
    const p = await published(place, alice.id, { title: 'Proposition d’Alice pour la recherche' });
    expect((await errorOf(sql, userClaims(bob.id), (tx) => tx`select * from public.invite_coauthor(${p}::uuid, ${carol.email})`)).code).toBe('42501');
    // On their own published proposal, an email matches nobody; her nickname invites Carol, who is told.
    const mine = await published(place, bob.id, { title: 'Proposition publiée de Bob' });
    const [byEmail] = await as(bob.id, (tx) => tx<{ invitee: string | null; already: boolean }[]>`select * from public.invite_coauthor(${mine}::uuid, ${carol.email.toUpperCase()})`);
    expect(byEmail).toEqual({ invitee: null, already: false });
    const [r] = await as(bob.id, (tx) => tx<{ invitee: string; already: boolean }[]>`select * from public.invite_coauthor(${mine}::uuid, ${carol.nickname.toUpperCase()})`);
    expect(r).toEqual({ invitee: carol.id, already: false });
    await deliverNotifications(sql, place.spaceId);
    const notes = await sql`select 1 from public.notifications where user_id = ${carol.id} and kind = 'proposals.coauthor_invited' and resource_id = ${mine}`;
    expect(notes).toHaveLength(1);
    const [again] = await as(bob.id, (tx) => tx<{ invitee: string; already: boolean }[]>`select * from public.invite_coauthor(${mine}::uuid, ${`@${carol.nickname}`})`);
    expect(again).toEqual({ invitee: carol.id, already: true });
    const [none] = await as(bob.id, (tx) => tx<{ invitee: string | null }[]>`select * from public.invite_coauthor(${mine}::uuid, 'personne@nulle-part.invalid')`);
    expect(none!.invitee).toBeNull();
  });
});

describe('live topic payloads', () => {
  it('an emendation restricted to its authors is not announced on the component’s topic', async () => {
    const restricted = await proposalsPlace({}, { amendments_visibility: 'participants' });
    const p = await published(restricted, alice.id, { title: 'Proposition amendée en privé' });
    // No RETURNING (as the app): the row is its author's only once the trigger has made them one.
    await as(bob.id, (tx) => tx`
      insert into public.proposals (component_id, title, body, published_at, amends_id)
      values (${restricted.componentId}, 'Amendement discret de Bob', '<p>Un texte d’amendement assez long.</p>', now(), ${p})`);
    const [e] = await sql<{ id: string }[]>`select id from public.proposals where amends_id = ${p}`;
    await as(bob.id, (tx) => tx`insert into public.likes (resource_type, resource_id) values ('proposal', ${e!.id})`);
    await as(alice.id, (tx) => tx`insert into public.likes (resource_type, resource_id) values ('proposal', ${p})`);
    const sent = await sql<{ id: string | null; amends: string | null }[]>`
      select payload ->> 'proposal_id' as id, payload ->> 'amends_id' as amends from realtime.messages
      where topic = ${`proposals:${restricted.componentId}`}`;
    expect(sent.map((m) => m.id)).toContain(p);
    expect(sent.filter((m) => m.id === e!.id || m.amends === p)).toEqual([]);
  });
});

describe('limits under concurrent requests and after the window', () => {
  it('publishing five drafts at once with a limit of one publishes one; an edit after the window is refused with a message', async () => {
    const lim = await proposalsPlace({ proposal_limit: 1, proposal_edit_time: 'limited', edit_time_minutes: 5 });
    const drafts: string[] = [];
    for (let i = 0; i < 5; i++) {
      const [d] = await as(alice.id, (tx) => tx<{ id: string }[]>`
        insert into public.proposals (component_id, title, body) values (${lim.componentId}, ${`Brouillon concurrent ${i}`}, '<p>Un texte assez long pour être publié.</p>') returning id`);
      drafts.push(d!.id);
    }
    const res = await Promise.all(drafts.map((id) => alice.browser.post(act(`${lim.page(id)}/publish`, 'publishProposal'), { proposal_id: id })));
    for (const r of res) expect(r.status).toBeLessThan(500);
    expect(res.filter((r) => r.status === 303)).toHaveLength(1);
    const [n] = await sql<{ n: number }[]>`select count(*)::int as n from public.proposals where component_id = ${lim.componentId} and published_at is not null`;
    expect(n!.n).toBe(1);

    const old = await published(lim, bob.id, { title: 'Publiée il y a longtemps', publishedAt: new Date(Date.now() - 3_600_000) });
    const edit = await bob.browser.post(act(`${lim.page(old)}/edit`, 'updateProposal'), { proposal_id: old, title: 'Titre modifié trop tard', body: 'Un texte modifié trop tard pour compter.' });
    expect(edit.status).toBeGreaterThanOrEqual(400);
    expect(edit.status).toBeLessThan(500);
    expect(alertText(edit)).not.toBe('');
    const [row] = await sql<{ title: string }[]>`select title from public.proposals where id = ${old}`;
    expect(row!.title).toBe('Publiée il y a longtemps');
  });

  it('while votes are hidden no count nor order by supports shows anywhere', async () => {
    const hid = await proposalsPlace({ threshold_per_proposal: 10 }, { votes_hidden: true });
    const top = await published(hid, alice.id, { title: 'La plus soutenue en secret' });
    const low = await published(hid, alice.id, { title: 'La moins soutenue en secret' });
    const [f1, f2, f3] = await Promise.all([person(), person(), person()]);
    for (const u of [f1!, f2!, f3!]) await as(u.id, (tx) => tx`insert into public.proposal_supports (proposal_id) values (${top})`);
    const api = (await (await anon.request(`/api/proposals/list/${hid.componentId}?sort=most_voted&ids=${top},${low}`)).json()) as {
      sort: string; items: { supports: number | null }[]; counts?: Record<string, { supports: number | null }> | { id: string; supports: number | null }[];
    };
    expect(api.sort).not.toBe('most_voted');
    expect(api.items.every((i) => i.supports === null)).toBe(true);
    expect(JSON.stringify(api.counts ?? {})).not.toMatch(/"supports":3/);
    for (const path of [hid.page(top), hid.list, `${hid.list}?sort=most_voted`]) {
      const page = await f1!.browser.get(path);
      expect(page.text, path).not.toMatch(/3 soutiens|3 soutien\(s\)|3 sur 10/);
      expect(page.html, path).not.toMatch(/aria-valuenow="3"|value="3" max="10"/);
    }
    const card = await anon.request(`/api/proposals/cards/${top}?component=${hid.componentId}&space=/fr/processes/${hid.slug}`);
    expect(await card.text()).not.toMatch(/3 soutien/);
    const open = (await (await anon.request('/open-data/proposals.json')).json()) as { id: string; supports: number | null }[];
    expect(open.find((r) => r.id === top)?.supports).toBeNull();
  });
});

describe('cross-site posts and redirects', () => {
  it('a post from another origin is refused; a next or return parameter never leaves the site', async () => {
    const p = await published(place, alice.id, { title: 'Proposition visée par un autre site' });
    const forged = await bob.browser.post(act(place.page(p), 'supportProposal'), { proposal_id: p }, { origin: 'https://evil.example' });
    expect(forged.status).toBe(403);
    const noOrigin = await bob.browser.request(act(place.page(p), 'likeProposal'), {
      method: 'POST', body: new URLSearchParams({ proposal_id: p }), headers: { origin: 'null' },
    });
    expect(noOrigin.status).toBe(403);
    expect(await sql`select 1 from public.proposal_supports where proposal_id = ${p}`).toHaveLength(0);
    expect(await sql`select 1 from public.likes where resource_type = 'proposal' and resource_id = ${p}`).toHaveLength(0);
    for (const extra of ['next=https://evil.example/', 'return=//evil.example', 'redirect=https:%2F%2Fevil.example']) {
      const r = await bob.browser.post(`${act(place.page(p), 'followProposal')}&${extra}`, { proposal_id: p, next: 'https://evil.example/', return: '//evil.example' });
      expect(r.status).toBe(303);
      expect(new URL(r.location!, bob.browser.base).origin).toBe(new URL(bob.browser.base).origin);
      await bob.browser.post(act(place.page(p), 'unfollowProposal'), { proposal_id: p });
    }
    const wizard = await bob.browser.post(`${act(`${place.list}/proposals/new`, 'createProposal')}&next=https://evil.example`, {
      component_id: place.componentId, title: 'Une proposition redirigée', body: 'Un texte assez long pour passer la règle.', next: 'https://evil.example',
    });
    expect(wizard.status).toBe(303);
    expect(new URL(wizard.location!, bob.browser.base).origin).toBe(new URL(bob.browser.base).origin);
  });
});

describe('proposals out of their place', () => {
  it('a private space’s proposal and a proposal under another component’s address are not found', async () => {
    const priv = await proposalsPlace();
    const secret = await published(priv, alice.id, { title: 'Proposition d’un espace privé plmokn' });
    await sql`update public.spaces set private = true where id = ${priv.spaceId}`;
    for (const viewer of [anon, bob.browser]) {
      for (const path of [priv.page(secret), `${priv.page(secret)}/versions`, priv.list, place.page(secret), `${place.page(secret)}/versions`]) {
        const r = await viewer.get(path);
        expect(r.status, path).toBe(404);
        expect(r.html, path).not.toContain('plmokn');
      }
      expect((await viewer.request(`/api/proposals/${secret}/status?component=${priv.componentId}`)).status).toBe(404);
      expect((await viewer.request(`/api/proposals/${secret}/status?component=${place.componentId}`)).status).toBe(404);
      const card = await viewer.request(`/api/proposals/cards/${secret}?component=${place.componentId}&space=/fr/processes/${place.slug}`);
      expect(card.status).toBe(404);
      expect(await (await viewer.request(`/api/comments/changes?resource_type=proposal&resource_id=${secret}&since=2000-01-01T00:00:00Z`)).text()).not.toContain('plmokn');
    }
    expect(await (await anon.request('/open-data/proposals.csv')).text()).not.toContain('plmokn');
    // Someone else's published proposal: the wizard's and the edit pages are not theirs.
    const p = await published(place, alice.id, { title: 'Proposition d’Alice, pages d’auteur' });
    for (const step of ['edit', 'complete', 'publish']) {
      const r = await bob.browser.get(`${place.page(p)}/${step}`);
      expect([302, 303, 403, 404], step).toContain(r.status);
      expect(r.html, step).not.toContain('name="title"');
    }
  });
});

describe('amendments of a withdrawn proposal', () => {
  it('accepting an amendment no longer rewrites a proposal its authors withdrew (a message, not a 500)', async () => {
    const p = await published(place, alice.id, { title: 'Proposition bientôt retirée par Alice' });
    await as(bob.id, (tx) => tx`
      insert into public.proposals (component_id, title, body, published_at, amends_id)
      values (${place.componentId}, 'Amendement en attente de Bob', '<p>Un texte d’amendement assez long.</p>', now(), ${p})`);
    const [e] = await sql<{ id: string }[]>`select id from public.proposals where amends_id = ${p}`;
    await as(alice.id, (tx) => tx`update public.proposals set withdrawn_at = now() where id = ${p}`);
    const err = await errorOf(sql, userClaims(alice.id), (tx) => tx`select public.react_to_amendment(${e!.id}, true)`);
    expect(err.code).toBe('23514');
    const res = await alice.browser.post(act(place.page(p), 'reactToAmendment'), { emendation_id: e!.id, accept: 'true' });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(alertText(res)).not.toBe('');
    const [row] = await sql<{ title: string }[]>`select title from public.proposals where id = ${p}`;
    expect(row!.title).toBe('Proposition bientôt retirée par Alice');
    // Rejecting stays possible (it changes nothing of the withdrawn proposal).
    await as(alice.id, (tx) => tx`select public.react_to_amendment(${e!.id}, false)`);
  });
});

describe('co-authors leaving at once', () => {
  it('two co-authors leaving at the same moment never leave a proposal authorless', async () => {
    for (let round = 0; round < 4; round++) {
      const p = await published(place, alice.id, { title: `Proposition à deux auteurs ${round}` });
      await as(alice.id, (tx) => tx`insert into public.proposal_coauthors (proposal_id, user_id) values (${p}, ${bob.id})`);
      await as(bob.id, (tx) => tx`update public.proposal_coauthors set status = 'accepted' where proposal_id = ${p} and user_id = ${bob.id}`);
      const leave = (uid: string) =>
        as(uid, (tx) => tx`delete from public.proposal_coauthors where proposal_id = ${p} and user_id = ${uid}`).then(() => 'left', (e: { code?: string }) => e.code);
      const outcomes = await Promise.all([leave(alice.id), leave(bob.id)]);
      expect(outcomes.sort()).toEqual(['23514', 'left']);
      const [n] = await sql<{ n: number }[]>`select count(*)::int as n from public.proposal_coauthors where proposal_id = ${p} and status = 'accepted'`;
      expect(n!.n).toBe(1);
    }
  });
});

describe('admins and drafts', () => {
  it('a participant’s draft cannot be answered, evaluated, merged or split, even by an admin who knows its id', async () => {
    const admin = await person('Ada Brouillons');
    await sql`insert into public.space_roles (space_id, user_id, role) values (${place.spaceId}, ${admin.id}, 'admin')`;
    const [d] = await as(alice.id, (tx) => tx<{ id: string }[]>`insert into public.proposals (component_id, title) values (${place.componentId}, 'Brouillon convoité') returning id`);
    const p = await published(place, bob.id, { title: 'Proposition publiée à fusionner' });
    const as_admin = userClaims(admin.id);
    expect((await errorOf(sql, as_admin, (tx) => tx`insert into public.proposal_answers (proposal_id, answer) values (${d!.id}, '{"fr":"<p>Oui</p>"}')`)).code).toBe('42501');
    expect((await errorOf(sql, as_admin, (tx) => tx`insert into public.proposal_notes (proposal_id, body) values (${d!.id}, 'Note sur un brouillon')`)).code).toBe('42501');
    expect((await errorOf(sql, as_admin, (tx) => tx`select public.merge_proposals(${[d!.id, p]}::uuid[], 'Fusion avec un brouillon', '<p>Fusion avec un brouillon.</p>')`)).code).toBe('23514');
    expect((await errorOf(sql, as_admin, (tx) => tx`select public.split_proposal(${d!.id}, ${tx.json([{ title: 'Partie une', body: '' }, { title: 'Partie deux', body: '' }])})`)).code).toBe('42501');
    const [row] = await sql<{ withdrawn_at: Date | null; state_id: string | null }[]>`select withdrawn_at, state_id from public.proposals where id = ${d!.id}`;
    expect(row).toEqual({ withdrawn_at: null, state_id: null });
  });
});
