import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import * as encoding from 'lib0/encoding';
import type postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import * as Y from 'yjs';
import { loadDocument } from '../../realtime/persistence.ts';
import { MESSAGE_REFRESH_TOKEN, startCollabServer, type CollabServer } from '../../realtime/server.ts';
import { connectTestDb } from '../helpers/db.ts';
import {
  connectClient,
  createUser,
  ensureProbeKind,
  grant,
  probeDocument,
  signToken,
  staysOpen,
  synced,
  waitFor,
  type Client,
} from './helpers.ts';

let sql: postgres.Sql;
let alice: string;
let bob: string;
let carol: string;
const clients: Client[] = [];
const servers: CollabServer[] = [];

function client(url: string, doc: string, token: string | null): Client {
  const c = connectClient(url, doc, token);
  clients.push(c);
  return c;
}

async function server(opts: Partial<Parameters<typeof startCollabServer>[0]> = {}): Promise<CollabServer> {
  const s = await startCollabServer({ sql, jwtSecret: inject('stack').jwtSecret, port: 0, ...opts });
  servers.push(s);
  return s;
}

async function newDocument(rights: [string, 'read' | 'write'][]): Promise<string> {
  const resource = randomUUID();
  for (const [user, access] of rights) await grant(sql, resource, user, access);
  return resource;
}

beforeAll(async () => {
  sql = connectTestDb();
  await ensureProbeKind(sql);
  [alice, bob, carol] = await Promise.all([createUser(sql, 'Alice Probe'), createUser(sql, 'Bob Probe'), createUser(sql, 'Carol Probe')]);
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  for (const s of servers) await s.close();
  await sql.end();
});

