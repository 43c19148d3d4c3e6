import { randomUUID } from 'node:crypto';
import type postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import * as Y from 'yjs';
import { loadDocument } from '../../realtime/persistence.ts';
import { startCollabServer, type CollabServer } from '../../realtime/server.ts';
import { documentText } from '../../src/lib/collab/history.ts';
import { connectTestDb } from '../helpers/db.ts';
import { createConfirmedUser, signedIn, type Browser } from '../web/helpers.ts';
import { connectClient, ensureProbeKind, grant, holdsAll, probeDocument, signToken, synced, waitFor, type Client } from './helpers.ts';

/*
 * History of a co-edited document: automatic versions kept by the service (real y-websocket
 * clients), and the site's API (/api/collab/history, real sessions) listing, showing, comparing,
 * naming and restoring them, with the rights Postgres gives each person. A restore travels as a
 * new change through the services: clients on two instances converge.
 */

let sql: postgres.Sql;
const clients: Client[] = [];
const servers: CollabServer[] = [];

interface Someone {
  id: string;
  name: string;
  browser: Browser;
}
let alice: Someone;
let bob: Someone;
let carol: Someone;
let dave: Someone;

async function someone(name: string): Promise<Someone> {
  const u = await createConfirmedUser({ name });
  return { id: u.id, name, browser: await signedIn(u.email, u.password) };
}

function client(url: string, doc: string, token: string): Client {
  const c = connectClient(url, doc, token);
  clients.push(c);
  return c;
}

async function server(opts: Partial<Parameters<typeof startCollabServer>[0]> = {}): Promise<CollabServer> {
  const s = await startCollabServer({ sql, jwtSecret: inject('stack').jwtSecret, port: 0, ...opts });
  servers.push(s);
  return s;
}

/** A paragraph at the end of the rich text (what TipTap's Collaboration writes). */
function addParagraph(doc: Y.Doc, text: string) {
  const p = new Y.XmlElement('paragraph');
  p.insert(0, [new Y.XmlText(text)]);
  doc.getXmlFragment('default').push([p]);
}

/** Typing at the end of the last paragraph. */
function typeAtEnd(doc: Y.Doc, text: string) {
  const frag = doc.getXmlFragment('default');
  const t = (frag.get(frag.length - 1) as Y.XmlElement).get(0) as Y.XmlText;
  t.insert(t.length, text);
}

const textOf = (c: Client) => documentText(Y.encodeStateAsUpdate(c.doc));

async function versionsOf(document: string) {
  return sql<{ id: string; kind: string; name: string | null; authors: string[]; created_by: string | null; restored_from: string | null; state: Buffer }[]>`
    select id::text, kind, name, authors::text[] as authors, created_by::text, restored_from::text, state from collab.versions v where v.document = ${document} order by v.id`;
}

async function newDocument(rights: [Someone, 'read' | 'write'][]): Promise<string> {
  const resource = randomUUID();
  for (const [p, access] of rights) await grant(sql, resource, p.id, access);
  return probeDocument(resource);
}

