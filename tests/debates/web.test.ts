import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, createConfirmedUser, decodeEntities, signedIn, type Page } from '../web/helpers.ts';
import { closeTestDb, postOk, testDb } from '../web/spaces-helpers.ts';
import { debatesPlace, insertDebate, type Place } from './place.ts';

/*
 * The debates' pages and forms without JavaScript, through the site as a browser would post them:
 * the list with its filters, opening a debate (errors next to the fields, nothing saved), the
 * debate's page with its columns, arguing (refused once closed or outside the window, with the
 * message next to the text), positions, closing with conclusions, likes, follows and withdrawing.
 */

let place: Place;
let alice: { id: string; email: string; password: string; name: string };
let bob: { id: string; email: string; password: string; name: string };
let a: Browser;
let b: Browser;

beforeAll(async () => {
  place = await debatesPlace();
  [alice, bob] = await Promise.all([createConfirmedUser({ name: 'Alice Débat' }), createConfirmedUser({ name: 'Bob Contre' })]);
  [a, b] = await Promise.all([signedIn(alice.email, alice.password), signedIn(bob.email, bob.password)]);
}, 60_000);
afterAll(() => closeTestDb());

const fieldError = (page: Page, id: string) => {
  const m = new RegExp(`<p class="field__error"[^>]*? id="${id}-error"[^>]*>([\\s\\S]*?)</p>`).exec(page.html);
  return m ? decodeEntities(m[1]!.replace(/<[^>]+>/g, '')).replace(/\s+/g, ' ').trim() : null;
};

describe('opening a debate', () => {
  it('a refused form comes back with the error next to the field and what was typed; nothing is saved', async () => {
    const page = await a.post(`${place.list}/debates/new?_action=debates.createDebate`, { component_id: place.componentId, title: 'Non', description: 'Trop court' });
    expect(page.status).toBe(400);
    expect(fieldError(page, 'debate-title')).toContain('entre 5 et 150');
    expect(page.html).toContain('Trop court');
    expect(await testDb()`select 1 from public.debates where component_id = ${place.componentId}`).toHaveLength(0);
  });

  it('opens, then the page shows it with its author; the list shows its card', async () => {
    const location = await postOk(a, `${place.list}/debates/new?_action=debates.createDebate`, {
      component_id: place.componentId,
      title: 'Faut-il **plus** de bancs ?',
      description: 'Des bancs sur la place, **pour** se reposer.',
    });
    expect(location).toMatch(/\/debates\/[0-9a-f-]{36}\?status=created$/);
    const page = await a.get(location);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Votre débat est ouvert.');
    expect(page.text).toContain('Par Alice Débat');
    expect(page.html).toContain('<strong>pour</strong>');
    const list = await new Browser().get(place.list);
    expect(list.text).toContain('Faut-il **plus** de bancs ?');
    expect(list.text).toContain('Aucun argument pour l’instant');
  });

  it('a visitor is asked to sign in; creation closed in the phase is said', async () => {
    const visitor = await new Browser().get(`${place.list}/debates/new`);
    expect(visitor.text).toContain('Se connecter pour ouvrir un débat');
    const closed = await debatesPlace({}, { creation_enabled: false });
    const page = await a.get(`${closed.list}/debates/new`);
    expect(page.status).toBe(403);
    expect(page.text).toContain('fermée pendant cette phase');
  });
});