describe('the co-editing service (the unchanged y-websocket provider)', () => {
  it('syncs a document both ways through the service the test stack started', async () => {
    const url = inject('stack').collabUrl;
    const resource = await newDocument([[alice, 'write'], [bob, 'write']]);
    const a = client(url, probeDocument(resource), await signToken(alice));
    await synced(a);
    a.text.insert(0, 'Bonjour');
    const b = client(url, probeDocument(resource), await signToken(bob));
    await waitFor(() => b.text.toString() === 'Bonjour', 5000, 'b sees a');
    b.text.insert(7, ' à tous');
    await waitFor(() => a.text.toString() === 'Bonjour à tous', 5000, 'a sees b');
    // Durable: the stored state holds both edits.
    await waitFor(async () => {
      const { update } = await loadDocument(sql, probeDocument(resource));
      const d = new Y.Doc();
      if (update) Y.applyUpdate(d, update);
      return d.getText('t').toString() === 'Bonjour à tous';
    }, 5000, 'stored');
  });

  it('relays awareness, with the name and id of the token owner whatever the client claims', async () => {
    const s = await server();
    const resource = await newDocument([[alice, 'write'], [bob, 'read']]);
    const a = client(s.url, probeDocument(resource), await signToken(alice));
    const b = client(s.url, probeDocument(resource), await signToken(bob));
    await Promise.all([synced(a), synced(b)]);
    a.provider.awareness.setLocalStateField('user', { id: bob, name: 'Not Alice', color: '#0a7' });
    a.provider.awareness.setLocalStateField('cursor', { anchor: 1, head: 3 });
    await waitFor(() => b.provider.awareness.getStates().has(a.doc.clientID), 5000, 'awareness');
    const state = b.provider.awareness.getStates().get(a.doc.clientID) as { user: Record<string, string>; cursor: unknown };
    expect(state.user).toEqual({ id: alice, name: 'Alice Probe', color: '#0a7' });
    expect(state.cursor).toEqual({ anchor: 1, head: 3 });
    // Leaving removes the state at the others.
    a.provider.disconnect();
    await waitFor(() => !b.provider.awareness.getStates().has(a.doc.clientID), 5000, 'awareness removed');
  });

  describe('refusals, each with its code and reason', () => {
    let url: string;
    let resource: string;
    beforeAll(async () => {
      url = (await server()).url;
      resource = await newDocument([[alice, 'write']]);
    });

    const cases: [string, () => Promise<{ doc?: string; token: string | null }>, number, string][] = [
      ['no token', async () => ({ token: null }), 4401, 'token-missing'],
      ['a malformed token', async () => ({ token: 'not.a.jwt' }), 4401, 'token-invalid'],
      ['a token signed with another secret', async () => ({ token: await signToken(alice, { secret: 'another-secret-another-secret-another-secret' }) }), 4401, 'token-invalid'],
      ['an expired token', async () => ({ token: await signToken(alice, { expiresIn: Math.floor(Date.now() / 1000) - 10 }) }), 4401, 'token-expired'],
      ['the anon key', async () => ({ token: inject('stack').anonKey }), 4401, 'token-not-a-user'],
      ['the service-role key', async () => ({ token: inject('stack').serviceRoleKey }), 4401, 'token-not-a-user'],
      ['a malformed document name', async () => ({ doc: 'collabprobe/not-a-uuid/body', token: await signToken(alice) }), 4400, 'document-name-invalid'],
      ['an unregistered kind', async () => ({ doc: `collabprobe/${resource}/title`, token: await signToken(alice) }), 4404, 'document-kind-unknown'],
      ['no right on the document', async () => ({ token: await signToken(bob) }), 4403, 'forbidden'],
      ['a right on another document only', async () => ({ doc: probeDocument(randomUUID()), token: await signToken(alice) }), 4403, 'forbidden'],
    ];
    it.each(cases)('%s', async (_label, make, code, reason) => {
      const { doc, token } = await make();
      const c = client(url, doc ?? probeDocument(resource), token);
      await expect(c.closed).resolves.toEqual({ code, reason });
      expect(c.provider.synced).toBe(false);
      expect(c.text.toString()).toBe('');
    });
  });

  it('drops a read-only connection’s updates: never applied, stored or relayed', async () => {
    const s = await server();
    const resource = await newDocument([[alice, 'write'], [bob, 'read']]);
    const doc = probeDocument(resource);
    const a = client(s.url, doc, await signToken(alice));
    await synced(a);
    a.text.insert(0, 'texte');
    const b = client(s.url, doc, await signToken(bob));
    await waitFor(() => b.text.toString() === 'texte', 5000, 'reader sees');
    b.text.insert(0, 'PIRATE ');
    a.text.insert(5, ' officiel');
    await waitFor(() => b.text.toString().includes('officiel'), 5000, 'reader still receives');
    await new Promise((r) => setTimeout(r, 300));
    expect(a.text.toString()).toBe('texte officiel');
    const n = (await sql<{ n: number }[]>`select count(*)::int as n from collab.updates where document = ${doc}`)[0]!.n;
    const { update } = await loadDocument(sql, doc);
    const stored = new Y.Doc();
    Y.applyUpdate(stored, update!);
    expect(stored.getText('t').toString()).toBe('texte officiel');
    expect(n).toBeGreaterThan(0);
    // A third client loading now gets no trace of it either.
    const c = client(s.url, doc, await signToken(alice));
    await waitFor(() => c.text.toString() === 'texte officiel', 5000, 'fresh load');
  });

  it('keeps the document across a restart of the service (snapshot + tail from Postgres)', async () => {
    const resource = await newDocument([[alice, 'write']]);
    const doc = probeDocument(resource);
    const first = await server({ compactEvery: 10 });
    const a = client(first.url, doc, await signToken(alice));
    await synced(a);
    for (let k = 0; k < 25; k++) a.text.insert(a.text.length, `${k % 10}`);
    await waitFor(async () => (await sql`select 1 from collab.snapshots where document = ${doc}`).length === 1, 5000, 'a compaction');
    await new Promise((r) => setTimeout(r, 200));
    a.destroy();
    await first.close();
    const second = await server();
    const b = client(second.url, doc, await signToken(alice));
    await synced(b);
    expect(b.text.toString()).toBe('0123456789012345678901234');
    const n = (await sql<{ n: number }[]>`select count(*)::int as n from collab.updates where document = ${doc}`)[0]!.n;
    expect(n).toBeLessThan(25);
  });

  it('converges two instances on one database (LISTEN/NOTIFY), awareness included', async () => {
    const [s1, s2] = await Promise.all([server(), server()]);
    const resource = await newDocument([[alice, 'write'], [bob, 'write']]);
    const doc = probeDocument(resource);
    const a = client(s1.url, doc, await signToken(alice));
    const b = client(s2.url, doc, await signToken(bob));
    await Promise.all([synced(a), synced(b)]);
    for (let k = 0; k < 30; k++) {
      a.text.insert(0, 'a');
      b.text.insert(b.text.length, 'b');
      if (k % 10 === 0) await new Promise((r) => setTimeout(r, 5));
    }
    // One big update too (travels by id, not inline in the notice).
    a.text.insert(0, 'x'.repeat(20_000));
    await waitFor(() => a.text.length === 20_060 && a.text.toString() === b.text.toString(), 10_000, 'convergence');
    b.provider.awareness.setLocalStateField('user', { color: '#123' });
    await waitFor(() => a.provider.awareness.getStates().has(b.doc.clientID), 5000, 'awareness across instances');
  });

  it('disconnects a collaborator whose right is removed, at once when the feature signals it', async () => {
    const s = await server({ recheckMs: 60_000 });
    const resource = await newDocument([[alice, 'write'], [bob, 'write']]);
    const b = client(s.url, probeDocument(resource), await signToken(bob));
    await synced(b);
    const started = Date.now();
    await sql.begin(async (tx) => {
      await tx`delete from collabprobe.rights where resource = ${resource} and user_id = ${bob}`;
      await tx`select private.collab_rights_changed(${`collabprobe/${resource}/`})`;
    });
    await expect(b.closed).resolves.toEqual({ code: 4403, reason: 'access-revoked' });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('finds removed and downgraded rights at its periodic check too', async () => {
    const s = await server({ recheckMs: 300 });
    const resource = await newDocument([[alice, 'write'], [bob, 'write'], [carol, 'write']]);
    const doc = probeDocument(resource);
    const a = client(s.url, doc, await signToken(alice));
    const b = client(s.url, doc, await signToken(bob));
    const c = client(s.url, doc, await signToken(carol));
    await Promise.all([synced(a), synced(b), synced(c)]);
    await grant(sql, resource, bob, null);
    await grant(sql, resource, carol, 'read');
    await expect(b.closed).resolves.toEqual({ code: 4403, reason: 'access-revoked' });
    await new Promise((r) => setTimeout(r, 400));
    c.text.insert(0, 'no longer allowed');
    a.text.insert(0, 'ok');
    await waitFor(() => c.text.toString().includes('ok'), 5000, 'carol still reads');
    await new Promise((r) => setTimeout(r, 200));
    expect(a.text.toString()).toBe('ok');
  });

  it('tells a connection over the socket when its rights change, and a reader when it connects', async () => {
    // No periodic check during the test: only the feature's signal can make the service find the change.
    const s = await server({ recheckMs: 60_000 });
    const resource = await newDocument([[alice, 'write'], [bob, 'write'], [carol, 'read']]);
    const doc = probeDocument(resource);
    const b = client(s.url, doc, await signToken(bob));
    const c = client(s.url, doc, await signToken(carol));
    await Promise.all([synced(b), synced(c)]);
    await waitFor(() => c.access.length > 0, 2000, 'the reader told');
    expect(c.access).toEqual(['read']);
    expect(b.access).toEqual([]);
    const signal = async (access: 'read' | 'write') => {
      await sql.begin(async (tx) => {
        await tx`update collabprobe.rights set access = ${access} where resource = ${resource} and user_id = ${bob}`;
        await tx`select private.collab_rights_changed(${`collabprobe/${resource}/`})`;
      });
    };
    await signal('read');
    await waitFor(() => b.access.length === 1, 2000, 'the downgrade told');
    expect(b.access).toEqual(['read']);
    await signal('write');
    await waitFor(() => b.access.length === 2, 2000, 'the upgrade told');
    expect(b.access).toEqual(['read', 'write']);
    // Unchanged rights are not repeated.
    await signal('write');
    await new Promise((r) => setTimeout(r, 300));
    expect(b.access).toEqual(['read', 'write']);
    expect(c.access).toEqual(['read']);
  });

  describe('token lifetime', () => {
    const refresh = (c: Client, token: string) =>
      c.provider.ws!.send(encoding.encode((e) => {
        encoding.writeVarUint(e, MESSAGE_REFRESH_TOKEN);
        encoding.writeVarString(e, token);
      }));

    it('closes the connection when the token expires, unless a refreshed one came', async () => {
      const s = await server();
      const resource = await newDocument([[alice, 'write'], [bob, 'write']]);
      const a = client(s.url, probeDocument(resource), await signToken(alice, { expiresIn: Math.floor(Date.now() / 1000) + 2 }));
      const b = client(s.url, probeDocument(resource), await signToken(bob, { expiresIn: Math.floor(Date.now() / 1000) + 2 }));
      await Promise.all([synced(a), synced(b)]);
      refresh(b, await signToken(bob, { expiresIn: '1h' }));
      await expect(a.closed).resolves.toEqual({ code: 4401, reason: 'token-expired' });
      await staysOpen(b, 1000);
    });

    it('refuses a refreshed token of somebody else, or a bad one, and re-checks rights with a good one', async () => {
      const s = await server({ recheckMs: 60_000 });
      const resource = await newDocument([[alice, 'write'], [bob, 'write']]);
      const a = client(s.url, probeDocument(resource), await signToken(alice));
      const b = client(s.url, probeDocument(resource), await signToken(bob));
      const c = client(s.url, probeDocument(resource), await signToken(bob));
      await Promise.all([synced(a), synced(b), synced(c)]);
      refresh(a, await signToken(bob));
      await expect(a.closed).resolves.toEqual({ code: 4401, reason: 'token-other-user' });
      refresh(b, 'garbage');
      await expect(b.closed).resolves.toEqual({ code: 4401, reason: 'token-invalid' });
      await grant(sql, resource, bob, null);
      refresh(c, await signToken(bob));
      await expect(c.closed).resolves.toEqual({ code: 4403, reason: 'access-revoked' });
    });
  });

  describe('asymmetric keys (the project JWKS)', () => {
    let jwksServer: Server;
    let signer: CryptoKey;
    let stranger: CryptoKey;
    let s: CollabServer;
    beforeAll(async () => {
      const pair = await generateKeyPair('ES256', { extractable: true });
      signer = pair.privateKey;
      stranger = (await generateKeyPair('ES256')).privateKey;
      const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
      jwksServer = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })));
      await new Promise<void>((r) => jwksServer.listen(0, '127.0.0.1', () => r()));
      s = await server({ jwksUrl: `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/auth/v1/.well-known/jwks.json` });
    });
    afterAll(() => new Promise<void>((r) => jwksServer.close(() => r())));

    const es256 = (sub: string, key: CryptoKey) =>
      new SignJWT({ role: 'authenticated', aud: 'authenticated' }).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).setSubject(sub).setExpirationTime('1h').sign(key);

    it('accepts a token signed with the project key, refuses one signed with another', async () => {
      const resource = await newDocument([[alice, 'write']]);
      const ok = client(s.url, probeDocument(resource), await es256(alice, signer));
      await synced(ok);
      const bad = client(s.url, probeDocument(resource), await es256(alice, stranger));
      await expect(bad.closed).resolves.toEqual({ code: 4401, reason: 'token-invalid' });
    });
  });
});
