import { randomUUID } from 'node:crypto';
import type postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTestDb } from '../helpers/db.ts';
import { Browser, createConfirmedUser, decodeEntities, signedIn } from '../web/helpers.ts';
import { createProposal, createProposalsComponent, support, updatePhase, updateSettings, type ProposalsFixture } from './fixtures.ts';

/*
 * The list page and its API over HTTP, without JavaScript: the page renders the cards, the
 * filters (a GET form), the orders, keyset "next" links and the map view; bad parameters never
 * give a 500 (defaults and a notice on the page, a 400 with a translated message on the API).
 */

let sql: postgres.Sql;
let f: ProposalsFixture;
let path: string;
let spacePath: string;
let author: { id: string; email: string; password: string; name: string };
let supporterBrowser: Browser;
let supporterId: string;
const p: Record<string, string> = {};
const anon = new Browser();

const cardIds = (html: string) => [...html.matchAll(/data-proposal-id="([0-9a-f-]{36})"/g)].map((m) => m[1]!);

beforeAll(async () => {
  sql = connectTestDb();
  f = await createProposalsComponent(sql, {
    settings: { threshold_per_proposal: 10, default_sort: 'recent', announcement: { fr: '<p>Annonce <strong>globale</strong><script>alert(1)</script></p>' } },
    phase: { announcement: { fr: '<p>Annonce de phase</p>' } },
  });
  const [space] = await sql<{ slug: string }[]>`select slug from public.spaces where id = ${f.spaceId}`;
  spacePath = `/fr/processes/${space!.slug}`;
  path = `${spacePath}/f/${f.componentId}`;
  author = await createConfirmedUser({ name: 'Inès Autrice' });
  const supporter = await createConfirmedUser({ name: 'Sam Soutien' });
  supporterId = supporter.id;
  supporterBrowser = await signedIn(supporter.email, supporter.password);
  p['velo'] = await createProposal(sql, f, author.id, { title: 'Des arceaux à vélo devant la gare', latitude: 47.5, longitude: 2.85 });
  p['arbres'] = await createProposal(sql, f, author.id, { title: 'Planter des arbres rue Haute', latitude: 47.51, longitude: 2.86 });
  p['banc'] = await createProposal(sql, f, author.id, { title: 'Un banc <b>au</b> square' });
  p['masquee'] = await createProposal(sql, f, author.id, { title: 'Proposition masquée au public' });
  await sql`update public.proposals set hidden_at = now() where id = ${p['masquee']}`;
  p['retiree'] = await createProposal(sql, f, author.id, { title: 'Proposition retirée du débat' });
  await sql`update public.proposals set withdrawn_at = now() where id = ${p['retiree']}`;
  p['brouillon'] = await createProposal(sql, f, author.id, { title: 'Brouillon jamais publié', published: false });
  // (By someone else: authors do not amend their own proposals.)
  p['amendement'] = await createProposal(sql, f, supporterId, { title: 'Amendement aux arceaux', amendsId: p['velo'] });
  await sql`update public.proposals set state_id = ${f.states['accepted']!}, answer = ${sql.json({ fr: '<p>Acceptée : travaux en mars.</p>' })}, answered_at = now()
            where id = ${p['arbres']}`;
  await support(sql, supporterId, p['velo']);
  // 60 more, for the pages (published earlier: "recent" lists the named ones first).
  await sql`
    insert into public.proposals (component_id, author_id, title, body, published_at)
    select ${f.componentId}, ${author.id}, 'Proposition de série numéro ' || i, '<p>Texte.</p>', now() - interval '1 day' - (i || ' seconds')::interval
    from generate_series(1, 60) i`;
}, 90_000);

afterAll(async () => {
  await sql.end();
});

