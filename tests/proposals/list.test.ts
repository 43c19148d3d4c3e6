import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { decodeCursor, EMPTY_FILTERS, encodeCursor, parseListParams, type ListFilters } from '../../src/features/proposals/list.ts';
import { listProposalPoints, listProposals } from '../../src/features/proposals/list-queries.server.ts';
import { asUser, closeDb, type Claims } from '../../src/lib/db/index.ts';
import { uniqueTag, userClaims } from '../db/fixtures.ts';
import { connectTestDb } from '../helpers/db.ts';
import { createProposal, createProposalsComponent, createUsers, grantRole, support, updatePhase, type ProposalsFixture } from './fixtures.ts';

/*
 * The public list's query, against the real database as each visitor (row-level security on):
 * every filter, every order, keyset pages without duplicates nor gaps, what never shows in the
 * list (hidden, withdrawn, drafts, emendations), and hidden support counts.
 */

let sql: postgres.Sql;
let f: ProposalsFixture;
let author1: string, author2: string, supporter: string, moderator: string;
const p: Record<string, string> = {};
const tax = { root: randomUUID(), child: randomUUID(), grandchild: randomUUID(), other: randomUUID() };
const tag = uniqueTag();

const list = async (claims: Claims | null, filters: Partial<ListFilters>, pageSize = 50) => {
  const page = await listProposals(claims, f.componentId, { ...EMPTY_FILTERS, sort: 'recent', ...filters }, null, pageSize);
  if (!page) throw new Error('component not visible');
  return page;
};
const ids = async (claims: Claims | null, filters: Partial<ListFilters>) => (await list(claims, filters)).items.map((i) => i.id).sort();
const of = (...names: string[]) => names.map((n) => p[n]!).sort();

beforeAll(async () => {
  // The app's own pool (src/lib/db) reaches the test stack's database.
  const stack = inject('stack');
  Object.assign(process.env, {
    DATABASE_URL: stack.databaseUrl,
    SUPABASE_URL: stack.supabaseUrl,
    SUPABASE_ANON_KEY: stack.anonKey,
    SUPABASE_SERVICE_ROLE_KEY: stack.serviceRoleKey,
    SUPABASE_JWT_SECRET: stack.jwtSecret,
  });
  sql = connectTestDb();
  f = await createProposalsComponent(sql);
  [author1, author2, supporter, moderator] = (await createUsers(sql, 4, `list${tag}`)) as [string, string, string, string];
  await grantRole(sql, f, moderator, 'moderator');
  await sql`insert into public.taxonomies (id, parent_id, name) values
    (${tax.root}, null, ${sql.json({ fr: `Quartiers ${tag}` })}),
    (${tax.other}, null, ${sql.json({ fr: `Thèmes ${tag}` })})`;
  await sql`insert into public.taxonomies (id, parent_id, name) values (${tax.child}, ${tax.root}, ${sql.json({ fr: `Centre ${tag}` })})`;
  await sql`insert into public.taxonomies (id, parent_id, name) values (${tax.grandchild}, ${tax.child}, ${sql.json({ fr: `Halles ${tag}` })})`;

  p['bancs'] = await createProposal(sql, f, author1, {
    title: 'Des bancs place du marché',
    body: '<p>Installer 100 bancs confortables autour du marché.</p>',
    taxonomyId: tax.child,
    latitude: 47.5,
    longitude: 2.85,
  });
  p['piste'] = await createProposal(sql, f, author2, {
    title: 'Piste cyclable 100% sûre',
    body: '<p>Une piste séparée de la route, du pont à la gare.</p>',
    taxonomyId: tax.grandchild,
    latitude: 47.51,
    longitude: 2.86,
  });
  p['jardin'] = await createProposal(sql, f, author1, {
    title: 'Un jardin partagé aux Tanneurs',
    body: '<p>Des parcelles pour les habitants du quartier.</p>',
    taxonomyId: tax.other,
    latitude: 47.49,
    longitude: 2.8,
  });
  p['est'] = await createProposal(sql, f, author2, { title: 'Un ponton côté est (antiméridien)', latitude: 10, longitude: 179.5 });
  p['ouest'] = await createProposal(sql, f, author2, { title: 'Un ponton côté ouest (antiméridien)', latitude: 10.5, longitude: -179.5 });
  p['sansPoint'] = await createProposal(sql, f, author2, { title: 'Une proposition sans adresse' });
  // Never in the list:
  p['retiree'] = await createProposal(sql, f, author1, { title: 'Une proposition retirée' });
  await sql`update public.proposals set withdrawn_at = now() where id = ${p['retiree']}`;
  p['masquee'] = await createProposal(sql, f, author2, { title: 'Une proposition masquée' });
  await sql`update public.proposals set hidden_at = now() where id = ${p['masquee']}`;
  p['brouillon'] = await createProposal(sql, f, author1, { title: 'Un brouillon de proposition', published: false });
  p['amendement'] = await createProposal(sql, f, author2, { title: 'Un amendement aux bancs', amendsId: p['bancs'] });
  // The jardin is answered (accepted, published answer).
  await sql`update public.proposals set state_id = ${f.states['accepted']!}, answer = ${sql.json({ fr: '<p>Retenue pour 2027.</p>' })}, answered_at = now()
            where id = ${p['jardin']}`;
  // Co-authors: the supporter accepted to co-author the jardin; the moderator was only invited to the piste.
  await asUser(userClaims(author1), (tx) => tx`insert into public.proposal_coauthors (proposal_id, user_id) values (${p['jardin']!}, ${supporter})`, sql);
  await asUser(userClaims(supporter), (tx) => tx`update public.proposal_coauthors set status = 'accepted' where proposal_id = ${p['jardin']!} and user_id = ${supporter}`, sql);
  await asUser(userClaims(author2), (tx) => tx`insert into public.proposal_coauthors (proposal_id, user_id) values (${p['piste']!}, ${moderator})`, sql);
  // The supporter supports the piste and the jardin.
  await support(sql, supporter, p['piste']);
  await support(sql, supporter, p['jardin']);
}, 60_000);