const api = (p: Someone, query: string) => p.browser.request(`/api/collab/history?${query}`);
const post = (p: Someone, body: unknown) =>
  p.browser.request('/api/collab/history', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

beforeAll(async () => {
  sql = connectTestDb();
  await ensureProbeKind(sql);
  [alice, bob, carol, dave] = await Promise.all([someone('Alice Histoire'), someone('Bruno Histoire'), someone('Carole Lectrice'), someone('Denis Dehors')]);
}, 60_000);

afterAll(async () => {
  for (const c of clients) c.destroy();
  for (const s of servers) await s.close();
  await sql.end();
});

describe('automatic versions (the service)', () => {
  it('keeps a version when an editing session goes quiet, naming who wrote, and none while nothing changes', async () => {
    const s = await server({ versionIdleMs: 400, versionEveryMs: 60_000 });
    const document = await newDocument([[alice, 'write'], [bob, 'write'], [carol, 'read']]);
    const a = client(s.url, document, await signToken(alice.id));
    const b = client(s.url, document, await signToken(bob.id));
    const c = client(s.url, document, await signToken(carol.id));
    await Promise.all([synced(a), synced(b), synced(c)]);
    addParagraph(a.doc, 'Un jardin partagé');
    await waitFor(() => textOf(b) === 'Un jardin partagé', 5000, 'b sees a');
    typeAtEnd(b.doc, ' au parc.');
    // Carol only reads: what she types is dropped, and she is nobody's co-author.
    addParagraph(c.doc, 'Intrusion');
    await waitFor(() => textOf(a) === 'Un jardin partagé au parc.', 5000, 'a sees b');
    await waitFor(async () => (await versionsOf(document)).length === 1, 5000, 'an automatic version');
    const [v] = await versionsOf(document);
    expect(v!.kind).toBe('auto');
    expect(v!.name).toBeNull();
    expect([...v!.authors].sort()).toEqual([alice.id, bob.id].sort());
    expect(documentText(new Uint8Array(v!.state))).toBe('Un jardin partagé au parc.');
    // Quiet and unchanged: no more versions.
    await new Promise((r) => setTimeout(r, 1200));
    expect(await versionsOf(document)).toHaveLength(1);
    // A new session, by Bob alone, makes the next one.
    typeAtEnd(b.doc, ' Avec des bancs.');
    await waitFor(async () => (await versionsOf(document)).length === 2, 5000, 'a second version');
    const second = (await versionsOf(document))[1]!;
    expect(second.authors).toEqual([bob.id]);
    expect(documentText(new Uint8Array(second.state))).toBe('Un jardin partagé au parc. Avec des bancs.');
  });

  it('keeps versions during a long session that never goes quiet', async () => {
    const s = await server({ versionIdleMs: 60_000, versionEveryMs: 500 });
    const document = await newDocument([[alice, 'write']]);
    const a = client(s.url, document, await signToken(alice.id));
    await synced(a);
    addParagraph(a.doc, 'x');
    const started = Date.now();
    while (Date.now() - started < 2000) {
      typeAtEnd(a.doc, 'x');
      await new Promise((r) => setTimeout(r, 50));
    }
    const versions = await versionsOf(document);
    expect(versions.length).toBeGreaterThanOrEqual(2);
    expect(versions.every((v) => v.kind === 'auto' && v.authors.length === 1 && v.authors[0] === alice.id)).toBe(true);
  });

  it('keeps the version of a session still open when the service stops', async () => {
    const s = await server({ versionIdleMs: 60_000, versionEveryMs: 60_000 });
    const document = await newDocument([[alice, 'write']]);
    const a = client(s.url, document, await signToken(alice.id));
    await synced(a);
    addParagraph(a.doc, 'Dernier mot');
    await waitFor(async () => documentText((await loadDocument(sql, document)).update) === 'Dernier mot', 5000, 'stored');
    await s.close();
    servers.splice(servers.indexOf(s), 1);
    const versions = await versionsOf(document);
    expect(versions.map((v) => [v.kind, documentText(new Uint8Array(v.state))])).toEqual([['auto', 'Dernier mot']]);
  });
});

describe('named versions, differences and restores (the site, as each person)', () => {
  it('lets writers name and restore, readers see and compare, others nothing; a restore converges on two instances', async () => {
    const other = await server();
    const document = await newDocument([[alice, 'write'], [bob, 'write'], [carol, 'read']]);
    // Alice on the service the stack started, Bob on another instance of the same database.
    const a = client(inject('stack').collabUrl, document, await signToken(alice.id));
    const b = client(other.url, document, await signToken(bob.id));
    await Promise.all([synced(a), synced(b)]);
    addParagraph(a.doc, 'Premier jet.');
    await waitFor(() => textOf(b) === 'Premier jet.', 5000, 'b sees a');
    await waitFor(async () => documentText((await loadDocument(sql, document)).update) === 'Premier jet.', 5000, 'stored');

    let res = await post(alice, { action: 'name', document, name: '  Premier jet  ' });
    expect(res.status).toBe(200);
    const first = ((await res.json()) as { id: string }).id;

    addParagraph(a.doc, 'Deuxième paragraphe.');
    await waitFor(() => textOf(b) === 'Premier jet.\nDeuxième paragraphe.', 5000, 'b sees the second paragraph');
    typeAtEnd(b.doc, ' Ajout de Bruno.');
    await waitFor(() => textOf(a) === 'Premier jet.\nDeuxième paragraphe. Ajout de Bruno.', 5000, 'a sees b');
    await waitFor(async () => documentText((await loadDocument(sql, document)).update) === textOf(a), 5000, 'stored');
    res = await post(alice, { action: 'name', document, name: 'Relu' });
    expect(res.status).toBe(200);
    const second = ((await res.json()) as { id: string }).id;

    // Carol reads: the list (newest first, times, who named), a version, the differences.
    res = await api(carol, `document=${encodeURIComponent(document)}&locale=fr`);
    expect(res.status).toBe(200);
    const list = (await res.json()) as { access: string; versions: { id: string; kind: string; name: string; createdBy: string; time: string }[] };
    expect(list.access).toBe('read');
    expect(list.versions.map((v) => [v.id, v.kind, v.name, v.createdBy])).toEqual([
      [second, 'named', 'Relu', 'Alice Histoire'],
      [first, 'named', 'Premier jet', 'Alice Histoire'],
    ]);
    expect(list.versions[0]!.time).toMatch(/\d{2}:\d{2}/);
    res = await api(carol, `document=${encodeURIComponent(document)}&version=${first}`);
    expect(await res.json()).toEqual({ html: '<p>Premier jet.</p>' });
    res = await api(carol, `document=${encodeURIComponent(document)}&from=${first}&to=${second}`);
    const { parts } = (await res.json()) as { parts: { op: string; text: string }[] };
    expect(parts.filter((p) => p.op === 'insert').map((p) => p.text).join('')).toContain('Deuxième paragraphe. Ajout de Bruno.');
    expect(parts.filter((p) => p.op === 'delete')).toEqual([]);
    expect(parts.filter((p) => p.op !== 'insert').map((p) => p.text).join('')).toBe('Premier jet.');
    res = await api(carol, `document=${encodeURIComponent(document)}&from=${second}&to=${first}`);
    const back = ((await res.json()) as { parts: { op: string; text: string }[] }).parts;
    expect(back.filter((p) => p.op === 'delete').map((p) => p.text).join('')).toContain('Ajout de Bruno.');

    // Carol may not name nor restore (the server refuses); nothing changes.
    const before = (await loadDocument(sql, document)).update;
    res = await post(carol, { action: 'restore', document, version: first });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: 'forbidden' });
    res = await post(carol, { action: 'name', document, name: 'Lu' });
    expect(res.status).toBe(403);
    // Dave has no access at all: the document is not there for him.
    expect((await api(dave, `document=${encodeURIComponent(document)}`)).status).toBe(404);
    expect((await post(dave, { action: 'restore', document, version: first })).status).toBe(404);
    // Bad input: an API error with a code, nothing stored.
    res = await post(alice, { action: 'name', document, name: '   ' });
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({ error: 'name_invalid' });
    expect((await post(alice, { action: 'restore', document, version: 'abc' })).status).toBe(400);
    expect((await alice.browser.request('/api/collab/history', { method: 'POST', headers: { 'content-type': 'text/plain', origin: alice.browser.base }, body: JSON.stringify({ action: 'name', document, name: 'x' }) })).status).toBe(415);
    expect((await post(alice, { action: 'restore', document: probeDocument(randomUUID()), version: first })).status).toBe(404);
    await new Promise((r) => setTimeout(r, 300));
    expect(textOf(a)).toBe('Premier jet.\nDeuxième paragraphe. Ajout de Bruno.');
    expect((await versionsOf(document)).map((v) => v.kind)).toEqual(['named', 'named']);
    // Naming is limited to ten a minute per person and document (each is a whole copy).
    const busy = await newDocument([[bob, 'write']]);
    for (let k = 0; k < 10; k++) expect((await post(bob, { action: 'name', document: busy, name: `v${k}` })).status).toBe(200);
    res = await post(bob, { action: 'name', document: busy, name: 'encore' });
    expect(res.status).toBe(429);
    expect(await res.json()).toEqual({ error: 'too_many' });
    expect(Buffer.compare(Buffer.from((await loadDocument(sql, document)).update!), Buffer.from(before!))).toBe(0);

    // Alice restores the first version: both open clients, on two instances, converge to it.
    res = await post(alice, { action: 'restore', document, version: first });
    expect(res.status).toBe(200);
    await waitFor(() => textOf(a) === 'Premier jet.' && textOf(b) === 'Premier jet.', 5000, 'both clients restored');
    const after = (await loadDocument(sql, document)).update;
    expect(documentText(after)).toBe('Premier jet.');
    // A new change on top, not a rewrite: everything stored before is still in the document's history.
    expect(holdsAll(after, [before!])).toBe(true);
    const versions = await versionsOf(document);
    expect(versions.at(-1)).toMatchObject({ kind: 'restore', restored_from: first, created_by: alice.id, authors: [alice.id] });
    // And they keep writing together from there.
    typeAtEnd(b.doc, ' Encore.');
    await waitFor(() => textOf(a) === 'Premier jet. Encore.', 5000, 'editing after the restore');
  });
});
