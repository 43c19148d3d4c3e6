import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvCell, toCsv } from '../../src/features/proposals/export.ts';
import { Browser, createConfirmedUser, signedIn } from '../web/helpers.ts';
import { closeTestDb, testDb } from '../web/spaces-helpers.ts';
import { createProposal, createProposalsComponent, grantRole, type ProposalsFixture } from './fixtures.ts';
import { createUser } from '../db/fixtures.ts';

/*
 * Exports of proposals: the CSV format (RFC 4180, BOM, formula-safe cells), the admin CSV and
 * JSON of a component, and the organization's open data (public, published, visible proposals
 * only, read as an anonymous visitor).
 */

describe('CSV cells', () => {
  it('quote what needs quoting and defuse formulas', () => {
    expect(csvCell('simple')).toBe('simple');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('il a dit "oui"')).toBe('"il a dit ""oui"""');
    expect(csvCell('deux\nlignes')).toBe('"deux\nlignes"');
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('+33 6')).toBe("'+33 6");
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe('"\'=HYPERLINK(""http://x"",""y"")"');
    expect(csvCell(-2)).toBe('-2');
    expect(csvCell(null)).toBe('');
    expect(csvCell(true)).toBe('true');
    expect(csvCell(['a', 'b'])).toBe('"a, b"');
  });
  it('make a document with a BOM and CRLF lines', () => {
    const csv = toCsv(['a', 'b'], [{ a: 'é', b: 1 }]);
    expect(csv).toBe('\uFEFFa,b\r\né,1\r\n');
  });
});

let f: ProposalsFixture;
let adminBrowser: Browser;
let base: string;

beforeAll(async () => {
  f = await createProposalsComponent(testDb());
  const admin = await createConfirmedUser();
  await grantRole(testDb(), f, admin.id, 'admin');
  adminBrowser = await signedIn(admin.email, admin.password);
  base = `/fr/admin/spaces/${f.spaceId}/components/${f.componentId}`;
});

afterAll(async () => {
  await closeTestDb();
});

describe('admin exports', () => {
  it('CSV and JSON hold the component’s proposals, formula-safe', async () => {
    const author = await createUser(testDb(), 'exporter');
    const [nick] = await testDb()<{ nickname: string }[]>`select nickname from public.profiles where id = ${author}`;
    const p = await createProposal(testDb(), f, author, {
      title: '=HYPERLINK("http://evil","clic")',
      body: '<p>Un corps <strong>riche</strong>, avec virgule.</p>',
      address: '3 rue des Lilas',
      latitude: 48.85,
      longitude: 2.35,
    });
    const draft = await createProposal(testDb(), f, author, { title: 'Brouillon non exporté', published: false });
    const res = await adminBrowser.request(`${base}/proposals/export?format=csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toContain('attachment');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csv = new TextDecoder().decode(bytes);
    const lines = csv.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe(
      'id,number,title,body,state,state_name,answer,supports,likes,comments,follows,taxonomy,address,latitude,longitude,authors,official,withdrawn,published_at,url,internal_state,answer_published',
    );
    const line = lines.find((l) => l.startsWith(p));
    expect(line).toContain('"\'=HYPERLINK(""http://evil"",""clic"")"');
    expect(line).toContain('"Un corps riche , avec virgule."');
    expect(line).toContain('3 rue des Lilas,48.85,2.35');
    expect(line).toContain(nick!.nickname);
    expect(csv).not.toContain(draft);

    const json = (await (await adminBrowser.request(`${base}/proposals/export?format=json`)).json()) as Record<string, unknown>[];
    const row = json.find((r) => r['id'] === p);
    expect(row).toMatchObject({
      title: '=HYPERLINK("http://evil","clic")',
      body: 'Un corps riche , avec virgule.',
      state: null,
      supports: 0,
      likes: 0,
      address: '3 rue des Lilas',
      latitude: 48.85,
      longitude: 2.35,
      authors: [nick!.nickname],
      official: false,
      internal_state: null,
      answer_published: false,
    });
    expect(String(row!['url'])).toMatch(new RegExp(`/fr/processes/[^/]+/f/${f.componentId}/proposals/${p}$`));
    expect(json.some((r) => r['id'] === draft)).toBe(false);
  });

  it('omits supports while the phase hides them', async () => {
    const g = await createProposalsComponent(testDb(), { phase: { votes_hidden: true } });
    const admin = await createConfirmedUser();
    await grantRole(testDb(), g, admin.id, 'admin');
    const b = await signedIn(admin.email, admin.password);
    const author = await createUser(testDb(), 'hidden');
    const p = await createProposal(testDb(), g, author);
    const json = (await (await b.request(`/fr/admin/spaces/${g.spaceId}/components/${g.componentId}/proposals/export?format=json`)).json()) as Record<string, unknown>[];
    expect(json.find((r) => r['id'] === p)?.['supports']).toBeNull();
  });
});

describe('open data', () => {
  it('lists public, published, visible proposals only', async () => {
    const author = await createUser(testDb(), 'opendata');
    const visible = await createProposal(testDb(), f, author, { title: 'Proposition ouverte au public' });
    const hidden = await createProposal(testDb(), f, author, { title: 'Proposition masquée' });
    await testDb()`update public.proposals set hidden_at = now() where id = ${hidden}`;
    const draft = await createProposal(testDb(), f, author, { title: 'Proposition en brouillon', published: false });
    const priv = await createProposalsComponent(testDb(), { private: true });
    await testDb()`insert into public.space_members (space_id, user_id) values (${priv.spaceId}, ${author}) on conflict do nothing`.catch(() => undefined);
    const inPrivate = await createProposal(testDb(), priv, author, { title: 'Proposition d’un espace privé' }).catch(async () => {
      // The author may not be able to write in a private space: insert as the table owner instead.
      const [row] = await testDb()<{ id: string }[]>`
        insert into public.proposals (component_id, author_id, title, body, published_at)
        values (${priv.componentId}, ${author}, 'Proposition d’un espace privé', '<p>Un texte assez long pour passer.</p>', now()) returning id`;
      return row!.id;
    });
    const unpublished = await createProposalsComponent(testDb(), { published: false });
    const [u] = await testDb()<{ id: string }[]>`
      insert into public.proposals (component_id, author_id, title, body, published_at)
      values (${unpublished.componentId}, ${author}, 'Composant non publié', '<p>Un texte assez long pour passer.</p>', now()) returning id`;

    const anon = new Browser();
    const res = await anon.request('/open-data/proposals.json');
    expect(res.status).toBe(200);
    const ids = new Set(((await res.json()) as { id: string }[]).map((r) => r.id));
    expect(ids.has(visible)).toBe(true);
    for (const id of [hidden, draft, inPrivate, u!.id]) expect(ids.has(id)).toBe(false);
    const csv = await (await anon.request('/open-data/proposals.csv')).text();
    expect(csv.replace(/^\uFEFF/, '').startsWith('id,number,title')).toBe(true);
    expect(csv).toContain(visible);
    expect(csv).not.toContain(hidden);
    expect(csv).not.toContain('internal_state');
  });
});