describe('the list page without JavaScript', () => {
  it('renders announcements (sanitised), the filters, the count, the cards and a next link', async () => {
    const page = await anon.get(path);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Annonce <strong>globale</strong>');
    expect(page.html).not.toContain('<script>alert(1)');
    expect(page.text).toContain('Annonce de phase');
    expect(page.html).toMatch(/<form[^>]*method="get"[^>]*id="proposals-filters"/);
    expect(page.html).toMatch(/<legend[^>]*>Filtrer les propositions<\/legend>/);
    expect(page.html).toMatch(/<label[^>]*for="proposals-q"/);
    expect(page.text).toContain('63 propositions');
    const ids = cardIds(page.html);
    expect(ids).toHaveLength(50);
    expect(ids.slice(0, 3).sort()).toEqual([p['velo'], p['arbres'], p['banc']].sort());
    for (const hidden of ['masquee', 'retiree', 'brouillon', 'amendement']) expect(ids).not.toContain(p[hidden]);
    // Escaped title, link to the proposal page, state badge, answer excerpt, counts and threshold.
    expect(page.html).toContain('Un banc &lt;b&gt;au&lt;/b&gt; square');
    expect(page.html).toContain(`href="${path}/proposals/${p['velo']}"`);
    expect(page.html).toMatch(/class="proposal-card__state"[^>]*style="--state: #[0-9a-fA-F]{6}"[^>]*data-state="accepted"/);
    expect(page.text).toContain('Réponse : Acceptée : travaux en mars.');
    expect(page.html).toMatch(/<progress[^>]*max="10"[^>]*value="1"/);
    // Signed out, creation open: the link goes to sign in.
    expect(page.html).toContain(`/fr/sign-in?next=${encodeURIComponent(`${path}/proposals/new`)}`);
    // No "my proposals" for anonymous visitors.
    expect(page.html).not.toContain('name="mine"');

    const next = /<a href="([^"]+)" rel="next"/.exec(page.html)?.[1];
    expect(next).toBeTruthy();
    const second = await anon.get(decodeEntities(next!));
    expect(second.status).toBe(200);
    const ids2 = cardIds(second.html);
    expect(ids2).toHaveLength(13);
    expect(new Set([...ids, ...ids2]).size).toBe(63);
    expect(second.html).not.toContain('rel="next"');
  });

  it('filters and orders through the URL (the GET form)', async () => {
    const text = await anon.get(`${path}?q=arceaux`);
    expect(cardIds(text.html)).toEqual([p['velo']]);
    expect(text.html).toMatch(/name="q"[^>]*value="arceaux"|value="arceaux"[^>]*name="q"/);
    expect(cardIds((await anon.get(`${path}?state=accepted`)).html)).toEqual([p['arbres']]);
    expect(cardIds((await anon.get(`${path}?answer=answered`)).html)).toEqual([p['arbres']]);
    expect(cardIds((await anon.get(`${path}?withdrawn=true`)).html)).toEqual([p['retiree']]);
    expect(cardIds((await anon.get(`${path}?s=47.49&w=2.84&n=47.505&e=2.855`)).html)).toEqual([p['velo']]);
    expect(cardIds((await anon.get(`${path}?lat=47.51&lng=2.86&radius=300`)).html)).toEqual([p['arbres']]);
    const supported = await supporterBrowser.get(`${path}?supported=true`);
    expect(supported.html).toContain('name="mine"');
    expect(cardIds(supported.html)).toEqual([p['velo']]);
    expect(supported.text).toContain('Vous la soutenez');
    const mostVoted = await anon.get(`${path}?sort=most_voted`);
    expect(cardIds(mostVoted.html)[0]).toBe(p['velo']);
    expect(mostVoted.html).toMatch(/<option value="most_voted" selected/);
  });

  it('the map view carries every point of the current filter', async () => {
    const all = await anon.get(`${path}?view=map`);
    expect(all.status).toBe(200);
    expect(all.html).toContain('data-map-total="2"');
    expect(all.html).toContain('aria-current="page"');
    const filtered = await anon.get(`${path}?view=map&q=arceaux`);
    expect(filtered.html).toContain('data-map-total="1"');
    const api = await anon.request(`/api/proposals/list/${f.componentId}?points=1&space=${encodeURIComponent(spacePath)}&state=accepted`);
    expect(api.status).toBe(200);
    const body = (await api.json()) as { total: number; points: { id: string; href: string }[] };
    expect(body.total).toBe(1);
    expect(body.points.map((x) => x.id)).toEqual([p['arbres']]);
    expect(body.points[0]!.href).toBe(`${path}/proposals/${p['arbres']}`);
  });

  it('the API gives the current counts of the cards still in the list (catch-up after a reconnection)', async () => {
    const ids = [p['velo']!, p['masquee']!, p['banc']!].join(',');
    const res = await anon.request(`/api/proposals/list/${f.componentId}?size=1&ids=${ids}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { counts: { id: string; supports: number | null; likes: number }[] };
    expect(body.counts.map((c) => c.id).sort()).toEqual([p['velo'], p['banc']].sort());
    expect(body.counts.find((c) => c.id === p['velo'])?.supports).toBe(1);
    expect((await anon.request(`/api/proposals/list/${f.componentId}?ids=nope`)).status).toBe(400);
  });

  it('while supports are hidden: no counts, no "most supported" order', async () => {
    await updatePhase(sql, f, { votes_hidden: true });
    try {
      const page = await anon.get(`${path}?sort=most_voted`);
      expect(page.status).toBe(200);
      expect(page.html).not.toContain('value="most_voted"');
      expect(page.html).not.toContain('data-count="supports"');
      expect(page.html).not.toContain('<progress');
      const api = (await (await anon.request(`/api/proposals/list/${f.componentId}?sort=most_voted`)).json()) as { sort: string; items: { supports: unknown }[] };
      expect(api.sort).not.toBe('most_voted');
      expect(api.items.every((i) => i.supports === null)).toBe(true);
    } finally {
      await updatePhase(sql, f, { votes_hidden: false });
    }
  });

  it('random order: a signed-out visitor keeps theirs (session cookie), another visitor gets another', async () => {
    const visitor = new Browser();
    const first = await visitor.get(`${path}?sort=random`);
    expect(first.status).toBe(200);
    const setCookie = first.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/decidons_seed=[a-z0-9]{12}/);
    expect(setCookie).toMatch(/HttpOnly/i);
    // A session cookie: no lifetime of its own.
    expect(setCookie).not.toMatch(/Max-Age|Expires/i);
    expect(cardIds(first.html)).toHaveLength(50);
    const again = await visitor.get(`${path}?sort=random`);
    expect(cardIds(again.html)).toEqual(cardIds(first.html));
    // 63 proposals: twelve new visitors all drawing the same first page would be a broken seed.
    const others = await Promise.all(Array.from({ length: 12 }, async () => cardIds((await new Browser().get(`${path}?sort=random`)).html).join()));
    expect(others.some((o) => o !== cardIds(first.html).join())).toBe(true);
  });

  it('renders in English', async () => {
    const page = await anon.get(path.replace(/^\/fr\//, '/en/'));
    expect(page.status).toBe(200);
    expect(page.html).toMatch(/<legend[^>]*>Filter proposals<\/legend>/);
    expect(page.text).toContain('63 proposals');
    expect(page.text).toContain('Sign in to submit a proposal');
    expect(page.html).toContain('rel="next"');
  });

  it('the "new proposal" link follows the phase', async () => {
    const signed = await signedIn(author.email, author.password);
    expect((await signed.get(path)).html).toContain(`href="${path}/proposals/new"`);
    await updatePhase(sql, f, { creation_enabled: false });
    try {
      const closed = await signed.get(path);
      expect(closed.html).not.toContain(`${path}/proposals/new`);
    } finally {
      await updatePhase(sql, f, { creation_enabled: true });
    }
  });
});

describe('bad parameters never give a 500', () => {
  it('the page ignores them, says so, and lists with the defaults', async () => {
    // Long enough to be refused (200 characters at most), short enough for the HTTP server's header limit.
    const huge = 'x'.repeat(5_000);
    for (const q of [
      `after=garbage`,
      `after=${Buffer.from('{"s":"recent","k":"not a date","i":"x"}').toString('base64url')}`,
      `sort=best_ever`,
      `taxonomy=not-a-uuid`,
      `taxonomy=${randomUUID()}`,
      `state=%27%3B%20drop`,
      `q=${huge}`,
      `s=91&w=0&n=1&e=1`,
      `lat=abc&lng=1&radius=1`,
      `view=globe`,
      `seed=${'z'.repeat(500)}`,
    ]) {
      const page = await anon.get(`${path}?${q}`);
      expect(page.status, q.slice(0, 80)).toBe(200);
      expect(page.html, q.slice(0, 80)).toContain('data-proposals-list');
    }
    const page = await anon.get(`${path}?sort=best_ever&after=garbage`);
    expect(page.text).toContain('Certains critères de l’adresse n’étaient pas valides et ont été ignorés : sort, after.');
    expect(cardIds(page.html)).toHaveLength(50);
  });

  it('the API answers 400 with a translated message, 404 for an unknown component', async () => {
    const bad = await anon.request(`/api/proposals/list/${f.componentId}?sort=best&size=1000`);
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { error: { code: string; params: string[]; message: string } };
    expect(body.error.code).toBe('invalid_params');
    expect(body.error.params).toEqual(['sort', 'size']);
    expect(body.error.message).toBe('Les critères de recherche ne sont pas valides : sort, size.');
    const en = (await (await anon.request(`/api/proposals/list/${f.componentId}?after=zzz&locale=en`)).json()) as { error: { message: string } };
    expect(en.error.message).toBe('The search criteria are not valid: after.');
    expect((await anon.request(`/api/proposals/list/not-a-uuid`)).status).toBe(404);
    expect((await anon.request(`/api/proposals/list/${randomUUID()}`)).status).toBe(404);
    expect((await anon.request(`/api/proposals/list/${f.componentId}?q=${'y'.repeat(300)}`)).status).toBe(400);
  });

  it('the card endpoint renders a listed proposal and 404s the others', async () => {
    const q = (id: string, extra = '') => `/api/proposals/cards/${id}?component=${f.componentId}&space=${encodeURIComponent(spacePath)}&locale=fr${extra}`;
    const ok = await anon.get(q(p['velo']!));
    expect(ok.status).toBe(200);
    expect(ok.html).toMatch(/^\s*<article class="proposal-card/);
    expect(ok.html).toContain('Des arceaux à vélo devant la gare');
    for (const hidden of ['masquee', 'retiree', 'brouillon', 'amendement']) expect((await anon.get(q(p[hidden]!))).status, hidden).toBe(404);
    expect((await anon.get(q(p['retiree']!, '&withdrawn=true'))).status).toBe(200);
    expect((await anon.get(q(p['velo']!, '&state=rejected'))).status).toBe(404);
    expect((await anon.get(q('nope'))).status).toBe(404);
    expect((await anon.get(`/api/proposals/cards/${p['velo']}?component=${f.componentId}&space=//evil.example`)).status).toBe(404);
  });
});

describe('settings', () => {
  it('without geocoding there is no map view', async () => {
    await updateSettings(sql, f, { geocoding_enabled: false });
    try {
      const page = await anon.get(`${path}?view=map`);
      expect(page.status).toBe(200);
      expect(page.html).not.toContain('data-map-total');
    } finally {
      await updateSettings(sql, f, { geocoding_enabled: true });
    }
  });
});