describe('arguing', () => {
  it('an argument lands in its column; the author’s position follows; counts show per side', async () => {
    const id = await insertDebate(place, alice.id);
    const location = await postOk(b, `${place.page(id)}?_action=debates.addArgument`, { debate_id: id, alignment: '-1', body: 'Trop cher pour la ville.' });
    expect(location).toMatch(new RegExp(`${place.page(id)}\\?status=argued#comment-[0-9a-f-]{36}$`));
    const page = await new Browser().get(place.page(id));
    const against = /<section class="arguments__column arguments__column--against"[\s\S]*?<\/section>/.exec(page.html)?.[0] ?? '';
    expect(against).toContain('Trop cher pour la ville.');
    expect(against).toContain('Arguments contre (1)');
    expect(page.text).toContain('1 personne a pris position');
    expect(page.text).toContain('0 pour · 1 contre · 0 neutres');
  });

  it('without a side or a text: errors next to the fields, what was typed kept', async () => {
    const id = await insertDebate(place, alice.id);
    const page = await b.post(`${place.page(id)}?_action=debates.addArgument`, { debate_id: id, body: 'Sans côté choisi' });
    expect(page.status).toBe(400);
    expect(page.html).toContain('Choisissez pour, contre ou neutre.');
    expect(page.html).toContain('Sans côté choisi');
    const empty = await b.post(`${place.page(id)}?_action=debates.addArgument`, { debate_id: id, alignment: '1', body: '   ' });
    expect(fieldError(empty, 'argument-body')).toBeTruthy();
  });

  it('a closed debate shows its conclusions and refuses arguments with the reason', async () => {
    const id = await insertDebate(place, alice.id);
    const close = await a.post(`${place.page(id)}/close?_action=debates.closeDebate`, { debate_id: id, conclusions: 'Court' });
    expect(close.status).toBe(422);
    expect(fieldError(close, 'debate-conclusions')).toContain('entre 10 et 10 000');
    expect(fieldError(close, 'debate-conclusions')).toBeTruthy();
    await postOk(a, `${place.page(id)}/close?_action=debates.closeDebate`, { debate_id: id, conclusions: 'Nous garderons la place **calme**.' });
    const page = await new Browser().get(place.page(id));
    expect(page.text).toContain('Conclusions');
    expect(page.text).toMatch(/Clos le .* par Alice Débat/);
    expect(page.html).toContain('<strong>calme</strong>');
    expect(page.html).not.toContain('id="argument-new"');
    const refused = await b.post(`${place.page(id)}?_action=debates.addArgument`, { debate_id: id, alignment: '1', body: 'Trop tard ?' });
    expect(refused.status).toBe(422);
    expect(fieldError(refused, 'argument-body') ?? refused.text).toContain('Ce débat est clos');
    // Bob may not close Alice's debate.
    const forbidden = await b.post(`${place.page(id)}/close?_action=debates.closeDebate`, { debate_id: id, conclusions: 'Mes conclusions à moi.' });
    expect(forbidden.status).toBe(403);
  });

  it('a timed debate not yet started says when arguments open, in the organization’s time zone', async () => {
    const start = new Date('2030-06-01T08:30:00Z');
    const id = await insertDebate(place, null, { official: true, startsAt: start, endsAt: new Date('2030-06-01T10:30:00Z') });
    const page = await b.get(place.page(id));
    expect(page.text).toContain('Les arguments ouvrent le 1 juin 2030, 10:30');
    const refused = await b.post(`${place.page(id)}?_action=debates.addArgument`, { debate_id: id, alignment: '1', body: 'En avance' });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('pas encore commencé');
  });
});

