import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, createConfirmedUser, signedIn } from '../web/helpers.ts';
import { closeTestDb, testDb } from '../web/spaces-helpers.ts';
import { debatesPlace, insertDebate, type Place } from './place.ts';

/*
 * Names in a debate's presence: the site signs a ticket for a signed-in person who lets their name
 * show, bound to the debate and to their page's presence key; readers have the site check
 * tickets. Visitors and people who opted out get none; a ticket is good for nothing else (another
 * key, another debate, altered), and the debate must be one the asker sees.
 */

let place: Place;
let debateId: string;
let named: Browser;
let optedOut: Browser;

beforeAll(async () => {
  place = await debatesPlace();
  const [n, o] = await Promise.all([createConfirmedUser({ name: 'Nina Nommée' }), createConfirmedUser({ name: 'Oscar Discret' })]);
  [named, optedOut] = await Promise.all([signedIn(n.email, n.password), signedIn(o.email, o.password)]);
  await testDb()`insert into public.debate_presence_preferences (user_id, show_name) values (${o.id}, false)`;
  debateId = await insertDebate(place, n.id);
}, 60_000);
afterAll(() => closeTestDb());

const ticketFor = async (b: Browser, id: string, key: string) => {
  const res = await b.request(`/api/debates/${id}/presence?key=${key}`, { headers: { accept: 'application/json' } });
  return { status: res.status, body: (await res.json()) as { ticket: string | null } };
};
const check = async (b: Browser, id: string, entries: { key: string; ticket: string }[]) => {
  const res = await b.request(`/api/debates/${id}/presence`, { method: 'POST', body: JSON.stringify({ entries }), headers: { 'content-type': 'application/json', origin: b.base } });
  return { status: res.status, names: ((await res.json()) as { names?: Record<string, string> }).names };
};

describe('presence tickets', () => {
  it('a signed-in person who lets their name show gets a ticket that names them under their key only', async () => {
    const key = randomUUID();
    const { status, body } = await ticketFor(named, debateId, key);
    expect(status).toBe(200);
    expect(body.ticket).toEqual(expect.any(String));
    const reader = new Browser();
    expect((await check(reader, debateId, [{ key, ticket: body.ticket! }])).names).toEqual({ [key]: 'Nina Nommée' });
    // Copied under another key, for another debate, or altered: no name.
    const other = await insertDebate(place, null, { official: true });
    expect((await check(reader, debateId, [{ key: randomUUID(), ticket: body.ticket! }])).names).toEqual({});
    expect((await check(reader, other, [{ key, ticket: body.ticket! }])).names).toEqual({});
    const [payload, sig] = body.ticket!.split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), n: 'Le Maire' })).toString('base64url');
    expect((await check(reader, debateId, [{ key, ticket: `${forged}.${sig}` }])).names).toEqual({});
  });

  it('visitors and people who stay anonymous get no ticket', async () => {
    expect((await ticketFor(new Browser(), debateId, randomUUID())).body.ticket).toBeNull();
    expect((await ticketFor(optedOut, debateId, randomUUID())).body.ticket).toBeNull();
  });

  it('the account page lets a person stay anonymous, and come back', async () => {
    const c = await createConfirmedUser({ name: 'Paul Change' });
    const b = await signedIn(c.email, c.password);
    const account = await b.get('/fr/account');
    expect(account.text).toContain('Votre nom s’affiche quand vous écrivez un argument.');
    const saved = await b.post('/fr/account?_action=debates.setPresencePreference', { show_name: 'false' });
    expect(saved.status).toBe(200);
    expect(saved.text).toContain('Vous apparaissez anonymement quand vous écrivez un argument.');
    expect((await ticketFor(b, debateId, randomUUID())).body.ticket).toBeNull();
    await b.post('/fr/account?_action=debates.setPresencePreference', { show_name: 'true' });
    expect((await ticketFor(b, debateId, randomUUID())).body.ticket).toEqual(expect.any(String));
    expect((await b.post('/fr/account?_action=debates.setPresencePreference', { show_name: 'maybe' })).status).toBe(400);
  });

  it('a debate one cannot see, or a malformed request, is refused', async () => {
    const hidden = await insertDebate(place, null, { official: true });
    await testDb()`update public.debates set hidden_at = now() where id = ${hidden}`;
    expect((await ticketFor(named, hidden, randomUUID())).status).toBe(404);
    expect((await ticketFor(named, debateId, 'not-a-key')).status).toBe(400);
    expect((await check(new Browser(), debateId, Array.from({ length: 51 }, () => ({ key: randomUUID(), ticket: 'x' })))).status).toBe(400);
  });
});
