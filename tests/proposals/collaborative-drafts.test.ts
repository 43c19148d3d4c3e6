import type postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import * as Y from 'yjs';
import { asUser, closeDb, type Tx } from '../../src/lib/db/index.ts';
import { draftDocument } from '../../src/features/proposals/drafts/inputs.ts';
import { writePublishedDraft } from '../../src/features/proposals/drafts/publish-draft-write.server.ts';
import { connectClient, signToken, staysOpen, synced, waitFor, type Client } from '../collab/helpers.ts';
import { userClaims } from '../db/fixtures.ts';
import { connectTestDb } from '../helpers/db.ts';
import { createProposal, createProposalsComponent, createUsers, grantRole, updateSettings, type ProposalsFixture } from './fixtures.ts';

/**
 * Collaborative drafts (Decidim's collaborative_drafts_enabled): their rules in the database, as
 * each person (RLS and triggers), the publishing writes as the app runs them, and the co-edited
 * body through the real co-editing service and y-websocket client. (The use cases' form errors are
 * checked over HTTP by the page tests.)
 */

let sql: postgres.Sql;
const clients: Client[] = [];
beforeAll(() => {
  const stack = inject('stack');
  Object.assign(process.env, { DATABASE_URL: stack.databaseUrl, SUPABASE_URL: stack.supabaseUrl, SUPABASE_JWT_SECRET: stack.jwtSecret });
  sql = connectTestDb();
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await sql.end();
  await closeDb();
});

type Outcome = { ok: true } | { ok: false; code: string; constraint: string | undefined };
async function as(user: string, fn: (tx: Tx) => Promise<unknown>): Promise<Outcome> {
  try {
    await asUser(userClaims(user), fn, sql);
    return { ok: true };
  } catch (err) {
    const e = err as { code?: string; constraint_name?: string };
    if (!e.code) throw err;
    return { ok: false, code: e.code, constraint: e.constraint_name };
  }
}

async function place(settings: Record<string, unknown> = {}): Promise<ProposalsFixture> {
  return createProposalsComponent(sql, { settings: { collaborative_drafts_enabled: true, ...settings } });
}

async function startDraft(f: ProposalsFixture, userId: string, title = 'Un brouillon à plusieurs'): Promise<string> {
  const [row] = await asUser(userClaims(userId), (tx) => tx<{ id: string }[]>`
    insert into public.proposal_collaborative_drafts (component_id, title) values (${f.componentId}, ${title}) returning id`, sql);
  return row!.id;
}

const request = (draft: string, user: string) => as(user, (tx) => tx`insert into public.proposal_draft_requests (draft_id) values (${draft})`);
const accept = (draft: string, requester: string, by: string) =>
  as(by, (tx) => tx`insert into public.proposal_draft_collaborators (draft_id, user_id) values (${draft}, ${requester})`);
const reject = (draft: string, requester: string, by: string) =>
  as(by, async (tx) => {
    const gone = await tx`delete from public.proposal_draft_requests where draft_id = ${draft} and user_id = ${requester} returning 1`;
    if (gone.length === 0) throw Object.assign(new Error('nothing rejected'), { code: 'none' });
  });
const leave = (draft: string, user: string) => as(user, (tx) => tx`delete from public.proposal_draft_collaborators where draft_id = ${draft} and user_id = ${user}`);
const withdraw = (draft: string, user: string) =>
  as(user, async (tx) => {
    const rows = await tx`update public.proposal_collaborative_drafts set withdrawn_at = now() where id = ${draft} returning 1`;
    if (rows.length === 0) throw Object.assign(new Error('not updated'), { code: 'none' });
  });
async function publish(draft: string, user: string, title: string): Promise<{ ok: true; proposalId: string } | { ok: false; code: string; constraint: string | undefined }> {
  let proposalId = '';
  const r = await as(user, async (tx) => {
    const [d] = await tx<{ component_id: string }[]>`select component_id from public.proposal_collaborative_drafts where id = ${draft}`;
    proposalId = await writePublishedDraft(tx, draft, d!.component_id, title);
  });
  return r.ok ? { ok: true, proposalId } : r;
}

async function join(draft: string, requester: string, collaborator: string) {
  expect(await request(draft, requester)).toEqual({ ok: true });
  expect(await accept(draft, requester, collaborator)).toEqual({ ok: true });
}

async function client(draft: string, userId: string): Promise<Client> {
  const c = connectClient(inject('stack').collabUrl, draftDocument(draft), await signToken(userId));
  clients.push(c);
  return c;
}

