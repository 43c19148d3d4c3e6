import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, createConfirmedUser, decodeEntities, signedIn } from '../web/helpers.ts';
import { claire, closeTestDb, postOk, testDb } from '../web/spaces-helpers.ts';
import { debatesPlace, insertDebate, type Place } from './place.ts';

/*
 * The debates' admin through the site, without JavaScript: an official debate opened timed in the
 * organization's time zone (errors next to the fields, nothing saved when refused), edited, closed
 * with conclusions, reopened only with the confirmation, hidden from the moderation queue; the
 * organization's updates on a participant's debate; exports (CSV, JSON, arguments) for the space's
 * admins only; open data as a visitor sees it.
 */

let place: Place;
let admin: Browser;
let citizen: Browser;
let citizenId: string;

beforeAll(async () => {
  place = await debatesPlace();
  const c = await createConfirmedUser({ name: 'Cécile Citoyenne' });
  citizenId = c.id;
  [admin, citizen] = await Promise.all([claire(), signedIn(c.email, c.password)]);
}, 60_000);
afterAll(() => closeTestDb());

const base = () => `/fr/admin/spaces/${place.spaceId}/components/${place.componentId}`;

describe('official debates', () => {
  it('a window with a start and no end is refused next to the field; nothing is saved', async () => {
    const page = await admin.post(`${base()}/debates/new?_action=debatesAdmin.createOfficialDebate`, {
      component_id: place.componentId, title: 'Une séance de questions', description: 'Posez vos questions au maire.', starts_at: '2031-01-01T10:00',
    });
    expect(page.status).toBe(400);
    expect(decodeEntities(page.html)).toContain('Donnez un début et une fin, ou aucun des deux.');
    expect(await testDb()`select 1 from public.debates where component_id = ${place.componentId} and title = 'Une séance de questions'`).toHaveLength(0);
  });

  it('opens timed in the organization’s time zone, edits, closes with conclusions, reopens with the confirmation', async () => {
    const location = await postOk(admin, `${base()}/debates/new?_action=debatesAdmin.createOfficialDebate`, {
      component_id: place.componentId,
      title: 'Une séance de questions au maire',
      description: 'Posez vos **questions** au maire pendant une heure.',
      starts_at: '2031-01-01T10:00',
      ends_at: '2031-01-01T11:00',
      'instructions.fr': '<p>Une question par message.</p><script>alert(1)</script>',
    });
    const id = /\/debates\/([0-9a-f-]{36})/.exec(location)![1]!;
    const [row] = await testDb()<{ starts_at: Date; ends_at: Date; official: boolean; author_id: string | null; instructions: Record<string, string> }[]>`
      select starts_at, ends_at, official, author_id, instructions from public.debates where id = ${id}`;
    // Paris is UTC+1 in January.
    expect(row!.starts_at.toISOString()).toBe('2031-01-01T09:00:00.000Z');
    expect(row!.ends_at.toISOString()).toBe('2031-01-01T10:00:00.000Z');
    expect([row!.official, row!.author_id]).toEqual([true, null]);
    expect(row!.instructions['fr']).toBe('<p>Une question par message.</p>');
    // The edit form shows the times back as typed.
    const edit = await admin.get(`${base()}/debates/${id}`);
    expect(edit.html).toContain('value="2031-01-01T10:00"');
    await postOk(admin, `${base()}/debates/${id}?_action=debatesAdmin.updateOfficialDebate`, {
      debate_id: id, title: 'Une séance de questions au maire, en direct', description: 'Posez vos questions.', starts_at: '', ends_at: '',
    });
    const [edited] = await testDb()<{ title: string; starts_at: Date | null }[]>`select title, starts_at from public.debates where id = ${id}`;
    expect(edited).toEqual({ title: 'Une séance de questions au maire, en direct', starts_at: null });
    await postOk(admin, `${base()}/debates/${id}?_action=debatesAdmin.closeDebate`, { debate_id: id, conclusions: 'Le maire a répondu à 12 questions.' });
    const unconfirmed = await admin.post(`${base()}/debates/${id}?_action=debatesAdmin.reopenDebate`, { debate_id: id });
    expect(unconfirmed.status).toBe(400);
    await postOk(admin, `${base()}/debates/${id}?_action=debatesAdmin.reopenDebate`, { debate_id: id, confirm: 'yes' });
    const history = await admin.get(`${base()}/debates/${id}`);
    expect(history.text).toMatch(/Clos le .* par Claire Admin/);
    expect(history.text).toMatch(/Rouvert le .* par Claire Admin/);
    // Logged as the organization's work.
    expect(await testDb()`select 1 from public.action_log where resource_type = 'debates' and resource_id = ${id}`).not.toHaveLength(0);
  });

  it('the organization’s updates on a participant’s debate; a citizen cannot reach the admin', async () => {
    const id = await insertDebate(place, citizenId);
    await postOk(admin, `${base()}/debates/${id}?_action=debatesAdmin.updateInformation`, { debate_id: id, 'information_updates.fr': '<p>La mairie étudie la question.</p>' });
    expect((await new Browser().get(place.page(id))).text).toContain('La mairie étudie la question.');
    expect((await citizen.get(`${base()}/debates/${id}`)).status).toBe(403);
    expect((await citizen.post(`${place.page(id)}?_action=debatesAdmin.updateInformation`, { debate_id: id, 'information_updates.fr': '<p>Piraté</p>' })).status).toBe(403);
  });
});