describe('likes, follows, positions, withdrawing', () => {
  it('like and follow toggle; a position is one, changed at will', async () => {
    const id = await insertDebate(place, alice.id);
    await postOk(b, `${place.page(id)}?_action=debates.likeDebate`, { debate_id: id });
    await postOk(b, `${place.page(id)}?_action=debates.followDebate`, { debate_id: id });
    await postOk(b, `${place.page(id)}?_action=debates.takePosition`, { debate_id: id, alignment: '1' });
    await postOk(b, `${place.page(id)}?_action=debates.takePosition`, { debate_id: id, alignment: '0' });
    const page = await b.get(place.page(id));
    expect(page.text).toContain('1 « j’aime »');
    expect(page.text).toContain('Ne plus suivre');
    expect(page.text).toContain('0 pour · 0 contre · 1 neutres');
    const twice = await b.post(`${place.page(id)}?_action=debates.likeDebate`, { debate_id: id });
    expect(twice.status).toBe(422);
    expect(twice.text).toContain('Vous aimez déjà ce débat.');
  });

  it('withdrawing needs the confirmation and the author', async () => {
    const id = await insertDebate(place, alice.id);
    const unconfirmed = await a.post(`${place.page(id)}?_action=debates.withdrawDebate`, { debate_id: id });
    expect(unconfirmed.status).toBe(400);
    expect((await b.post(`${place.page(id)}?_action=debates.withdrawDebate`, { debate_id: id, confirm: 'yes' })).status).toBe(403);
    await postOk(a, `${place.page(id)}?_action=debates.withdrawDebate`, { debate_id: id, confirm: 'yes' });
    const page = await a.get(place.page(id));
    expect(page.text).toContain('Son auteur a retiré ce débat');
  });

  it('a reply to an argument goes through the comments and comes back to it', async () => {
    const id = await insertDebate(place, alice.id);
    await postOk(a, `${place.page(id)}?_action=debates.addArgument`, { debate_id: id, alignment: '1', body: 'Un argument pour.' });
    const [arg] = await testDb()<{ id: string }[]>`select id from public.comments where resource_type = 'debate' and resource_id = ${id}`;
    const location = await postOk(b, `${place.page(id)}?_action=comments.addComment`, { resource_type: 'debate', resource_id: id, parent_id: arg!.id, body: 'Je réponds.' });
    expect(location).toMatch(/#comment-[0-9a-f-]{36}$/);
    const page = await b.get(place.page(id));
    const forCol = /<section class="arguments__column arguments__column--for"[\s\S]*?<\/section>/.exec(page.html)?.[0] ?? '';
    expect(forCol).toContain('Je réponds.');
  });
});

describe('the list', () => {
  it('filters open / closed / all, official / participants, text, mine; sorts; pages by keyset', async () => {
    const p = await debatesPlace();
    const ids: string[] = [];
    for (let i = 0; i < 23; i++) ids.push(await insertDebate(p, alice.id, { title: `Débat numéro ${String(i).padStart(2, '0')}` }));
    const official = await insertDebate(p, null, { official: true, title: 'Débat de la mairie' });
    await testDb()`update public.debates set closed_at = now(), conclusions = '<p>Des conclusions.</p>' where id = ${ids[0]!}`;
    const anon = new Browser();
    const first = await anon.get(p.list);
    expect(first.text).toContain('23 débats');
    const next = /href="([^"]+)" rel="next"/.exec(first.html)?.[1];
    expect(next).toBeTruthy();
    const second = await anon.get(decodeEntities(next!));
    expect(second.text).toContain('Débat numéro 00'.replace('00', '01'));
    const firstTitles = [...first.html.matchAll(/Débat numéro (\d\d)/g)].map((m) => m[1]);
    const secondTitles = [...second.html.matchAll(/Débat numéro (\d\d)/g)].map((m) => m[1]);
    expect(firstTitles.filter((x) => secondTitles.includes(x))).toEqual([]);
    expect((await anon.get(`${p.list}?state=closed`)).text).toContain('1 débat');
    expect((await anon.get(`${p.list}?state=all`)).text).toContain('24 débats');
    const officialOnly = await anon.get(`${p.list}?origin=official`);
    expect(officialOnly.text).toContain('Débat de la mairie');
    expect(officialOnly.text).toContain('1 débat');
    expect((await anon.get(`${p.list}?q=${encodeURIComponent('numéro 1')}`)).text).toContain('10 débats');
    // The filter reads the one search index: accents ignored, words as prefixes, in any order.
    expect((await anon.get(`${p.list}?q=${encodeURIComponent('1 NUMERO debat')}`)).text).toContain('10 débats');
    expect((await a.get(`${p.list}?mine=true`)).text).toContain('22 débats');
    expect((await b.get(`${p.list}?mine=true`)).text).toContain('0 débat');
    expect((await anon.get(`${p.list}?sort=bogus`)).text).toContain('Certains paramètres ont été ignorés : sort.');
    expect(official).toBeTruthy();
  });
});
