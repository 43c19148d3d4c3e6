import { randomUUID } from 'node:crypto';
import type postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { search } from '../../src/features/search/queries.server.ts';
import { RESOURCES } from '../../src/features/registry.ts';
import { highlighted, type SearchParams } from '../../src/features/search/search.ts';
import { asUser, type Claims } from '../../src/lib/db/index.ts';
import { useTestStack } from '../attachments/helpers.ts';
import { connectTestDb } from '../helpers/db.ts';
import { userClaims } from '../db/fixtures.ts';
import { createBudget, createBudgetsComponent, createProjects } from '../budgets/fixtures.ts';
import { createDebate, createDebatesComponent } from '../debates/fixtures.ts';
import { createProposal, createProposalsComponent, createUsers, grantRole, type ProposalsFixture, updatePhase } from '../proposals/fixtures.ts';

/**
 * The one search, through the app's query as each kind of visitor: it answers as RLS does for the
 * resources (private spaces, unpublished components, drafts, hidden and restricted resources are
 * never found by those who may not see them), matches words whatever their accents and case, in
 * French and English, ranks titles over bodies, filters by type, space, category and date, counts
 * per type, and follows every change of the resources in the same transaction.
 */

let sql: postgres.Sql;
let pub: ProposalsFixture;
let priv: ProposalsFixture;
let author: string;
let member: string;
let moderator: string;
let outsider: string;
// A word no other test file writes: what each test looks for.
const word = () => `zorg${randomUUID().replace(/[^a-f]/g, '').slice(0, 8)}`;
const params = (q: string, extra: Partial<SearchParams> = {}): SearchParams => ({
  q, type: null, spaceId: null, taxonomyId: null, from: null, to: null, page: 1, ...extra,
});
const find = async (claims: Claims | null, q: string, extra: Partial<SearchParams> = {}) => (await search(claims, params(q, extra), 'fr', 'fr')).hits.map((h) => h.id);

beforeAll(async () => {
  useTestStack();
  sql = connectTestDb();
  [pub, priv] = await Promise.all([createProposalsComponent(sql), createProposalsComponent(sql, { private: true })]);
  [author, member, moderator, outsider] = (await createUsers(sql, 4, 'search')) as [string, string, string, string];
  await sql`insert into public.space_members (space_id, user_id) values (${priv.spaceId}, ${member}), (${priv.spaceId}, ${author})`;
  await grantRole(sql, pub, moderator, 'moderator');
});
afterAll(async () => {
  await sql.end();
});

describe('nobody finds what they may not see', () => {
  it('private spaces, drafts, hidden proposals and unpublished components', async () => {
    const w = word();
    const visible = await createProposal(sql, pub, author, { title: `Un ${w} pour tous` });
    const draft = await createProposal(sql, pub, author, { title: `Brouillon ${w}`, published: false });
    const hidden = await createProposal(sql, pub, author, { title: `Masquée ${w}` });
    await sql`update public.proposals set hidden_at = now() where id = ${hidden}`;
    const secret = await createProposal(sql, priv, author, { title: `Réservée ${w}` });
    const unpublished = await createProposalsComponent(sql, { published: false });
    const inUnpublished = await createProposal(sql, unpublished, author, { title: `Pas encore ${w}` }).catch(async () => {
      const [r] = await sql<{ id: string }[]>`insert into public.proposals (component_id, author_id, title, published_at) values (${unpublished.componentId}, ${author}, ${`Pas encore ${w}`}, now()) returning id`;
      return r!.id;
    });

    expect(await find(null, w)).toEqual([visible]);
    expect(await find(userClaims(outsider), w)).toEqual([visible]);
    expect((await find(userClaims(member), w)).sort()).toEqual([visible, secret].sort());
    // Authors do not find their drafts, moderators do not find hidden ones: they are not indexed.
    expect((await find(userClaims(author), w)).sort()).toEqual([visible, secret].sort());
    expect(await find(userClaims(moderator), w)).toEqual([visible]);
    expect((await find(userClaims(outsider), w)).includes(inUnpublished)).toBe(false);
    expect(await sql`select 1 from public.search_index where resource_id in (${draft}, ${hidden})`).toEqual([]);

    // The table itself, as the API roles read it (PostgREST on a Supabase project): the same answer.
    const rows = await sql.begin(async (tx) => {
      await tx`select set_config('role', 'anon', true), set_config('request.jwt.claims', '{"role":"anon"}', true)`;
      return tx<{ resource_id: string }[]>`select resource_id from public.search_index where resource_id in (${visible}, ${secret}, ${inUnpublished})`;
    });
    expect(rows.map((r) => r.resource_id)).toEqual([visible]);
    const write = await sql.begin(async (tx) => {
      await tx`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', ${JSON.stringify(userClaims(author))}, true)`;
      return tx`delete from public.search_index where resource_id = ${visible}`;
    }).then(() => 'deleted', (e: { code: string }) => e.code);
    expect(write).toBe('42501');
  });

  it('emendations restricted to their authors are found by them (and the amended proposal’s authors) only', async () => {
    const w = word();
    const restricted = await createProposalsComponent(sql);
    const original = await createProposal(sql, restricted, author, { title: `Originale ${w}` });
    const emendation = await createProposal(sql, restricted, outsider, { title: `Amendement ${w}`, amendsId: original });
    expect((await find(null, w)).sort()).toEqual([original, emendation].sort());
    // The phase now keeps emendations to their authors: the index answers so at once.
    await updatePhase(sql, restricted, { amendments_visibility: 'participants' });
    expect(await find(null, w)).toEqual([original]);
    expect((await find(userClaims(outsider), w)).sort()).toEqual([original, emendation].sort());
    expect((await find(userClaims(author), w)).sort()).toEqual([original, emendation].sort());
  });
});