afterAll(async () => {
  await closeDb();
  await sql.end();
});

const LISTED = ['bancs', 'piste', 'jardin', 'est', 'ouest', 'sansPoint'];

describe('what the list shows', () => {
  it('published, visible, non-withdrawn proposals, no emendations, for anyone', async () => {
    for (const claims of [null, userClaims(author1), userClaims(author2), userClaims(moderator)]) {
      expect(await ids(claims, {})).toEqual(of(...LISTED));
    }
    const page = await list(null, {});
    expect(page.total).toBe(LISTED.length);
    const bancs = page.items.find((i) => i.id === p['bancs'])!;
    expect(bancs.authors.map((a) => a.name)).toEqual([`list${tag}0`]);
    expect(bancs.taxonomy?.id).toBe(tax.child);
    const jardin = page.items.find((i) => i.id === p['jardin'])!;
    expect(jardin.state?.token).toBe('accepted');
    expect(jardin.state?.color).toMatch(/^#[0-9a-f]{6}$/i);
    expect(jardin.supports).toBe(1);
    // Accepted co-authors are shown, in the order they became authors; invited ones are not.
    expect(jardin.authors.map((a) => a.name)).toEqual([`list${tag}0`, `list${tag}2`]);
    expect(page.items.find((i) => i.id === p['piste'])!.authors.map((a) => a.name)).toEqual([`list${tag}1`]);
  });

  it('the authors of a page come in one call that reveals nothing the co-authors policy hides', async () => {
    const authorsOf = (claims: Claims | null, ids: string[]) =>
      asUser(claims, (tx) => tx<{ proposal_id: string }[]>`select proposal_id from private.proposal_list_authors(${ids}::uuid[])`, sql);
    const hiddenOnes = [p['masquee']!, p['brouillon']!];
    expect(await authorsOf(null, hiddenOnes)).toEqual([]);
    expect(await authorsOf(userClaims(supporter), hiddenOnes)).toEqual([]);
    expect((await authorsOf(null, [p['bancs']!, p['masquee']!])).map((r) => r.proposal_id)).toEqual([p['bancs']]);
    // A proposal of a component nobody else sees (unpublished): nothing for visitors.
    const unpublished = await createProposalsComponent(sql, { published: false });
    const [row] = await sql<{ id: string }[]>`
      insert into public.proposals (component_id, author_id, title, published_at) values (${unpublished.componentId}, ${author1}, 'Dans un composant non publié', now())
      returning id`;
    expect(await authorsOf(null, [row!.id])).toEqual([]);
    expect(await authorsOf(userClaims(author2), [row!.id])).toEqual([]);
  });

  it('"see withdrawn" shows the withdrawn ones only', async () => {
    expect(await ids(null, { withdrawn: true })).toEqual(of('retiree'));
  });
});

describe('filters', () => {
  it('text, in the title or the body, with % and _ taken literally', async () => {
    expect(await ids(null, { text: 'cyclable' })).toEqual(of('piste'));
    expect(await ids(null, { text: 'PARCELLES' })).toEqual(of('jardin'));
    expect(await ids(null, { text: '100' })).toEqual(of('bancs', 'piste'));
    expect(await ids(null, { text: '100%' })).toEqual(of('piste'));
    expect(await ids(null, { text: '%' })).toEqual(of('piste'));
    expect(await ids(null, { text: '_' })).toEqual([]);
  });

  it('taxonomy, with its descendants', async () => {
    expect(await ids(null, { taxonomyId: tax.root })).toEqual(of('bancs', 'piste'));
    expect(await ids(null, { taxonomyId: tax.child })).toEqual(of('bancs', 'piste'));
    expect(await ids(null, { taxonomyId: tax.grandchild })).toEqual(of('piste'));
    expect(await ids(null, { taxonomyId: tax.other })).toEqual(of('jardin'));
    expect(await ids(null, { taxonomyId: randomUUID() })).toEqual([]);
  });

  it('state (a token of the component, or not answered) and with/without answer', async () => {
    expect(await ids(null, { state: 'accepted' })).toEqual(of('jardin'));
    expect(await ids(null, { state: 'rejected' })).toEqual([]);
    expect(await ids(null, { state: 'unknown_token' })).toEqual([]);
    expect(await ids(null, { state: 'not_answered' })).toEqual(of('bancs', 'piste', 'est', 'ouest', 'sansPoint'));
    expect(await ids(null, { answer: 'answered' })).toEqual(of('jardin'));
    expect(await ids(null, { answer: 'not_answered' })).toEqual(of('bancs', 'piste', 'est', 'ouest', 'sansPoint'));
  });

  it('my proposals (as an author) and the ones I support; nothing for anonymous visitors', async () => {
    expect(await ids(userClaims(author1), { mine: true })).toEqual(of('bancs', 'jardin'));
    expect(await ids(userClaims(author2), { mine: true })).toEqual(of('piste', 'est', 'ouest', 'sansPoint'));
    expect(await ids(null, { mine: true })).toEqual([]);
    expect(await ids(userClaims(supporter), { supported: true })).toEqual(of('piste', 'jardin'));
    expect(await ids(userClaims(author1), { supported: true })).toEqual([]);
    expect(await ids(userClaims(supporter), { mine: true })).toEqual(of('jardin'));
    expect(await ids(userClaims(moderator), { mine: true })).toEqual([]);
    expect(await ids(null, { supported: true })).toEqual([]);
    const page = await list(userClaims(supporter), {});
    expect(page.items.filter((i) => i.supportedByMe).map((i) => i.id).sort()).toEqual(of('piste', 'jardin'));
  });

  it('a geographic box, also across the antimeridian', async () => {
    expect(await ids(null, { box: { s: 47.495, w: 2.84, n: 47.515, e: 2.87 } })).toEqual(of('bancs', 'piste'));
    expect(await ids(null, { box: { s: 47, w: 2, n: 48, e: 3 } })).toEqual(of('bancs', 'piste', 'jardin'));
    expect(await ids(null, { box: { s: 5, w: 179, n: 15, e: -179 } })).toEqual(of('est', 'ouest'));
    expect(await ids(null, { box: { s: 5, w: 170, n: 15, e: 179.9 } })).toEqual(of('est'));
    expect(await ids(null, { box: { s: -10, w: -10, n: 0, e: 0 } })).toEqual([]);
  });

  it('near a point (a box prefilter, then the exact distance)', async () => {
    expect(await ids(null, { near: { lat: 47.5, lng: 2.85, radius: 500 } })).toEqual(of('bancs'));
    expect(await ids(null, { near: { lat: 47.5, lng: 2.85, radius: 2000 } })).toEqual(of('bancs', 'piste'));
    expect(await ids(null, { near: { lat: 47.5, lng: 2.85, radius: 10_000 } })).toEqual(of('bancs', 'piste', 'jardin'));
    // Across the antimeridian: 0.5° of longitude at 10° N is about 55 km.
    expect(await ids(null, { near: { lat: 10, lng: 179.9, radius: 100_000 } })).toEqual(of('est', 'ouest'));
  });

  it('filters combine; the map gets every matching point', async () => {
    expect(await ids(userClaims(supporter), { supported: true, taxonomyId: tax.root })).toEqual(of('piste'));
    const pts = await listProposalPoints(null, f.componentId, { ...EMPTY_FILTERS });
    expect(pts?.points.map((x) => x.id).sort()).toEqual(of('bancs', 'piste', 'jardin', 'est', 'ouest'));
    expect(pts?.truncated).toBe(false);
    expect(pts?.points.find((x) => x.id === p['jardin'])?.state).toBe('accepted');
    const capped = await listProposalPoints(null, f.componentId, { ...EMPTY_FILTERS }, 2);
    expect(capped?.points).toHaveLength(2);
    expect(capped?.truncated).toBe(true);
    const inBox = await listProposalPoints(null, f.componentId, { ...EMPTY_FILTERS, box: { s: 5, w: 179, n: 15, e: -179 } });
    expect(inBox?.points.map((x) => x.id).sort()).toEqual(of('est', 'ouest'));
  });
});

describe('orders and keyset pages', () => {
  let g: ProposalsFixture;
  let all: string[];
  beforeAll(async () => {
    g = await createProposalsComponent(sql, { settings: { default_sort: 'most_liked' } });
    const [author] = await createUsers(sql, 1, `keyset${tag}`);
    // 120 proposals, with many ties on every key (same second, same counts): the id breaks them.
    const rows = await sql<{ id: string }[]>`
      insert into public.proposals (component_id, author_id, title, body, published_at, likes_count, comments_count, follows_count, supports_count)
      select ${g.componentId}, ${author!}, 'Proposition en série ' || i, '<p>Texte de la proposition.</p>',
             timestamptz '2026-01-01' + ((i / 7) || ' minutes')::interval, i % 5, i % 3, i % 4, i % 6
      from generate_series(1, 120) i
      returning id`;
    all = rows.map((r) => r.id).sort();
  });

  const walk = async (filters: Partial<ListFilters>, size: number) => {
    const seen: string[] = [];
    const pages: number[] = [];
    let cursor = null;
    for (let i = 0; i < 10; i++) {
      const page = await listProposals(null, g.componentId, { ...EMPTY_FILTERS, ...filters }, cursor, size);
      if (!page) throw new Error('not visible');
      seen.push(...page.items.map((x) => x.id));
      pages.push(page.items.length);
      expect(page.total).toBe(120);
      if (!page.next) break;
      cursor = decodeCursor(page.next);
      expect(cursor).not.toBeNull();
    }
    return { seen, pages };
  };

  it('every order pages through all 120 proposals in 3 pages of 50, without duplicates or gaps', async () => {
    for (const sort of ['random', 'recent', 'most_voted', 'most_liked', 'most_commented', 'most_followed'] as const) {
      const { seen, pages } = await walk({ sort, seed: 'abc123' }, 50);
      expect(pages, sort).toEqual([50, 50, 20]);
      expect(new Set(seen).size, sort).toBe(120);
      expect([...seen].sort(), sort).toEqual(all);
      // A filter with words (every proposal here has "série") reads its page and total in one
      // statement: the same pages in the same order, ties included.
      const filtered = await walk({ sort, seed: 'abc123', text: 'série' }, 50);
      expect(filtered.pages, sort).toEqual([50, 50, 20]);
      expect(filtered.seen, sort).toEqual(seen);
    }
    const words = { ...EMPTY_FILTERS, sort: 'recent' as const, text: 'série' };
    const last = (await listProposals(null, g.componentId, words, null, 120))!.items.at(-1)!;
    // After the last one: no rows, and still the total.
    const beyond = await listProposals(null, g.componentId, words, { sort: 'recent', key: last.publishedAt, id: last.id }, 10);
    expect(beyond!.items).toEqual([]);
    expect(beyond!.total).toBe(120);
  });

  it('the orders are the ones asked for; the default is the component’s', async () => {
    const first = await listProposals(null, g.componentId, { ...EMPTY_FILTERS }, null, 120);
    expect(first?.sort).toBe('most_liked');
    const likes = first!.items.map((x) => x.likes);
    expect(likes).toEqual([...likes].sort((a, b) => b - a));
    for (const [sort, key] of [['most_voted', 'supports'], ['most_commented', 'comments'], ['most_followed', 'follows']] as const) {
      const page = await listProposals(null, g.componentId, { ...EMPTY_FILTERS, sort }, null, 120);
      const values = page!.items.map((x) => x[key] as number);
      expect(values, sort).toEqual([...values].sort((a, b) => b - a));
    }
    const recent = await listProposals(null, g.componentId, { ...EMPTY_FILTERS, sort: 'recent' }, null, 120);
    const dates = recent!.items.map((x) => x.publishedAt);
    expect(dates).toEqual([...dates].sort().reverse());
  });

  it('random: the same seed gives the same order, another seed another one', async () => {
    const a = (await walk({ sort: 'random', seed: 'seedone' }, 50)).seen;
    const b = (await walk({ sort: 'random', seed: 'seedone' }, 50)).seen;
    const c = (await walk({ sort: 'random', seed: 'seedtwo' }, 50)).seen;
    expect(a).toEqual(b);
    expect(c).not.toEqual(a);
    const recent = (await walk({ sort: 'recent' }, 50)).seen;
    expect(a).not.toEqual(recent);
  });

  it('a cursor of another order starts from the first page; a forged cursor is refused when read', async () => {
    const first = await listProposals(null, g.componentId, { ...EMPTY_FILTERS, sort: 'recent' }, null, 10);
    const cursor = decodeCursor(first!.next!)!;
    const other = await listProposals(null, g.componentId, { ...EMPTY_FILTERS, sort: 'most_liked' }, cursor, 10);
    const fresh = await listProposals(null, g.componentId, { ...EMPTY_FILTERS, sort: 'most_liked' }, null, 10);
    expect(other!.items.map((x) => x.id)).toEqual(fresh!.items.map((x) => x.id));
    expect(decodeCursor('garbage!')).toBeNull();
    expect(decodeCursor(encodeCursor({ sort: 'recent', key: "2026-01-01'; drop table x", id: randomUUID() }))).toBeNull();
    expect(decodeCursor(encodeCursor({ sort: 'most_liked', key: '99999999999', id: randomUUID() }))).toBeNull();
    expect(decodeCursor(Buffer.from('{"s":"recent","k":"2026-01-01 00:00:00+00","i":"nope"}').toString('base64url'))).toBeNull();
  });

  it('a page is a fixed number of SQL statements, whatever its size', async () => {
    const statements: string[] = [];
    const counting = postgres(inject('stack').databaseUrl, { max: 1, onnotice: () => {}, debug: (_c, query) => void statements.push(query) });
    try {
      // The connection's own first queries (types) are not the list's.
      await listProposals(null, g.componentId, { ...EMPTY_FILTERS }, null, 1, counting);
      const counts: number[] = [];
      for (const size of [1, 10, 50, 120]) {
        for (const sort of ['random', 'recent', 'most_voted'] as const) {
          statements.length = 0;
          const page = await listProposals(userClaims(supporter), g.componentId, { ...EMPTY_FILTERS, sort, text: 'série', taxonomyId: null }, null, size, counting);
          expect(page!.items.length).toBe(Math.min(size, 120));
          counts.push(statements.length);
        }
      }
      expect(new Set(counts).size).toBe(1);
      // begin, the transaction's role and claims, the component's facts, the rows with their total
      // (the text filter's matches asked once for both), commit.
      expect(counts[0]).toBe(5);
    } finally {
      await counting.end();
    }
  });

  it('while the phase hides supports: no counts, no order by supports', async () => {
    await updatePhase(sql, g, { votes_hidden: true });
    try {
      const page = await listProposals(null, g.componentId, { ...EMPTY_FILTERS, sort: 'most_voted' }, null, 50);
      expect(page!.votesHidden).toBe(true);
      expect(page!.sort).toBe('most_liked');
      expect(page!.items.every((x) => x.supports === null)).toBe(true);
    } finally {
      await updatePhase(sql, g, { votes_hidden: false });
    }
    const page = await listProposals(null, g.componentId, { ...EMPTY_FILTERS, sort: 'most_voted' }, null, 5);
    expect(page!.sort).toBe('most_voted');
    expect(page!.items[0]!.supports).toBe(5);
  });
});

describe('reading the URL', () => {
  it('keeps valid parameters and names the invalid ones', () => {
    const ok = parseListParams(
      new URLSearchParams(`q=vélo&taxonomy=${tax.root}&state=accepted&answer=answered&mine=true&supported=on&sort=most_liked&seed=abcdef12&s=1&w=179&n=2&e=-179&view=map`),
    );
    expect(ok.invalid).toEqual([]);
    expect(ok.view).toBe('map');
    expect(ok.filters).toMatchObject({ text: 'vélo', taxonomyId: tax.root, state: 'accepted', answer: 'answered', mine: true, supported: true, sort: 'most_liked' });
    expect(ok.filters.box).toEqual({ s: 1, w: 179, n: 2, e: -179 });
    const bad = parseListParams(
      new URLSearchParams(`q=${'x'.repeat(5000)}&taxonomy=nope&state=DROP TABLE&answer=maybe&sort=best&after=%%%&s=100&w=0&n=1&e=1&lat=1&lng=2&radius=-5&mine=yes`),
    );
    expect(bad.invalid.sort()).toEqual(['after', 'answer', 'e', 'lat', 'lng', 'mine', 'n', 'q', 'radius', 's', 'sort', 'state', 'taxonomy', 'w'].sort());
    expect(bad.filters).toEqual({ ...EMPTY_FILTERS });
    expect(bad.cursor).toBeNull();
  });
});
