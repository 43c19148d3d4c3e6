import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sanitizeHtml, sanitizeUserHtml } from '../../src/lib/html/sanitize.ts';
import { markdownFromHtml } from '../../src/lib/markdown/from-html.ts';
import { bodyText, proposalBodyHtml } from '../../src/features/proposals/inputs.ts';
import { Browser, stack, type Page } from '../web/helpers.ts';
import { closeTestDb, testDb } from '../web/spaces-helpers.ts';
import { act, person, proposalsPlace, published, type Person, type Place } from './page-fixtures.ts';
import { createProposal, createProposalsComponent, grantRole, type ProposalsFixture } from './fixtures.ts';

/*
 * Every long text of proposals is written in the site's Markdown subset, as a browser without
 * JavaScript posts it: the wizard, the edit form, amendments, and the admin's official, merged and
 * split proposals. The page shows the formatted text; raw HTML is shown as typed, never
 * interpreted; the edit form gives Markdown back; the no-JS "Preview" keeps what was typed and
 * saves nothing; the preview endpoint answers sanitised HTML to its own site only.
 */

let place: Place;
let alice: Person;
let bob: Person;
let admin: Person;
let f: ProposalsFixture;
let adminBase: string;

beforeAll(async () => {
  place = await proposalsPlace({ proposal_length: 2000 });
  [alice, bob, admin] = await Promise.all([person('Alice Markdown'), person('Bob Amende'), person('Admin Markdown')]);
  f = await createProposalsComponent(testDb(), { settings: { official_proposals_enabled: true } });
  await grantRole(testDb(), f, admin.id, 'admin');
  adminBase = `/fr/admin/spaces/${f.spaceId}/components/${f.componentId}`;
});
afterAll(async () => {
  await closeTestDb();
});

const MARKDOWN = 'Un **jardin** *partagé* :\n\n- des bacs\n- un [plan](https://example.org/plan)\n\n> Une citation';

/** The formatted text of MARKDOWN as the page must show it. */
function expectFormatted(page: Page): void {
  expect(page.html).toContain('<strong>jardin</strong>');
  expect(page.html).toContain('<em>partagé</em>');
  expect(page.html).toMatch(/<ul><li>des bacs<\/li><li>un <a href="https:\/\/example.org\/plan" rel="nofollow ugc noopener" target="_blank">plan<\/a><\/li><\/ul>/);
  expect(page.html).toContain('<blockquote><p>Une citation</p></blockquote>');
}

/** OWASP filter-evasion vectors typed in a body: all shown as text or dropped, none interpreted. */
const XSS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(2)>',
  '<svg/onload=alert(3)>',
  '<iframe src="javascript:alert(4)"></iframe>',
  '<a href="javascript:alert(5)">a</a>',
  '[b](javascript:alert(6))',
  '[c](JaVaScRiPt:alert(7))',
  '[d](data:text/html;base64,PHNjcmlwdD5hbGVydCg4KTwvc2NyaXB0Pg==)',
  '[e](/\\evil.example)',
  '<IMG SRC="jav&#x09;ascript:alert(9);">',
  '<BODY ONLOAD=alert(10)>',
  '"><script>alert(11)</script>',
  '<div style="background:url(javascript:alert(12))">f</div>',
  '![g](javascript:alert(13))',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(14)>',
].join('\n\n');