describe('the index follows its spaces and components', () => {
  it('a space made private or unpublished, a component unpublished: its entries are found by those who see them, at once', async () => {
    const w = word();
    const f = await createProposalsComponent(sql);
    const id = await createProposal(sql, f, author, { title: `Suivie ${w}` });
    await sql`insert into public.space_members (space_id, user_id) values (${f.spaceId}, ${member})`;
    expect(await find(null, w)).toEqual([id]);
    await sql`update public.spaces set private = true where id = ${f.spaceId}`;
    expect(await find(null, w)).toEqual([]);
    expect(await find(userClaims(outsider), w)).toEqual([]);
    expect(await find(userClaims(member), w)).toEqual([id]);
    await sql`update public.spaces set private = false, published_at = null where id = ${f.spaceId}`;
    expect(await find(null, w)).toEqual([]);
    expect(await find(userClaims(member), w)).toEqual([]);
    await sql`update public.spaces set published_at = now() where id = ${f.spaceId}`;
    expect(await find(null, w)).toEqual([id]);
    await sql`update public.components set published_at = null where id = ${f.componentId}`;
    expect(await find(null, w)).toEqual([]);
    expect(await sql`select 1 from private.search_component_ids('proposal', ${f.componentId}::uuid, to_tsquery('private.search_fr', ${w}))`).toEqual([]);
    await sql`update public.components set published_at = now() where id = ${f.componentId}`;
    expect(await find(null, w)).toEqual([id]);
    // The component's text filter, on the same flag.
    const ids = await asUser(null, (tx) => tx<{ id: string }[]>`
      select private.search_component_ids('proposal', ${f.componentId}::uuid, to_tsquery('private.search_fr', ${w})) as id`);
    expect(ids.map((r) => r.id)).toEqual([id]);
  });
});