describe('moderation and exports', () => {
  it('a hidden debate is listed in the space’s moderation queue and shown again from there', async () => {
    const id = await insertDebate(place, citizenId, { title: 'Un débat signalé trois fois' });
    await testDb()`update public.debates set hidden_at = now(), reports_count = 3 where id = ${id}`;
    const queue = await admin.get(`/fr/admin/spaces/${place.spaceId}/moderation`);
    expect(queue.text).toContain('Un débat signalé trois fois');
    const location = await postOk(admin, `/fr/admin/spaces/${place.spaceId}/moderation?_action=debatesAdmin.hideDebate`, { debate_id: id, hidden: 'false' });
    expect(location).toContain(`#moderation-debate-${id}`);
    expect((await new Browser().get(place.page(id))).status).toBe(200);
  });

  it('exports for the space’s admins only; open data as a visitor sees it', async () => {
    const id = await insertDebate(place, citizenId, { title: 'Un débat exporté' });
    await postOk(citizen, `${place.page(id)}?_action=debates.addArgument`, { debate_id: id, alignment: '1', body: '=SOMME(A1) un argument' });
    const csv = await admin.request(`${base()}/debates/export?format=csv`);
    expect(csv.status).toBe(200);
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csvText = bytes.toString('utf8');
    expect(csvText.slice(1).startsWith('id,title,description')).toBe(true);
    expect(csvText).toContain('Un débat exporté');
    const args = await (await admin.request(`${base()}/debates/export?format=arguments`)).text();
    expect(args).toContain("'=SOMME(A1) un argument");
    const json = (await (await admin.request(`${base()}/debates/export?format=json`)).json()) as { debates: { id: string; arguments_for: number }[]; arguments: unknown[] };
    expect(json.debates.find((d) => d.id === id)?.arguments_for).toBe(1);
    expect((await citizen.request(`${base()}/debates/export?format=csv`)).status).toBe(403);
    expect((await new Browser().request(`${base()}/debates/export?format=csv`)).status).toBe(401);
    const open = (await (await new Browser().request('/open-data/debates.json')).json()) as { debates: { id: string; title: string }[] };
    expect(open.debates.some((d) => d.id === id)).toBe(true);
    await testDb()`update public.debates set hidden_at = now() where id = ${id}`;
    const after = (await (await new Browser().request('/open-data/debates.json')).json()) as { debates: { id: string }[] };
    expect(after.debates.some((d) => d.id === id)).toBe(false);
    expect((await new Browser().request('/open-data/debates.csv')).headers.get('content-type')).toContain('text/csv');
  });
});
