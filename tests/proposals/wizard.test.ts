import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../web/helpers.ts';
import { closeTestDb, fieldError, testDb } from '../web/spaces-helpers.ts';
import { act, alertText, person, proposalsPlace, published, setPhase, setSettings, statusText, type Person, type Place } from './page-fixtures.ts';

/*
 * The wizard through the running site, as a browser without JavaScript: create (a draft),
 * complete (taxonomy and place), publish; the component's limits come back as translated errors
 * next to the fields, a closed phase as a 403 that says so.
 */

let place: Place;
let alice: Person;

beforeAll(async () => {
  place = await proposalsPlace({ proposal_limit: 1, proposal_length: 200 });
  alice = await person('Alice Propose');
});
afterAll(async () => {
  await closeTestDb();
});

const newPath = () => `${place.list}/proposals/new`;

describe('the proposal wizard', () => {
  it('create, complete, publish: a draft seen by its author only, then public', async () => {
    const anon = await new Browser().get(newPath());
    expect(anon.status).toBe(200);
    expect(anon.text).toContain('Connectez-vous pour déposer une proposition.');

    const form = await alice.browser.get(newPath());
    expect(form.status).toBe(200);
    expect(form.text).toContain('Étape 1 sur 3 : Créer');
    expect(form.text).toContain('Au plus 200 caractères');
    expect(form.text).toContain('Vous avez publié 0 proposition sur les 1 permises ici.');
    const en = await alice.browser.get(newPath().replace('/fr/', '/en/'));
    expect(en.status).toBe(200);
    expect(en.text).toContain('Step 1 of 3: Create');
    expect(en.text).toContain('At most 200 characters');

    const created = await alice.browser.post(act(newPath(), 'createProposal'), {
      component_id: place.componentId,
      title: 'Un jardin partagé rue des Lilas',
      body: 'Transformer la friche en **jardin**.\n\nAvec des <strong>bacs</strong> et <script>alert(1)</script> un <a href="javascript:alert(2)">lien</a>.',
    });
    expect(created.status).toBe(303);
    const m = /\/proposals\/([0-9a-f-]{36})\/complete$/.exec(created.location ?? '');
    expect(m).not.toBeNull();
    const id = m![1]!;
    const [row] = await testDb()<{ body: string; published_at: Date | null }[]>`select body, published_at from public.proposals where id = ${id}`;
    expect(row!.published_at).toBeNull();
    // Markdown is formatted; raw HTML is kept as text, never as markup.
    expect(row!.body).toContain('<strong>jardin</strong>');
    expect(row!.body).toContain('&lt;strong&gt;bacs&lt;/strong&gt;');
    expect(row!.body).not.toContain('<script');
    expect(row!.body).not.toMatch(/<a[^>]*javascript:/);

    // Others do not see the draft.
    expect((await new Browser().get(place.page(id))).status).toBe(404);
    const draftPage = await alice.browser.get(place.page(id));
    expect(draftPage.status).toBe(200);
    expect(draftPage.text).toContain('Ce brouillon n’est visible que par ses auteur·es');

    const step2 = await alice.browser.get(`${place.page(id)}/complete`);
    expect(step2.status).toBe(200);
    expect(step2.text).toContain('Étape 2 sur 3 : Compléter');
    // Half a point: a field error, nothing saved.
    const bad = await alice.browser.post(act(`${place.page(id)}/complete`, 'completeProposal'), { proposal_id: id, address: 'Rue des Lilas', latitude: '48.85', longitude: '' });
    expect(bad.status).toBe(400);
    expect(fieldError(bad, 'field-longitude')).toContain('longitude');
    const completed = await alice.browser.post(act(`${place.page(id)}/complete`, 'completeProposal'), {
      proposal_id: id,
      address: 'Rue des Lilas',
      latitude: '48.8566',
      longitude: '2.3522',
    });
    expect(completed.status).toBe(303);
    expect(completed.location).toBe(`${place.page(id)}/publish`);

    const preview = await alice.browser.get(completed.location!);
    expect(preview.text).toContain('Étape 3 sur 3 : Publier');
    expect(preview.text).toContain('Rue des Lilas');
    expect(preview.html).toContain('<strong>jardin</strong>');

    const pub = await alice.browser.post(act(`${place.page(id)}/publish`, 'publishProposal'), { proposal_id: id });
    expect(pub.status).toBe(303);
    expect(pub.location).toBe(`${place.page(id)}?status=published`);
    const page = await new Browser().get(place.page(id));
    expect(page.status).toBe(200);
    expect(page.text).toContain('Un jardin partagé rue des Lilas');
    expect(page.text).toContain('Alice Propose');
    expect(page.text).toContain('Rue des Lilas');
    expect((await alice.browser.get(pub.location!)).text).toContain('Votre proposition est publiée.');
  });

  it('limits: proposals per participant, body length, title; translated errors next to the fields', async () => {
    // Alice published one already (limit 1): a second draft can be written but not published.
    const created = await alice.browser.post(act(newPath(), 'createProposal'), {
      component_id: place.componentId,
      title: 'Une deuxième proposition',
      body: 'Une deuxième idée, tout aussi bonne que la première.',
    });
    expect(created.status).toBe(303);
    const id = /\/proposals\/([0-9a-f-]{36})\//.exec(created.location ?? '')![1]!;
    const refused = await alice.browser.post(act(`${place.page(id)}/publish`, 'publishProposal'), { proposal_id: id });
    expect(refused.status).toBe(422);
    expect(alertText(refused)).toContain('Vous avez atteint le nombre maximal de propositions (1)');
    // The draft can be deleted.
    const deleted = await alice.browser.post(act(`${place.page(id)}/publish`, 'deleteDraft'), { proposal_id: id, confirm: 'yes' });
    expect(deleted.status).toBe(303);
    expect((await testDb()`select 1 from public.proposals where id = ${id}`).length).toBe(0);

    const long = await alice.browser.post(act(newPath(), 'createProposal'), { component_id: place.componentId, title: 'Un titre correct', body: 'x'.repeat(201) });
    expect(long.status).toBe(422);
    expect(fieldError(long, 'proposal-body')).toContain('dépasse la longueur');
    // What was typed comes back.
    expect(long.html).toContain('Un titre correct');

    const short = await alice.browser.post(act(newPath(), 'createProposal'), { component_id: place.componentId, title: 'abc', body: 'Un texte suffisant pour passer.' });
    expect(short.status).toBe(400);
    expect(fieldError(short, 'proposal-title')).toContain('entre 5 et 150');
  });

  it('creation closed in the phase: a translated 403', async () => {
    const closed = await proposalsPlace({}, { creation_enabled: false });
    const get = await alice.browser.get(`${closed.list}/proposals/new`);
    expect(get.status).toBe(403);
    expect(get.text).toContain('Le dépôt de propositions n’est pas ouvert pendant cette phase.');
    const post = await alice.browser.post(act(`${closed.list}/proposals/new`, 'createProposal'), {
      component_id: closed.componentId,
      title: 'Une proposition hors phase',
      body: 'Un texte suffisant pour passer la validation.',
    });
    expect(post.status).toBe(403);
    expect(post.text).toContain('Le dépôt de propositions n’est pas ouvert pendant cette phase.');
  });

  it('edit within the window, refused after it; withdraw', async () => {
    const id = await published(place, alice.id, { title: 'Titre à corriger' });
    const editPage = await alice.browser.get(`${place.page(id)}/edit`);
    expect(editPage.status).toBe(200);
    expect(editPage.text).toContain('Modifiable jusqu’au');
    const saved = await alice.browser.post(act(`${place.page(id)}/edit`, 'updateProposal'), {
      proposal_id: id,
      title: 'Titre corrigé',
      body: 'Installer des bancs le long des allées du parc, et des fontaines.',
    });
    expect(saved.status).toBe(303);
    expect(saved.location).toBe(`${place.page(id)}?status=updated`);
    const versions = await new Browser().get(`${place.page(id)}/versions`);
    expect(versions.status).toBe(200);
    const html = versions.html.replace(/ data-astro-cid-[a-z0-9]+/g, '');
    expect(html.includes('<del><span class="visually-hidden">supprimé : </span>à corriger</del>')).toBe(true);
    expect(html.includes('<ins><span class="visually-hidden">ajouté : </span>corrigé</ins>')).toBe(true);
    expect(html.includes('et des fontaines.</ins>')).toBe(true);

    // Past the window (published long ago): refused, with the reason.
    const old = await published(place, alice.id, { title: 'Ancienne proposition', publishedAt: new Date(Date.now() - 3600_000) });
    const late = await alice.browser.post(act(`${place.page(old)}/edit`, 'updateProposal'), { proposal_id: old, title: 'Trop tard', body: 'Un texte suffisant pour passer.' });
    expect(late.status).toBe(422);
    expect(alertText(late)).toContain('Le délai de modification de cette proposition est dépassé.');
    expect((await alice.browser.get(`${place.page(old)}/edit`)).text).toContain('Cette proposition ne peut plus être modifiée.');

    // Someone else cannot edit.
    const bob = await person();
    const notMine = await bob.browser.post(act(`${place.page(id)}/edit`, 'updateProposal'), { proposal_id: id, title: 'Piraté !', body: 'Un texte suffisant pour passer.' });
    expect(notMine.status).toBe(403);

    const unconfirmed = await alice.browser.post(act(place.page(old), 'withdrawProposal'), { proposal_id: old });
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.text).toContain('Cochez la case pour confirmer.');
    const withdrawn = await alice.browser.post(act(place.page(old), 'withdrawProposal'), { proposal_id: old, confirm: 'yes' });
    expect(withdrawn.status).toBe(303);
    const page = await new Browser().get(place.page(old));
    expect(page.text).toContain('Cette proposition a été retirée par ses auteur·es');
    const again = await alice.browser.post(act(place.page(old), 'withdrawProposal'), { proposal_id: old, confirm: 'yes' });
    expect(again.status).toBe(422);
  });

  it('taxonomies of the space; geocoding off refuses a place', async () => {
    const db = testDb();
    const [tax] = await db<{ id: string }[]>`insert into public.taxonomies (name) values (${db.json({ fr: 'Quartiers' })}) returning id`;
    const [child] = await db<{ id: string }[]>`insert into public.taxonomies (name, parent_id) values (${db.json({ fr: 'Centre-ville' })}, ${tax!.id}) returning id`;
    const [other] = await db<{ id: string }[]>`insert into public.taxonomies (name) values (${db.json({ fr: 'Ailleurs' })}) returning id`;
    await db`insert into public.space_taxonomies (space_id, taxonomy_id) values (${place.spaceId}, ${tax!.id})`;
    const id = await published(place, alice.id);
    const form = await alice.browser.get(`${place.page(id)}/complete`);
    expect(form.text).toContain('Centre-ville');
    expect(form.text).not.toContain('Ailleurs');
    const wrong = await alice.browser.post(act(`${place.page(id)}/complete`, 'completeProposal'), { proposal_id: id, taxonomy_id: other!.id });
    expect(wrong.status).toBe(422);
    const ok = await alice.browser.post(act(`${place.page(id)}/complete`, 'completeProposal'), { proposal_id: id, taxonomy_id: child!.id });
    expect(ok.status).toBe(303);
    expect((await new Browser().get(place.page(id))).text).toContain('Centre-ville');

    await setSettings(place, { geocoding_enabled: false });
    const refused = await alice.browser.post(act(`${place.page(id)}/complete`, 'completeProposal'), { proposal_id: id, address: 'Place de la Mairie' });
    expect(refused.status).toBe(422);
    expect(alertText(refused)).toContain('Les propositions ne sont pas géolocalisées dans cet espace.');
    await setSettings(place, { geocoding_enabled: true });
    void setPhase;
    void statusText;
  });
});