describe('processes and assemblies', () => {
  const space = async (kind: 'process' | 'assembly', w: string, opts: { published?: boolean; private?: boolean } = {}) => {
    const id = randomUUID();
    await sql`insert into public.spaces (id, kind, slug, title, subtitle, description, published_at, private)
      values (${id}, ${kind}, ${`s-${id.slice(0, 8)}`}, ${sql.json({ fr: `Espace ${id.slice(0, 4)}`, en: 'Space' })},
              ${sql.json({ fr: `Sous-titre ${w}` })}, ${sql.json({ fr: '<p>Une description</p>', en: '<p>A description with cyclists</p>' })},
              ${opts.published === false ? null : new Date()}, ${opts.private ?? false})`;
    return id;
  };

  it('found by their subtitle and description, each by whoever sees the space, linked to the space', async () => {
    const w = word();
    const open = await space('process', w);
    const assembly = await space('assembly', w);
    const secret = await space('assembly', w, { private: true });
    const draft = await space('process', w, { published: false });
    await sql`insert into public.space_members (space_id, user_id) values (${secret}, ${member})`;
    await sql`insert into public.space_roles (space_id, user_id, role) values (${draft}, ${moderator}, 'collaborator')`;

    const r = await search(null, params(w), 'fr', 'fr');
    expect(r.hits.map((h) => h.id).sort()).toEqual([open, assembly].sort());
    expect(r.counts).toEqual({ assembly: 1, participatory_process: 1 });
    const hit = r.hits.find((h) => h.id === open)!;
    expect(hit).toMatchObject({ type: 'participatory_process', componentId: null, componentName: null, space: { id: open, kind: 'process' } });
    expect(highlighted(hit.snippet)).toContain(`<mark>${w}</mark>`);
    expect((await find(userClaims(member), w)).sort()).toEqual([open, assembly, secret].sort());
    expect((await find(userClaims(moderator), w)).sort()).toEqual([open, assembly, draft].sort());
    expect((await find(userClaims(outsider), w)).sort()).toEqual([open, assembly].sort());
    // English texts too, and by type.
    expect(await find(null, `cyclist ${w}`, { type: 'participatory_process' })).toEqual([open]);

    // The table as the API roles read it: the same answer.
    const rows = await sql.begin(async (tx) => {
      await tx`select set_config('role', 'anon', true), set_config('request.jwt.claims', '{"role":"anon"}', true)`;
      return tx<{ resource_id: string }[]>`select resource_id from public.search_index where resource_id in (${open}, ${secret}, ${draft})`;
    });
    expect(rows.map((x) => x.resource_id)).toEqual([open]);

    // Its texts and its visibility are followed at once.
    await sql`update public.spaces set private = true where id = ${open}`;
    expect(await find(null, w)).toEqual([assembly]);
    await sql`update public.spaces set subtitle = ${sql.json({ fr: 'Autre chose' })}, private = false where id = ${assembly}`;
    expect(await find(null, w)).toEqual([]);
    await sql`delete from public.spaces where id = ${draft}`;
    expect(await sql`select 1 from public.search_index where resource_id = ${draft}`).toEqual([]);
  });
});

describe('every component type with resources people read', () => {
  it('debates, news posts (scheduled ones once out) and surveys: found, hidden ones never, private ones by members only', async () => {
    const w = word();
    const deb = await createDebatesComponent(sql);
    const debate = await createDebate(sql, deb, author, { title: `Débat ${w} ouvert` });
    const hiddenDebate = await createDebate(sql, deb, author, { title: `Débat ${w} masqué` });
    await sql`update public.debates set hidden_at = now() where id = ${hiddenDebate}`;
    const privDeb = await createDebatesComponent(sql, { private: true });
    await sql`insert into public.space_members (space_id, user_id) values (${privDeb.spaceId}, ${member}), (${privDeb.spaceId}, ${author})`;
    const secretDebate = await createDebate(sql, privDeb, author, { title: `Débat ${w} réservé` });

    const blog = randomUUID();
    await sql`insert into public.components (id, space_id, feature, name, published_at) values
      (${blog}, ${pub.spaceId}, 'blog', ${sql.json({ fr: 'Actualités' })}, now())`;
    const [post] = await sql<{ id: string }[]>`insert into public.blog_posts (component_id, title, body)
      values (${blog}, ${sql.json({ fr: `Nouvelle ${w}` })}, ${sql.json({ fr: '<p>Le texte</p>' })}) returning id`;
    const [scheduled] = await sql<{ id: string }[]>`insert into public.blog_posts (component_id, title, published_at)
      values (${blog}, ${sql.json({ fr: `Prochaine ${w}` })}, now() + interval '2 days') returning id`;

    const survey = randomUUID();
    await sql`insert into public.components (id, space_id, feature, name, published_at) values
      (${survey}, ${pub.spaceId}, 'surveys', ${sql.json({ fr: 'Questionnaire' })}, now())`;
    await sql`update public.form_questionnaires set title = ${sql.json({ fr: `Enquête ${w}` })}, description = ${sql.json({ fr: '<p>Dites-nous</p>' })}
      where owner_type = 'survey' and owner_id = ${survey}`;

    const r = await search(null, params(w), 'fr', 'fr');
    expect(r.hits.map((h) => h.id).sort()).toEqual([debate, post!.id, survey].sort());
    expect(r.counts).toEqual({ blog_post: 1, debate: 1, survey: 1 });
    expect((await find(userClaims(member), w)).sort()).toEqual([debate, secretDebate, post!.id, survey].sort());
    // A scheduled post is found once it is out.
    await sql`update public.blog_posts set published_at = now() - interval '1 minute' where id = ${scheduled!.id}`;
    expect((await find(null, w)).includes(scheduled!.id)).toBe(true);
    await sql`update public.debates set title = ${'Un autre sujet'} where id = ${debate}`;
    expect((await find(null, w)).includes(debate)).toBe(false);
  });
});