/** A paragraph typed into the document as TipTap's Collaboration extension stores it. */
function typeParagraph(c: Client, text: string) {
  const fragment = c.doc.getXmlFragment('default');
  const p = new Y.XmlElement('paragraph');
  p.insert(0, [new Y.XmlText(text)]);
  fragment.insert(fragment.length, [p]);
}

describe('collaborative drafts', () => {
  it('are started only where the component enables them, their starter the first collaborator', async () => {
    const off = await createProposalsComponent(sql);
    const [alice] = await createUsers(sql, 1, 'drafter');
    const refused = await as(alice!, (tx) => tx`insert into public.proposal_collaborative_drafts (component_id, title) values (${off.componentId}, 'Un brouillon refusé')`);
    expect(refused).toMatchObject({ ok: false, code: '42501' });
    const f = await place();
    const short = await as(alice!, (tx) => tx`insert into public.proposal_collaborative_drafts (component_id, title) values (${f.componentId}, 'abc')`);
    expect(short).toMatchObject({ ok: false, constraint: 'proposal_collaborative_drafts_title_length' });
    const draft = await startDraft(f, alice!);
    const rows = await sql`select user_id from public.proposal_draft_collaborators where draft_id = ${draft}`;
    expect(rows.map((r) => r.user_id)).toEqual([alice]);
    const follows = await sql`select 1 from public.follows where resource_type = 'collaborative_draft' and resource_id = ${draft} and user_id = ${alice!}`;
    expect(follows).toHaveLength(1);
    // Everybody who sees the component lists it, signed in or not.
    const seen = await asUser(null, (tx) => tx`select title, state from public.proposal_collaborative_drafts where id = ${draft}`, sql);
    expect(seen).toEqual([{ title: 'Un brouillon à plusieurs', state: 'open' }]);
  });

  it('take requests; any collaborator accepts or rejects, nobody else', async () => {
    const f = await place();
    const [alice, bob, carol, dan] = await createUsers(sql, 4, 'req');
    const draft = await startDraft(f, alice!);
    await join(draft, bob!, alice!);
    expect(await request(draft, carol!)).toEqual({ ok: true });
    expect(await request(draft, carol!)).toMatchObject({ ok: false, constraint: 'proposal_draft_requests_pkey' });
    expect(await request(draft, bob!)).toMatchObject({ ok: false, constraint: 'proposal_draft_requests_collaborator' });
    const notified = await sql`select user_id from public.notifications where kind = 'proposals.draft_access_requested' and resource_id = ${draft} and data ->> 'requester' = ${carol!}`;
    expect(notified.map((r) => r.user_id).sort()).toEqual([alice, bob].sort());
    // Dan is no collaborator: he can neither accept Carol nor add himself, nor see the requests.
    expect(await accept(draft, carol!, dan!)).toMatchObject({ ok: false, code: '42501' });
    expect(await accept(draft, dan!, dan!)).toMatchObject({ ok: false, code: '42501' });
    expect(await asUser(userClaims(dan!), (tx) => tx`select user_id from public.proposal_draft_requests where draft_id = ${draft}`, sql)).toEqual([]);
    // Accepting without a request is refused too.
    expect(await accept(draft, dan!, bob!)).toMatchObject({ ok: false, constraint: 'proposal_draft_collaborators_request' });
    expect(await reject(draft, carol!, dan!)).toMatchObject({ ok: false });
    expect(await reject(draft, carol!, bob!)).toEqual({ ok: true });
    const collaborators = await sql`select user_id from public.proposal_draft_collaborators where draft_id = ${draft}`;
    expect(collaborators.map((r) => r.user_id).sort()).toEqual([alice, bob].sort());
    expect(await sql`select 1 from public.proposal_draft_requests where draft_id = ${draft}`).toHaveLength(0);
    // The last collaborator does not leave.
    expect(await leave(draft, bob!)).toEqual({ ok: true });
    expect(await leave(draft, alice!)).toMatchObject({ ok: false, constraint: 'proposal_draft_collaborators_last' });
  });

  it('give collaborators write access to the live body and everybody else read access, re-checked when it changes', async () => {
    const f = await place();
    const [alice, bob, reader] = await createUsers(sql, 3, 'live');
    const draft = await startDraft(f, alice!);
    await join(draft, bob!, alice!);
    const a = await client(draft, alice!);
    const b = await client(draft, bob!);
    const r = await client(draft, reader!);
    await Promise.all([synced(a), synced(b), synced(r)]);
    typeParagraph(a, 'De la part d’Alice.');
    typeParagraph(r, 'Le lecteur ne peut pas écrire.');
    await waitFor(() => b.doc.getXmlFragment('default').length === 1 && r.doc.getXmlFragment('default').length === 2, 5000, 'alice reaches bob');
    await new Promise((res) => setTimeout(res, 300));
    expect(a.doc.getXmlFragment('default').length).toBe(1);

    // Bob leaves: he still reads, his edits are dropped from then on (signalled: no waiting for the periodic check).
    expect(await leave(draft, bob!)).toEqual({ ok: true });
    await new Promise((res) => setTimeout(res, 1500));
    typeParagraph(b, 'Bob est parti.');
    typeParagraph(a, 'Alice continue.');
    await waitFor(() => b.doc.getXmlFragment('default').toString().includes('Alice continue'), 5000, 'bob still reads');
    await new Promise((res) => setTimeout(res, 300));
    expect(a.doc.getXmlFragment('default').toString()).not.toContain('Bob est parti');

    // A hidden draft (three reports) is no longer for everybody's eyes: the reader is disconnected at once.
    await staysOpen(r, 100);
    await sql`update public.proposal_collaborative_drafts set hidden_at = now() where id = ${draft}`;
    await expect(r.closed).resolves.toEqual({ code: 4403, reason: 'access-revoked' });
    await staysOpen(a, 300);
  });

  it('are published as a proposal with every collaborator as an author, the co-edited body sanitised, a first version kept', async () => {
    const f = await place({ proposal_limit: 2 });
    const [alice, bob, carol] = await createUsers(sql, 3, 'pub');
    const draft = await startDraft(f, alice!);
    await join(draft, bob!, alice!);
    const a = await client(draft, alice!);
    const b = await client(draft, bob!);
    await Promise.all([synced(a), synced(b)]);
    typeParagraph(a, 'Planter des arbres fruitiers le long de la rue.');
    await waitFor(() => b.doc.getXmlFragment('default').length === 1, 5000, 'bob sees alice');
    typeParagraph(b, '<script>alert(1)</script> Et un banc.');
    await waitFor(() => a.doc.getXmlFragment('default').length === 2, 5000, 'both typed');
    // Carol is no collaborator: she cannot publish it (her proposal insert is undone with it).
    expect(await publish(draft, carol!, 'Le brouillon des autres')).toMatchObject({ ok: false, code: '42501' });
    const published = await publish(draft, bob!, 'Des arbres fruitiers rue des Tanneurs');
    if (!published.ok) throw new Error(JSON.stringify(published));
    const { proposalId } = published;
    const [p] = await sql<{ title: string; body: string; published_at: Date | null; author_id: string }[]>`
      select title, body, published_at, author_id from public.proposals where id = ${proposalId}`;
    expect(p!.title).toBe('Des arbres fruitiers rue des Tanneurs');
    expect(p!.body).toBe('<p>Planter des arbres fruitiers le long de la rue.</p><p>&lt;script&gt;alert(1)&lt;/script&gt; Et un banc.</p>');
    expect(p!.published_at).not.toBeNull();
    const authors = await sql`select user_id from public.proposal_coauthors where proposal_id = ${proposalId} and status = 'accepted'`;
    expect(authors.map((r) => r.user_id).sort()).toEqual([alice, bob].sort());
    const versions = await sql`select version from public.versions where resource_type = 'proposal' and resource_id = ${proposalId}`;
    expect(versions.map((v) => v.version)).toEqual([1]);
    const [d] = await sql<{ state: string; published_proposal_id: string }[]>`select state, published_proposal_id from public.proposal_collaborative_drafts where id = ${draft}`;
    expect(d).toEqual({ state: 'published', published_proposal_id: proposalId });
    expect(await sql`select 1 from public.proposals where component_id = ${f.componentId} and author_id = ${carol!}`).toHaveLength(0);
    // Published: the body is read-only for everybody now (once the service has heard of it: within seconds).
    await new Promise((res) => setTimeout(res, 1500));
    typeParagraph(a, 'Trop tard.');
    await new Promise((res) => setTimeout(res, 400));
    expect(b.doc.getXmlFragment('default').toString()).not.toContain('Trop tard');
    // And a published draft is not published twice.
    expect(await publish(draft, alice!, 'Encore une fois ce brouillon')).toMatchObject({ ok: false, constraint: 'proposal_collaborative_drafts_open' });
  });

  it('are not published past a collaborator’s proposal limit: nothing changes', async () => {
    const f = await place({ proposal_limit: 1 });
    const [alice, bob] = await createUsers(sql, 2, 'lim');
    const draft = await startDraft(f, alice!);
    await join(draft, bob!, alice!);
    expect(await as(bob!, (tx) => tx`update public.proposal_collaborative_drafts set body = '<p>Un texte assez long pour une proposition.</p>' where id = ${draft}`)).toEqual({ ok: true });
    await createProposal(sql, f, bob!);
    expect(await publish(draft, alice!, 'Un brouillon au-delà de la limite')).toMatchObject({ ok: false, constraint: 'proposals_limit' });
    const [d] = await sql`select state from public.proposal_collaborative_drafts where id = ${draft}`;
    expect(d!.state).toBe('open');
    expect(await sql`select 1 from public.proposals where component_id = ${f.componentId} and author_id = ${alice!}`).toHaveLength(0);
  });

  it('are withdrawn by a collaborator only, and then take no requests nor edits', async () => {
    const f = await place();
    const [alice, bob] = await createUsers(sql, 2, 'wd');
    const draft = await startDraft(f, alice!);
    expect(await withdraw(draft, bob!)).toMatchObject({ ok: false });
    expect(await withdraw(draft, alice!)).toEqual({ ok: true });
    expect(await request(draft, bob!)).toMatchObject({ ok: false, constraint: 'proposal_draft_requests_open' });
    expect(await as(alice!, (tx) => tx`update public.proposal_collaborative_drafts set title = 'Un autre titre pour rien' where id = ${draft}`)).toMatchObject({
      ok: false,
      constraint: 'proposal_collaborative_drafts_open',
    });
    expect(await as(alice!, (tx) => tx`update public.proposal_collaborative_drafts set withdrawn_at = null where id = ${draft}`)).toMatchObject({ ok: false });
  });

  it('take follows, comments and reports through the shared resource layer; a moderator hides but never edits', async () => {
    const f = await place();
    const [alice, bob, mod] = await createUsers(sql, 3, 'shared');
    await grantRole(sql, f, mod!, 'moderator');
    const draft = await startDraft(f, alice!);
    expect(await as(bob!, async (tx) => {
      await tx`insert into public.follows (resource_type, resource_id) values ('collaborative_draft', ${draft})`;
      await tx`insert into public.comments (resource_type, resource_id, body) values ('collaborative_draft', ${draft}, 'Bonne idée !')`;
      await tx`insert into public.reports (resource_type, resource_id, reason) values ('collaborative_draft', ${draft}, 'spam')`;
    })).toEqual({ ok: true });
    const [d] = await sql<{ follows_count: number; comments_count: number; reports_count: number }[]>`
      select follows_count, comments_count, reports_count from public.proposal_collaborative_drafts where id = ${draft}`;
    expect(d).toEqual({ follows_count: 2, comments_count: 1, reports_count: 1 });
    expect(await as(mod!, (tx) => tx`update public.proposal_collaborative_drafts set title = 'Réécrit par la modération' where id = ${draft}`)).toMatchObject({ ok: false, code: '42501' });
    // Bob's update reaches no row (the policy's `using`): nothing hidden.
    await as(bob!, (tx) => tx`update public.proposal_collaborative_drafts set hidden_at = now() where id = ${draft}`);
    expect((await sql`select hidden_at from public.proposal_collaborative_drafts where id = ${draft}`)[0]!.hidden_at).toBeNull();
    expect(await as(mod!, (tx) => tx`update public.proposal_collaborative_drafts set hidden_at = now() where id = ${draft}`)).toEqual({ ok: true });
    expect(await asUser(userClaims(bob!), (tx) => tx`select 1 from public.proposal_collaborative_drafts where id = ${draft}`, sql)).toHaveLength(0);
    expect(await asUser(userClaims(alice!), (tx) => tx`select 1 from public.proposal_collaborative_drafts where id = ${draft}`, sql)).toHaveLength(1);
  });

  it('stop being started when the setting is turned off again', async () => {
    const f = await place();
    await updateSettings(sql, f, { collaborative_drafts_enabled: false });
    const [alice] = await createUsers(sql, 1, 'off');
    expect(await as(alice!, (tx) => tx`insert into public.proposal_collaborative_drafts (component_id, title) values (${f.componentId}, 'Plus de brouillons ici')`)).toMatchObject({
      ok: false,
      code: '42501',
    });
  });
});