function expectNoMarkup(html: string): void {
  // Only the subset's tags, no attribute but a checked href (and rel/target), no script anywhere.
  for (const tag of html.match(/<[a-z][^>]*>/gi) ?? []) {
    expect(tag).toMatch(/^<(p|br \/|strong|em|ul|ol|li|blockquote|code|pre|span class="mention"|a href="(https?:|mailto:|\/(?!\/)|#)[^"]*" rel="nofollow ugc noopener" target="_blank")>$/);
  }
  expect(html).not.toMatch(/<[^>]*(javascript:|data:|\son\w+=|\\evil)/i);
}

describe('the Markdown subset in proposals (no JavaScript)', () => {
  it('the wizard: hint names the subset; Markdown posted shows formatted; raw HTML shown as text, never interpreted', async () => {
    const form = await alice.browser.get(`${place.list}/proposals/new`);
    expect(form.text).toContain('Mise en forme : **gras**, *italique*');
    expect(form.text).toContain('Le HTML s’affiche tel quel.');
    expect(form.html).toContain('name="_preview" value="proposal-body"');
    const en = await alice.browser.get(`${place.list}/proposals/new`.replace('/fr/', '/en/'));
    expect(en.text).toContain('Formatting: **bold**, *italics*');
    expect(en.text).toContain('Preview');

    const created = await alice.browser.post(act(`${place.list}/proposals/new`, 'createProposal'), {
      component_id: place.componentId,
      title: 'Un jardin partagé en Markdown',
      body: `${MARKDOWN}\n\n${XSS}`,
    });
    expect(created.status).toBe(303);
    const id = /\/proposals\/([0-9a-f-]{36})\/complete$/.exec(created.location ?? '')![1]!;
    const [row] = await testDb()<{ body: string }[]>`select body from public.proposals where id = ${id}`;
    expectNoMarkup(row!.body);
    expect(row!.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    const step3 = await alice.browser.get(`${place.page(id)}/publish`);
    expectFormatted(step3);
    expect(step3.text).toContain('<img src=x onerror=alert(2)>');
    expect(step3.html).not.toMatch(/<(img|svg|iframe|math|body|div style)\b[^>]*(onerror|onload|javascript)/i);
    expect(await alice.browser.post(act(`${place.page(id)}/publish`, 'publishProposal'), { proposal_id: id }).then((p) => p.status)).toBe(303);
    const page = await new Browser().get(place.page(id));
    expectFormatted(page);
    expect(page.text).toContain('<script>alert(1)</script>');
    expect(page.html).not.toContain('<script>alert(');
    expect(page.html).not.toMatch(/<a\s[^>]*href="(javascript|data|\/\\)/i);
  });

  it('the edit form shows Markdown again and saves Markdown formatted', async () => {
    const id = await published(place, alice.id, { title: 'Des bancs au square', body: proposalBodyHtml('Des **bancs** au square.\n\n- trois\n- à l’ombre') });
    const form = await alice.browser.get(`${place.page(id)}/edit`);
    expect(form.status).toBe(200);
    const textarea = /<textarea[^>]*id="proposal-body"[^>]*>([\s\S]*?)<\/textarea>/.exec(form.html)![1]!;
    expect(textarea).toContain('Des **bancs** au square.');
    expect(textarea).toMatch(/- +trois/);
    // Its no-JS preview: the page again, with what was typed and the preview, nothing saved.
    const preview = await alice.browser.post(`${place.page(id)}/edit`, { proposal_id: id, title: 'Un titre en cours', body: MARKDOWN, _preview: 'proposal-body' });
    expect(preview.status).toBe(200);
    expect(preview.html).toContain('value="Un titre en cours"');
    expect(/<section[^>]*id="proposal-body-preview"[^>]*>([\s\S]*?)<\/section>/.exec(preview.html)![1]).toContain('<strong>jardin</strong>');
    expect((await testDb()<{ title: string }[]>`select title from public.proposals where id = ${id}`)[0]!.title).toBe('Des bancs au square');
    const saved = await alice.browser.post(act(`${place.page(id)}/edit`, 'updateProposal'), { proposal_id: id, title: 'Des bancs au square', body: MARKDOWN });
    expect(saved.status).toBe(303);
    expectFormatted(await new Browser().get(place.page(id)));
  });

  it('an amendment written in Markdown shows formatted, its diff on the text', async () => {
    const id = await published(place, alice.id, { title: 'Des arbres rue Basse', body: '<p>Planter des arbres rue Basse.</p>' });
    const page = await bob.browser.get(place.page(id));
    expect(page.html).toMatch(/<textarea[^>]*id="amendment-body"[^>]*>\s*Planter des arbres rue Basse\.<\/textarea>/);
    const amend = await bob.browser.post(act(place.page(id), 'createAmendment'), { proposal_id: id, title: 'Des arbres rue Basse', body: MARKDOWN });
    expect(amend.status).toBe(303);
    const em = /proposals\/([0-9a-f-]{36})\?status=amended$/.exec(amend.location ?? '')![1]!;
    const emPage = await bob.browser.get(place.page(em));
    expectFormatted(emPage);
    // The diff is about words of text, not about tags.
    expect(emPage.html).not.toMatch(/<(ins|del)[^>]*>[^<]*&lt;/);
  });

  it('the no-JS preview renders the text under the field, keeps what was typed and saves nothing', async () => {
    const before = await testDb()`select count(*)::int as n from public.proposals where component_id = ${place.componentId}`;
    const typed = `${MARKDOWN}\n\n<b>tel quel</b>`;
    const preview = await alice.browser.post(`${place.list}/proposals/new`, { component_id: place.componentId, title: 'Un titre gardé', body: typed, _preview: 'proposal-body' });
    expect(preview.status).toBe(200);
    expect(preview.html).toContain('value="Un titre gardé"');
    const textarea = /<textarea[^>]*id="proposal-body"[^>]*>([\s\S]*?)<\/textarea>/.exec(preview.html)![1]!;
    expect(textarea.trim()).toBe(typed.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`));
    const region = /<section[^>]*id="proposal-body-preview"[^>]*>([\s\S]*?)<\/section>/.exec(preview.html)!;
    expect(region[0]).not.toMatch(/\shidden/);
    expect(region[1]).toContain('<strong>jardin</strong>');
    expect(region[1]).toContain('&lt;b&gt;tel quel&lt;/b&gt;');
    const after = await testDb()`select count(*)::int as n from public.proposals where component_id = ${place.componentId}`;
    expect(after[0]!['n']).toBe(before[0]!['n']);
    // Without a preview asked, the region is there but hidden.
    expect(/<section[^>]*id="proposal-body-preview"[^>]*>/.exec((await alice.browser.get(`${place.list}/proposals/new`)).html)![0]).toMatch(/\shidden/);
    // The amendment form too: it opens with what was typed.
    const id = await published(place, alice.id, { title: 'Un préau à l’école' });
    const amendPreview = await bob.browser.post(place.page(id), { proposal_id: id, title: 'Un préau plus grand', body: typed, _preview: 'amendment-body' });
    expect(amendPreview.status).toBe(200);
    expect(amendPreview.html).toMatch(/<details class="proposal-amend" open/);
    expect(amendPreview.html).toContain('value="Un préau plus grand"');
    expect(/<section[^>]*id="amendment-body-preview"[^>]*>([\s\S]*?)<\/section>/.exec(amendPreview.html)![1]).toContain('<strong>jardin</strong>');
  });

  it('admin: official, merged and split proposals take the same Markdown, with a preview', async () => {
    const form = await admin.browser.get(`${adminBase}/proposals/new`);
    expect(form.text).toContain('Mise en forme : **gras**');
    expect(form.text).not.toContain('HTML simple accepté');
    const official = await admin.browser.post(`${adminBase}/proposals/new?_action=proposalsAdmin.createOfficialProposal`, { component_id: f.componentId, title: 'Proposition officielle en Markdown', body: MARKDOWN });
    expect(official.status).toBe(303);
    const officialId = /\/proposals\/([0-9a-f-]{36})$/.exec(official.location ?? '')![1]!;
    expectFormatted(await admin.browser.get(`${adminBase}/proposals/${officialId}`));

    const p1 = await createProposal(testDb(), f, alice.id, { title: 'Premier morceau' });
    const p2 = await createProposal(testDb(), f, bob.id, { title: 'Second morceau' });
    const merge = new URLSearchParams({ component_id: f.componentId, title: 'Les morceaux en Markdown', body: MARKDOWN });
    merge.append('ids', p1);
    merge.append('ids', p2);
    const previewMerge = new URLSearchParams(merge);
    previewMerge.set('_preview', 'merge-body');
    const mergePreview = await admin.browser.post(`${adminBase}/proposals/merge`, previewMerge);
    expect(mergePreview.status).toBe(200);
    expect(mergePreview.html).toContain('value="Les morceaux en Markdown"');
    expect(/<section[^>]*id="merge-body-preview"[^>]*>([\s\S]*?)<\/section>/.exec(mergePreview.html)![1]).toContain('<strong>jardin</strong>');
    const merged = await admin.browser.post(`${adminBase}/proposals/merge?_action=proposalsAdmin.mergeProposals`, merge);
    expect(merged.status).toBe(303);
    const mergedId = /\/proposals\/([0-9a-f-]{36})\?done=merged$/.exec(merged.location ?? '')![1]!;
    expectFormatted(await admin.browser.get(`${adminBase}/proposals/${mergedId}`));

    const p = await createProposal(testDb(), f, alice.id, { title: 'Deux idées en Markdown' });
    const split = new URLSearchParams({ proposal_id: p });
    split.append('title', 'Première idée en Markdown');
    split.append('body', MARKDOWN);
    split.append('title', 'Seconde idée en Markdown');
    split.append('body', 'La **seconde** idée.');
    const splitPreview = await admin.browser.post(`${adminBase}/proposals/split?proposal=${p}`, new URLSearchParams([...split, ['_preview', 'split-body-2']]));
    expect(splitPreview.status).toBe(200);
    expect(/<section[^>]*id="split-body-2-preview"[^>]*>([\s\S]*?)<\/section>/.exec(splitPreview.html)![1]).toContain('La <strong>seconde</strong> idée.');
    expect(splitPreview.html).toContain('value="Première idée en Markdown"');
    const done = await admin.browser.post(`${adminBase}/proposals/split?_action=proposalsAdmin.splitProposal`, split);
    expect(done.status).toBe(303);
    const [part] = await testDb()<{ id: string }[]>`select id from public.proposals where ${p} = any (origin_ids) and title = 'Première idée en Markdown'`;
    expectFormatted(await admin.browser.get(`${adminBase}/proposals/${part!.id}`));
  });
});

describe('the preview endpoint', () => {
  const endpoint = () => `${stack().siteUrl}/api/markdown/preview`;
  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(endpoint(), { method: 'POST', body, headers: { 'content-type': 'application/json', origin: stack().siteUrl, ...headers } });

  it('answers the sanitised HTML of the subset, raw HTML as text', async () => {
    const res = await post(JSON.stringify({ text: `${MARKDOWN}\n\n${XSS}` }));
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toContain('no-store');
    const { html } = (await res.json()) as { html: string };
    expect(html).toContain('<strong>jardin</strong>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expectNoMarkup(html);
  });

  it('refuses another origin, no origin, a cross-site fetch, another content type, oversize text and bad JSON', async () => {
    expect((await post(JSON.stringify({ text: 'x' }), { origin: 'https://evil.example' })).status).toBe(403);
    expect((await fetch(endpoint(), { method: 'POST', body: JSON.stringify({ text: 'x' }), headers: { 'content-type': 'application/json' } })).status).toBe(403);
    expect((await post(JSON.stringify({ text: 'x' }), { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    // A form post from another site is Astro's to refuse (checkOrigin), a text one ours.
    expect((await post('text=x', { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' })).status).toBe(403);
    expect((await post('{"text":"x"}', { 'content-type': 'text/plain' })).status).toBe(415);
    expect((await post(JSON.stringify({ text: 'x'.repeat(60_001) }))).status).toBe(413);
    expect((await post(JSON.stringify({ text: 'x'.repeat(60_000) }))).status).toBe(200);
    expect((await post('{"text":')).status).toBe(400);
    expect((await post(JSON.stringify({ text: 42 }))).status).toBe(400);
    // GET is not a thing.
    expect((await fetch(endpoint())).status).not.toBe(200);
  });
});

describe('stored HTML back to Markdown', () => {
  it('gives back what renders to the same HTML, seed bodies included', () => {
    for (const md of [
      MARKDOWN,
      XSS,
      '1 < 2 & 3 > 0, 5 * 3 = 15, _souligné_ #hash \\ fin\nligne suivante',
      '```\nbloc <b>\n```\n\n`code` et https://example.org et @camille',
      '1. un\n2. deux',
    ]) {
      const html = proposalBodyHtml(md);
      expect(proposalBodyHtml(markdownFromHtml(html))).toBe(html);
    }
    const simple = '<p>Aujourd’hui les vélos partagent la rue Nationale avec les bus.</p>';
    expect(markdownFromHtml(simple)).toBe('Aujourd’hui les vélos partagent la rue Nationale avec les bus.');
    expect(proposalBodyHtml(markdownFromHtml(simple))).toBe(simple);
    // Bodies stored before the subset: formatting kept as Markdown.
    expect(markdownFromHtml('<p>a <strong>b</strong> <a href="https://x.org" rel="nofollow noopener">c</a></p><ul><li>d</li></ul><h2>Titre</h2>')).toMatch(/^a \*\*b\*\* \[c\]\(https:\/\/x.org\)\n\n- +d\n\n\*\*Titre\*\*$/);
    // The text diffs and lengths are about.
    expect(bodyText(proposalBodyHtml('a\nb\n\n> c'))).toBe('a\nb\nc');
    // The demo seed's bodies: shown as before, and their edit form gives back the same text.
    const seed = readFileSync(new URL('../../supabase/seed.sql', import.meta.url), 'utf8');
    const bodies = [...seed.matchAll(/'(<p>(?:[^']|'')*)'/g)].map((m) => m[1]!.replace(/''/g, "'"));
    expect(bodies.length).toBeGreaterThan(30);
    for (const b of bodies) {
      expect(sanitizeUserHtml(b)).toBe(sanitizeHtml(b));
      expect(bodyText(proposalBodyHtml(markdownFromHtml(b)))).toBe(bodyText(b));
    }
  });
});