describe('budget projects', () => {
  it('found where their component is seen, with their budget as where they live (their address)', async () => {
    const w = word();
    const f = await createBudgetsComponent(sql);
    const budget = await createBudget(sql, f);
    const [project] = await createProjects(sql, budget, [100]);
    await sql`update public.projects set description = ${sql.json({ fr: `<p>Planter ${w} au parc</p>` })} where id = ${project!}`;
    const hidden = await createBudgetsComponent(sql, { private: true });
    const [secret] = await createProjects(sql, await createBudget(sql, hidden), [100]);
    await sql`update public.projects set title = ${sql.json({ fr: `Projet ${w}` })} where id = ${secret!}`;

    const r = await search(null, params(w), 'fr', 'fr');
    expect(r.hits.map((h) => h.id)).toEqual([project]);
    expect(r.hits[0]).toMatchObject({ type: 'project', componentId: f.componentId, parent: { type: 'budget', id: budget } });
    expect(RESOURCES.find((x) => x.type === 'project')?.search?.parentPath?.(budget)).toBe(`/budgets/${budget}`);
    await sql`delete from public.projects where id = ${project!}`;
    expect(await find(null, w)).toEqual([]);
  });
});

describe('comments are found where their resource is seen', () => {
  // As the table owner, but with the author's claims: the resource is looked up as they see it.
  const comment = async (resourceType: string, resourceId: string, body: string) =>
    sql.begin(async (tx) => {
      await tx`select set_config('request.jwt.claims', ${JSON.stringify(userClaims(author))}, true)`;
      const [c] = await tx<{ id: string }[]>`
        insert into public.comments (resource_type, resource_id, author_id, body) values (${resourceType}, ${resourceId}, ${author}, ${body}) returning id`;
      return c!.id;
    });

  it('named after the commented resource, linked to the comment; hidden resources, private spaces, restricted emendations', async () => {
    const w = word();
    const onVisible = await createProposal(sql, pub, author, { title: 'Un banc au square' });
    const visibleComment = await comment('proposal', onVisible, `Je suis pour, ${w} !`);
    const hiddenProposal = await createProposal(sql, pub, author);
    const onHidden = await comment('proposal', hiddenProposal, `Sur une masquée ${w}`);
    await sql`update public.proposals set hidden_at = now() where id = ${hiddenProposal}`;
    const secret = await comment('proposal', await createProposal(sql, priv, author), `Réservé ${w}`);
    const restricted = await createProposalsComponent(sql);
    const emendation = await createProposal(sql, restricted, outsider, { amendsId: await createProposal(sql, restricted, author) });
    const onEmendation = await comment('proposal', emendation, `Sur un amendement ${w}`);
    await updatePhase(sql, restricted, { amendments_visibility: 'participants' });

    const r = await search(null, params(w), 'fr', 'fr');
    expect(r.hits.map((h) => h.id)).toEqual([visibleComment]);
    expect(r.counts).toEqual({ comment: 1 });
    const hit = r.hits[0]!;
    expect(hit.title).toBe('');
    expect(hit.parent).toEqual({ type: 'proposal', id: onVisible, title: 'Un banc au square' });
    expect(highlighted(hit.snippet)).toContain(`<mark>${w}</mark>`);
    expect((await find(userClaims(outsider), w)).sort()).toEqual([visibleComment, onEmendation].sort());
    expect((await find(userClaims(member), w)).sort()).toEqual([visibleComment, secret].sort());
    // Whoever it is, the search finds the comments the comments' own policy shows them.
    for (const claims of [null, userClaims(author), userClaims(member), userClaims(moderator), userClaims(outsider)]) {
      const seen = await asUser(claims, (tx) => tx<{ id: string }[]>`select id from public.comments where body like ${`%${w}%`}`, sql);
      expect((await find(claims, w)).sort()).toEqual(seen.map((c) => c.id).sort());
    }
    // The table as the API roles read it: the same rule on the parent.
    const rows = await sql.begin(async (tx) => {
      await tx`select set_config('role', 'anon', true), set_config('request.jwt.claims', '{"role":"anon"}', true)`;
      return tx<{ resource_id: string }[]>`select resource_id from public.search_index where resource_id in (${visibleComment}, ${onHidden}, ${secret}, ${onEmendation})`;
    });
    expect(rows.map((x) => x.resource_id)).toEqual([visibleComment]);
  });

  it('edited, hidden by a moderator, deleted: the index follows', async () => {
    const [w1, w2] = [word(), word()];
    const pageId = randomUUID();
    await sql`insert into public.components (id, space_id, feature, name, published_at) values (${pageId}, ${pub.spaceId}, 'pages', ${sql.json({ fr: 'Règlement' })}, now())`;
    await sql`insert into public.pages (component_id, body) values (${pageId}, ${sql.json({ fr: '<p>Texte.</p>' })})`;
    const id = await comment('page', pageId, `Première version ${w1}`);
    expect(await find(null, w1)).toEqual([id]);
    await sql`update public.comments set body = ${`Seconde version ${w2}`} where id = ${id}`;
    expect(await find(null, w1)).toEqual([]);
    const [hit] = (await search(null, params(w2), 'fr', 'fr')).hits;
    expect(hit!.parent).toEqual({ type: 'page', id: pageId, title: 'Règlement' });
    await sql`update public.comments set hidden_at = now() where id = ${id}`;
    expect(await find(userClaims(moderator), w2)).toEqual([]);
    await sql`update public.comments set hidden_at = null where id = ${id}`;
    expect(await find(null, w2)).toEqual([id]);
    await sql`update public.comments set deleted_at = now(), body = '' where id = ${id}`;
    expect(await sql`select 1 from public.search_index where resource_id = ${id}`).toEqual([]);
  });
});

describe('matching and ranking', () => {
  it('accents, case and word forms do not matter; French and English', async () => {
    const w = word();
    const p = await createProposal(sql, pub, author, { title: `Des vélos électriques ${w}`, body: '<p>Stations de recharge près des écoles.</p>' });
    expect(await find(null, `${w} ELECTRIQUE`)).toEqual([p]);
    expect(await find(null, `${w} velo`)).toEqual([p]);
    expect(await find(null, `${w} école`)).toEqual([p]);
    expect(await find(null, `${w} bibliothèque`)).toEqual([]);
    // A page translated in English: its English words are stemmed in English.
    const componentId = randomUUID();
    await sql`insert into public.components (id, space_id, feature, name, published_at) values
      (${componentId}, ${pub.spaceId}, 'pages', ${sql.json({ fr: `Règlement ${w}`, en: `Rules ${w}` })}, now())`;
    await sql`insert into public.pages (component_id, body) values (${componentId}, ${sql.json({ fr: '<p>Les vélos sont rangés.</p>', en: '<p>Bicycles are parked at the libraries.</p>' })})`;
    expect(await find(null, `${w} bicycle library`)).toEqual([componentId]);
    expect(await find(null, `"${w}" -velos`)).toEqual([]);
  });

  it('a title match ranks above a body match; snippets highlight the words, escaped', async () => {
    const w = word();
    const inBody = await createProposal(sql, pub, author, { title: 'Proposition ordinaire', body: `<p>Il faudrait ${w} &lt;script&gt; partout.</p>` });
    const inTitle = await createProposal(sql, pub, author, { title: `Le ${w} du quartier`, body: '<p>Rien de plus à ajouter ici.</p>' });
    const r = await search(null, params(w), 'fr', 'fr');
    expect(r.hits.map((h) => h.id)).toEqual([inTitle, inBody]);
    const bodyHit = r.hits[1]!;
    const html = highlighted(bodyHit.snippet);
    expect(html).toContain(`<mark>${w}</mark>`);
    // Shown as typed (a word joiner keeps the snippets' parser from taking it for a tag), escaped.
    expect(html).toMatch(/&lt;\u2060?script&gt;/);
    expect(html).not.toContain('<script>');
    expect(highlighted(r.hits[0]!.title)).toBe(`Le <mark>${w}</mark> du quartier`);
  });
});

describe('large result sets', () => {
  it('counts stop past their cap; unranked pages give title matches first, then body matches, newest first', async () => {
    const w = word();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(await createProposal(sql, pub, author, { title: `Titre ${w} ${i}` }));
    for (let i = 0; i < 3; i++) ids.push(await createProposal(sql, pub, author, { title: `Autre ${i}`, body: `<p>Le corps mentionne ${w} ici, ${i}.</p>` }));
    const q = sql`websearch_to_tsquery('private.search_fr', ${w}) || websearch_to_tsquery('private.search_en', ${w})`;
    const [capped] = await sql<{ n: number }[]>`select n from private.search_counts(${q}, null, null, null, null, 4)`;
    expect(capped!.n).toBe(5);
    const [exact] = await sql<{ n: number }[]>`select n from private.search_counts(${q}, null, null, null, null, 1000)`;
    expect(exact!.n).toBe(6);
    const page = await sql<{ resource_id: string }[]>`select resource_id from private.search_page(${q}, null, null, null, null, null, 10, 0, false)`;
    // Newest first within each group: the last created of each group leads it.
    expect(page.map((r) => r.resource_id)).toEqual([ids[2], ids[1], ids[0], ids[5], ids[4], ids[3]]);
  });
});

describe('the registry', () => {
  it('every type with a search document says how the page names and links it, and only those', async () => {
    const rows = await sql<{ resource_type: string }[]>`select resource_type from public.resource_types where search_document is not null order by 1`;
    expect(RESOURCES.filter((r) => r.search).map((r) => r.type).sort()).toEqual(rows.map((r) => r.resource_type));
  });
});

describe('filters and counts', () => {
  it('by type, space, category (with its sub-categories) and publication date; counts per type', async () => {
    const w = word();
    const [root, child] = [randomUUID(), randomUUID()];
    await sql`insert into public.taxonomies (id, parent_id, name) values (${root}, null, ${sql.json({ fr: `Racine ${w}` })})`;
    await sql`insert into public.taxonomies (id, parent_id, name) values (${child}, ${root}, ${sql.json({ fr: `Enfant ${w}` })})`;
    const tagged = await createProposal(sql, pub, author, { title: `Classée ${w}`, taxonomyId: child });
    const old = await createProposal(sql, pub, author, { title: `Ancienne ${w}` });
    await sql`update public.proposals set published_at = '2026-01-15T10:00:00Z' where id = ${old}`;
    const other = await createProposalsComponent(sql);
    const elsewhere = await createProposal(sql, other, author, { title: `Ailleurs ${w}` });
    const pageId = randomUUID();
    await sql`insert into public.components (id, space_id, feature, name, published_at) values (${pageId}, ${pub.spaceId}, 'pages', ${sql.json({ fr: `Page ${w}` })}, now())`;
    await sql`insert into public.pages (component_id, body) values (${pageId}, ${sql.json({ fr: '<p>Texte.</p>' })})`;

    const all = await search(null, params(w), 'fr', 'fr');
    expect(all.counts).toEqual({ proposal: 3, page: 1 });
    expect(all.total).toBe(4);
    const pages = await search(null, params(w, { type: 'page' }), 'fr', 'fr');
    expect(pages.hits.map((h) => h.id)).toEqual([pageId]);
    expect(pages.counts).toEqual({ proposal: 3, page: 1 });
    expect((await find(null, w, { spaceId: other.spaceId }))).toEqual([elsewhere]);
    expect(await find(null, w, { taxonomyId: root })).toEqual([tagged]);
    expect(await find(null, w, { taxonomyId: child })).toEqual([tagged]);
    expect(await find(null, w, { to: '2026-01-31' })).toEqual([old]);
    expect(await find(null, w, { from: '2026-01-15', to: '2026-01-15' })).toEqual([old]);
    expect((await find(null, w, { from: '2026-02-01' })).includes(old)).toBe(false);
    // Filters alone list the newest first.
    expect((await search(null, params('', { spaceId: other.spaceId }), 'fr', 'fr')).hits.map((h) => h.id)).toContain(elsewhere);
  });
});

describe('the index follows the resources', () => {
  it('publishing, editing, hiding, unhiding and deleting, in the same transaction', async () => {
    const [w1, w2] = [word(), word()];
    const id = await createProposal(sql, pub, author, { title: `Brouillon ${w1}`, published: false });
    expect(await find(null, w1)).toEqual([]);
    await sql`update public.proposals set published_at = now() where id = ${id}`;
    expect(await find(null, w1)).toEqual([id]);
    await sql`update public.proposals set title = ${`Nouveau titre ${w2}`} where id = ${id}`;
    expect(await find(null, w1)).toEqual([]);
    expect(await find(null, w2)).toEqual([id]);
    await sql`update public.proposals set hidden_at = now() where id = ${id}`;
    expect(await find(null, w2)).toEqual([]);
    await sql`update public.proposals set hidden_at = null where id = ${id}`;
    expect(await find(null, w2)).toEqual([id]);
    await sql`delete from public.proposals where id = ${id}`;
    expect(await sql`select 1 from public.search_index where resource_id = ${id}`).toEqual([]);
  });

  it('the proposals text filter reads the same index: words as prefixes, accents ignored', async () => {
    const { listProposals } = await import('../../src/features/proposals/list-queries.server.ts');
    const { EMPTY_FILTERS } = await import('../../src/features/proposals/list.ts');
    const f = await createProposalsComponent(sql);
    const a = await createProposal(sql, f, author, { title: 'Des pistes cyclables sécurisées', body: '<p>Le long du canal.</p>' });
    await createProposal(sql, f, author, { title: 'Un jardin partagé', body: '<p>Près de l’école.</p>' });
    const ids = async (text: string) => (await listProposals(null, f.componentId, { ...EMPTY_FILTERS, sort: 'recent', text }, null, 10))!.items.map((i) => i.id);
    expect(await ids('cycl')).toEqual([a]);
    expect(await ids('securisee piste')).toEqual([a]);
    expect(await ids('CANAL')).toEqual([a]);
    expect(await ids('piste jardin')).toEqual([]);
  });

  it('a prefix with few completions is asked as the words the index holds, with many stays a prefix: the same matches', async () => {
    const { listProposals } = await import('../../src/features/proposals/list-queries.server.ts');
    const { EMPTY_FILTERS } = await import('../../src/features/proposals/list.ts');
    const expand = async (q: string) =>
      (await sql<{ q: string }[]>`select private.search_expand_prefixes(to_tsquery('private.search_fr', ${q}))::text as q`)[0]!.q;
    const f = await createProposalsComponent(sql);
    const w = word();
    const ids = async (text: string) =>
      new Set((await listProposals(null, f.componentId, { ...EMPTY_FILTERS, sort: 'recent', text }, null, 100))!.items.map((i) => i.id));
    const a = await createProposal(sql, f, author, { title: `Un ${w}ard au marché` });
    const b = await createProposal(sql, f, author, { title: `Deux ${w}ine` });
    // Both new words were listed by the index's own insert: the prefix becomes them.
    expect(await expand(`${w}:*`)).toBe(`'${w}ard' | '${w}in'`);
    expect(await ids(w)).toEqual(new Set([a, b]));
    // A word an edit brings is listed too (the index's update).
    await sql`update public.proposals set title = ${`Trois ${w}ouillette`} where id = ${b}`;
    expect(await expand(`${w}:*`)).toContain(`'${w}ouillet'`);
    expect(await ids(`${w}ouil`)).toEqual(new Set([b]));
    // More than 32 completions: still a prefix, still every match.
    const many = await Promise.all(Array.from({ length: 34 }, (_, i) => createProposal(sql, f, author, { title: `${w}x${'abcdefghijklmnopqrstuvwxyz'[i % 26]}${i}` })));
    expect(await expand(`${w}x:*`)).toBe(`'${w}x':*`);
    expect(await ids(`${w}x`)).toEqual(new Set(many));
    // No completion: a prefix (matches nothing); quotes and backslashes survive the rebuilding.
    expect(await expand('zzqqnothing:*')).toBe(`'zzqqnothing':*`);
    const v = word();
    await sql`insert into private.search_lexemes (lexeme) values (${`${v}'q`}), (${`${v}\\\\q`}) on conflict do nothing`;
    const odd = (await sql<{ q: string }[]>`select private.search_expand_prefixes(${`'${v}':* & ( 'x' | 'y' )`}::tsquery)::text as q`)[0]!.q;
    expect(odd).toContain(`'${v}''q'`);
    expect(odd).toContain(`'${v}\\\\\\\\q'`);
    expect(odd.endsWith(`& ( 'x' | 'y' )`)).toBe(true);
  });
});
