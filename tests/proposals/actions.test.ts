import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../web/helpers.ts';
import { closeTestDb, testDb } from '../web/spaces-helpers.ts';
import { deliverNotifications } from '../helpers/notifications.ts';
import { act, alertText, person, proposalsPlace, published, setPhase, setSettings, statusText, type Person, type Place } from './page-fixtures.ts';

/*
 * Participation on a proposal's page through the running site, without JavaScript: each form
 * posts to a proposals action and comes back (303) with a status line; refusals come back as the
 * page with a 4xx status and the reason in the person's language, nothing changed.
 */

let place: Place;
let alice: Person;
let bob: Person;
let carol: Person;

beforeAll(async () => {
  place = await proposalsPlace({ vote_limit: 2, threshold_per_proposal: 3 });
  [alice, bob, carol] = await Promise.all([person('Alice Autrice'), person('Bob Soutien'), person('Carole Co')]);
});
afterAll(async () => {
  await closeTestDb();
});

const counts = async (id: string) =>
  (await testDb()<{ supports_count: number; likes_count: number; follows_count: number; reports_count: number; hidden: boolean }[]>`
    select supports_count, likes_count, follows_count, reports_count, hidden_at is not null as hidden from public.proposals where id = ${id}`)[0]!;

describe('supports', () => {
  it('support and withdraw; remaining supports and the threshold progress; the vote limit says its number', async () => {
    const [p1, p2, p3] = await Promise.all([published(place, alice.id), published(place, alice.id), published(place, alice.id)]);
    let page = await bob.browser.get(place.page(p1));
    expect(page.text).toContain('0 soutien sur les 3 nécessaires');
    expect(page.text).toContain('Il vous reste 2 soutiens sur 2.');
    expect(page.html).toContain('_action=proposals.supportProposal');

    const s1 = await bob.browser.post(act(place.page(p1), 'supportProposal'), { proposal_id: p1 });
    expect(s1.status).toBe(303);
    expect(s1.location).toBe(`${place.page(p1)}?status=supported`);
    page = await bob.browser.get(s1.location!);
    expect(statusText(page)).toBe('Votre soutien est enregistré.');
    expect(page.text).toContain('1 soutien sur les 3 nécessaires');
    expect(page.text).toContain('Vous soutenez cette proposition.');
    expect(page.text).toContain('Il vous reste 1 soutien sur 2.');
    expect(page.html).toMatch(/<progress max="3" value="1"/);

    // Twice: refused, counted once.
    const twice = await bob.browser.post(act(place.page(p1), 'supportProposal'), { proposal_id: p1 });
    expect(twice.status).toBe(422);
    expect(alertText(twice)).toContain('Vous soutenez déjà cette proposition.');

    expect((await bob.browser.post(act(place.page(p2), 'supportProposal'), { proposal_id: p2 })).status).toBe(303);
    const third = await bob.browser.post(act(place.page(p3), 'supportProposal'), { proposal_id: p3 });
    expect(third.status).toBe(422);
    expect(alertText(third)).toContain('Vous avez utilisé tous vos soutiens (2).');
    expect((await counts(p3)).supports_count).toBe(0);
    expect((await bob.browser.get(place.page(p3))).text).toContain('Vous avez utilisé tous vos soutiens (2).');

    const back = await bob.browser.post(act(place.page(p2), 'unsupportProposal'), { proposal_id: p2 });
    expect(back.status).toBe(303);
    expect((await counts(p2)).supports_count).toBe(0);
    expect((await bob.browser.post(act(place.page(p3), 'supportProposal'), { proposal_id: p3 })).status).toBe(303);
  });

  it('threshold reached: no more supports; the page says so', async () => {
    const p = await published(place, alice.id);
    const people = await Promise.all([person(), person(), person(), person()]);
    for (const x of people.slice(0, 3)) expect((await x.browser.post(act(place.page(p), 'supportProposal'), { proposal_id: p })).status).toBe(303);
    const page = await people[3]!.browser.get(place.page(p));
    expect(page.text).toContain('Cette proposition a atteint son seuil de soutiens.');
    expect(page.html).not.toContain('data-support-button="support"');
    const refused = await people[3]!.browser.post(act(place.page(p), 'supportProposal'), { proposal_id: p });
    expect(refused.status).toBe(422);
    expect(alertText(refused)).toContain('Cette proposition a atteint son seuil de soutiens.');
    expect((await counts(p)).supports_count).toBe(3);
  });

  it('blocked in the phase: 403 with the reason; hidden counts are not shown', async () => {
    const other = await proposalsPlace({}, { votes_blocked: true });
    const p = await published(other, alice.id);
    const page = await bob.browser.get(other.page(p));
    expect(page.text).toContain('Les soutiens ne sont pas ouverts pendant cette phase.');
    const refused = await bob.browser.post(act(other.page(p), 'supportProposal'), { proposal_id: p });
    expect(refused.status).toBe(403);
    expect(alertText(refused)).toContain('Cette action n’est pas ouverte pendant la phase en cours.');
    await setPhase(other, { votes_blocked: false, votes_hidden: true });
    expect((await bob.browser.post(act(other.page(p), 'supportProposal'), { proposal_id: p })).status).toBe(303);
    const hidden = await new Browser().get(other.page(p));
    expect(hidden.text).toContain('Le nombre de soutiens est masqué pendant cette phase.');
    expect(hidden.html).not.toContain('data-proposal-supports');
  });

  it('a withdrawn proposal takes no support', async () => {
    const p = await published(place, alice.id);
    expect((await alice.browser.post(act(place.page(p), 'withdrawProposal'), { proposal_id: p, confirm: 'yes' })).status).toBe(303);
    const refused = await carol.browser.post(act(place.page(p), 'supportProposal'), { proposal_id: p });
    expect(refused.status).toBe(422);
    expect(alertText(refused)).toContain('Cette proposition n’accepte plus de soutiens');
    expect((await carol.browser.get(place.page(p))).html).not.toContain('data-support-button');
  });

  it('anonymous visitors are asked to sign in; an action without a session is a 401', async () => {
    const p = await published(place, alice.id);
    const anon = new Browser();
    expect((await anon.get(place.page(p))).text).toContain('Connectez-vous pour soutenir cette proposition.');
    expect((await anon.post(act(place.page(p), 'supportProposal'), { proposal_id: p })).status).toBe(401);
  });
});

describe('likes, follows, reports', () => {
  it('like and unlike; the likers are listed', async () => {
    const p = await published(place, alice.id);
    expect((await bob.browser.post(act(place.page(p), 'likeProposal'), { proposal_id: p })).status).toBe(303);
    const page = await new Browser().get(place.page(p));
    expect(page.text).toContain('1 « j’aime »');
    expect(page.text).toContain('Qui aime cette proposition');
    expect(page.text).toContain(`Bob Soutien @${bob.nickname}`);
    expect((await bob.browser.post(act(place.page(p), 'likeProposal'), { proposal_id: p })).status).toBe(422);
    expect((await bob.browser.post(act(place.page(p), 'unlikeProposal'), { proposal_id: p })).status).toBe(303);
    expect((await counts(p)).likes_count).toBe(0);
    // Likes closed in the phase: no button, refused.
    await setPhase(place, { likes_enabled: false });
    expect((await bob.browser.get(place.page(p))).html).not.toContain('_action=proposals.likeProposal');
    expect((await bob.browser.post(act(place.page(p), 'likeProposal'), { proposal_id: p })).status).toBe(403);
    await setPhase(place, { likes_enabled: true });
  });

  it('follow and unfollow (the author follows already)', async () => {
    const p = await published(place, alice.id);
    expect((await counts(p)).follows_count).toBe(1);
    expect((await bob.browser.post(act(place.page(p), 'followProposal'), { proposal_id: p })).status).toBe(303);
    expect((await bob.browser.post(act(place.page(p), 'followProposal'), { proposal_id: p })).status).toBe(303);
    expect((await counts(p)).follows_count).toBe(2);
    expect((await bob.browser.get(place.page(p))).text).toContain('Ne plus suivre');
    expect((await bob.browser.post(act(place.page(p), 'unfollowProposal'), { proposal_id: p })).status).toBe(303);
    expect((await counts(p)).follows_count).toBe(1);
  });

  it('three reports hide the proposal: a 404 for the public, the reporter goes back to the list', async () => {
    const p = await published(place, alice.id);
    const noReason = await bob.browser.post(act(place.page(p), 'reportProposal'), { proposal_id: p, reason: 'nope' });
    expect(noReason.status).toBe(400);
    expect(noReason.text).toContain('Choisissez un motif.');
    const reporters = [bob, carol, await person()];
    for (const [i, r] of reporters.entries()) {
      const res = await r.browser.post(act(place.page(p), 'reportProposal'), { proposal_id: p, reason: 'spam', details: 'Publicité' });
      expect(res.status).toBe(303);
      if (i < 2) expect(res.location).toBe(`${place.page(p)}?status=reported`);
      else expect(res.location).toBe(`${place.list}?status=reported`);
    }
    const again = await bob.browser.post(act(place.page(p), 'reportProposal'), { proposal_id: p, reason: 'spam' });
    expect(again.status).toBe(404);
    expect((await counts(p)).hidden).toBe(true);
    expect((await new Browser().get(place.page(p))).status).toBe(404);
    // The moderator still sees it, marked hidden.
    const mod = await person();
    await testDb()`insert into public.space_roles (space_id, user_id, role) values (${place.spaceId}, ${mod.id}, 'moderator')`;
    const seen = await mod.browser.get(place.page(p));
    expect(seen.status).toBe(200);
    expect(seen.text).toContain('Cette proposition est masquée en attente de modération.');
  });
});

describe('co-authors', () => {
  it('an author invites by nickname; the invitee accepts on the page; both are shown', async () => {
    const p = await published(place, alice.id);
    const unknown = await alice.browser.post(act(place.page(p), 'inviteCoauthor'), { proposal_id: p, identifier: 'personne_inconnue' });
    expect(unknown.status).toBe(422);
    expect(unknown.text).toContain('Personne ne porte ce pseudonyme.');
    // Not an author: refused.
    expect((await bob.browser.post(act(place.page(p), 'inviteCoauthor'), { proposal_id: p, identifier: carol.nickname })).status).toBe(403);

    expect((await alice.browser.post(act(place.page(p), 'inviteCoauthor'), { proposal_id: p, identifier: `@${carol.nickname}` })).status).toBe(303);
    await deliverNotifications(testDb(), place.spaceId);
    const [note] = await testDb()`select 1 from public.notifications where user_id = ${carol.id} and kind = 'proposals.coauthor_invited' and resource_id = ${p}`;
    expect(note).toBeDefined();
    const dup = await alice.browser.post(act(place.page(p), 'inviteCoauthor'), { proposal_id: p, identifier: carol.nickname.toUpperCase() });
    expect(dup.status).toBe(409);
    expect((await alice.browser.get(place.page(p))).text).toContain('Invitations en attente');

    const invited = await carol.browser.get(place.page(p));
    expect(invited.text).toContain('Vous êtes invité·e à co-écrire cette proposition.');
    const accepted = await carol.browser.post(act(place.page(p), 'acceptCoauthorship'), { proposal_id: p });
    expect(accepted.status).toBe(303);
    const page = await new Browser().get(place.page(p));
    // Listed one per item (each with an avatar, no text of its own).
    expect(page.text).toMatch(/Auteur·es\s*:?\s*Alice Autrice\s+Carole Co\b/);

    // Drafts: their invitees could not see them to accept, so no invitations yet.
    const [draft] = await testDb()<{ id: string }[]>`
      insert into public.proposals (component_id, author_id, title, body) values (${place.componentId}, ${alice.id}, 'Un brouillon', '') returning id`;
    const onDraft = await alice.browser.post(act(place.page(draft!.id), 'inviteCoauthor'), { proposal_id: draft!.id, identifier: bob.nickname });
    expect(onDraft.status).toBe(422);
    expect(onDraft.text).toContain('Publiez la proposition avant d’inviter des co-auteur·es.');

    // By nickname again, then declined.
    expect((await alice.browser.post(act(place.page(p), 'inviteCoauthor'), { proposal_id: p, identifier: bob.nickname })).status).toBe(303);
    expect((await bob.browser.post(act(place.page(p), 'declineCoauthorship'), { proposal_id: p })).status).toBe(303);
    expect((await bob.browser.post(act(place.page(p), 'acceptCoauthorship'), { proposal_id: p })).status).toBe(404);
  });
});

describe('amendments', () => {
  it('create, accept (the text is replaced, a version added), reject, promote', async () => {
    const p = await published(place, alice.id, { title: 'Des arbres rue Haute', body: '<p>Planter dix arbres rue Haute.</p>' });
    const amend = await bob.browser.post(act(place.page(p), 'createAmendment'), { proposal_id: p, title: 'Des arbres rue Haute', body: 'Planter vingt arbres rue Haute.' });
    expect(amend.status).toBe(303);
    const e1 = /proposals\/([0-9a-f-]{36})\?status=amended$/.exec(amend.location ?? '')![1]!;
    const emPage = await new Browser().get(place.page(e1));
    expect(emPage.text).toContain('Cet amendement modifie la proposition « Des arbres rue Haute ».');
    expect(emPage.html.replace(/ data-astro-cid-[a-z0-9]+/g, '')).toContain('<ins><span class="visually-hidden">ajouté : </span>vingt</ins>');
    const amendedPage = await alice.browser.get(place.page(p));
    expect(amendedPage.text).toContain('En attente de réponse');
    expect(amendedPage.html).toContain('_action=proposals.reactToAmendment');
    // Bob (not an author of the proposal) cannot accept.
    expect((await bob.browser.post(act(place.page(p), 'reactToAmendment'), { emendation_id: e1, accept: 'true' })).status).toBe(403);
    const accepted = await alice.browser.post(act(place.page(p), 'reactToAmendment'), { emendation_id: e1, accept: 'true' });
    expect(accepted.status).toBe(303);
    expect(accepted.location).toBe(`${place.page(p)}?status=amendmentAnswered`);
    const after = await new Browser().get(place.page(p));
    expect(after.text).toContain('Planter vingt arbres rue Haute.');
    expect(after.text).toContain('Historique des versions (2)');
    expect(after.text).toContain('Accepté');

    const amend2 = await carol.browser.post(act(place.page(p), 'createAmendment'), { proposal_id: p, title: 'Des haies rue Haute', body: 'Planter des haies plutôt que des arbres.' });
    const e2 = /proposals\/([0-9a-f-]{36})\?/.exec(amend2.location ?? '')![1]!;
    expect((await alice.browser.post(act(place.page(p), 'reactToAmendment'), { emendation_id: e2, accept: 'false' })).status).toBe(303);
    const again = await alice.browser.post(act(place.page(p), 'reactToAmendment'), { emendation_id: e2, accept: 'true' });
    expect(again.status).toBe(422);
    expect(alertText(again)).toContain('Cet amendement a déjà reçu une réponse.');
    const rejected = await carol.browser.get(place.page(e2));
    expect(rejected.text).toContain('Rejeté');
    expect(rejected.html).toContain('_action=proposals.promoteAmendment');
    const promoted = await carol.browser.post(act(place.page(e2), 'promoteAmendment'), { emendation_id: e2 });
    expect(promoted.status).toBe(303);
    const newId = /proposals\/([0-9a-f-]{36})\?status=promoted$/.exec(promoted.location ?? '')![1]!;
    expect(newId).not.toBe(e2);
    // Bob is a co-author of the proposal now (his amendment was accepted): he edits it, he no
    // longer amends it.
    const own = await bob.browser.post(act(place.page(p), 'createAmendment'), { proposal_id: p, title: 'Des bancs rue Haute', body: 'Installer des bancs sous les arbres.' });
    expect(own.status).toBe(422);
    expect(alertText(own)).toContain('Les auteur·es d’une proposition ne l’amendent pas');
    // An amendment withdrawn by its author is no longer answered.
    const amend3 = await carol.browser.post(act(place.page(p), 'createAmendment'), { proposal_id: p, title: 'Des bancs rue Haute', body: 'Installer des bancs sous les arbres.' });
    const e3 = /proposals\/([0-9a-f-]{36})\?/.exec(amend3.location ?? '')![1]!;
    expect((await carol.browser.post(act(place.page(e3), 'withdrawProposal'), { proposal_id: e3, confirm: 'yes' })).status).toBe(303);
    expect((await alice.browser.get(place.page(p))).html).toContain('data-amendment-state="withdrawn"');
    expect((await alice.browser.post(act(place.page(p), 'reactToAmendment'), { emendation_id: e3, accept: 'true' })).status).toBe(422);

    const newPage = await new Browser().get(place.page(newId));
    expect(newPage.text).toContain('Des haies rue Haute');
    expect(newPage.text).toContain('Carole Co');
  });

  it('amendments visible to their authors only when the phase says so; closed amending is a 403', async () => {
    const other = await proposalsPlace({}, { amendments_visibility: 'participants' });
    const p = await published(other, alice.id);
    const r = await bob.browser.post(act(other.page(p), 'createAmendment'), { proposal_id: p, title: 'Un amendement discret', body: 'Un texte assez long pour être valable.' });
    expect(r.status).toBe(303);
    const e = /proposals\/([0-9a-f-]{36})\?/.exec(r.location ?? '')![1]!;
    expect((await bob.browser.get(other.page(e))).status).toBe(200);
    expect((await new Browser().get(other.page(e))).status).toBe(404);
    expect((await carol.browser.get(other.page(p))).text).not.toContain('Un amendement discret');
    expect((await bob.browser.get(other.page(p))).text).toContain('Un amendement discret');
    await setPhase(other, { amendment_creation_enabled: false });
    const closed = await bob.browser.post(act(other.page(p), 'createAmendment'), { proposal_id: p, title: 'Encore un amendement', body: 'Un texte assez long pour être valable.' });
    expect(closed.status).toBe(403);
  });
});

describe('hostile input never makes a 500', () => {
  it('bad ids, huge bodies, NUL bytes, invalid UTF-8, scripts', async () => {
    const p = await published(place, alice.id);
    const badId = await bob.browser.post(act(place.page(p), 'supportProposal'), { proposal_id: 'not-a-uuid' });
    expect(badId.status).toBe(400);
    expect((await bob.browser.post(act(place.page(p), 'supportProposal'), { proposal_id: '00000000-0000-4000-8000-000000000000' })).status).toBe(404);
    expect((await new Browser().get(`${place.list}/proposals/not-a-uuid`)).status).toBe(404);
    expect((await new Browser().get(`${place.list}/proposals/00000000-0000-4000-8000-000000000000/versions`)).status).toBe(404);
    const huge = await alice.browser.post(act(`${place.list}/proposals/new`, 'createProposal'), { component_id: place.componentId, title: 'Un titre correct', body: 'a'.repeat(200_000) });
    expect(huge.status).toBeLessThan(500);
    expect(huge.status).toBeGreaterThanOrEqual(400);
    const nul = await alice.browser.post(act(`${place.list}/proposals/new`, 'createProposal'), { component_id: place.componentId, title: 'Un titre\u0000 nul', body: 'Un texte suffisant pour passer.' });
    expect(nul.status).toBe(400);
    expect(nul.text).toContain('Ce texte contient des caractères invalides.');
    const raw = Buffer.concat([Buffer.from(`component_id=${place.componentId}&title=Titre+invalide&body=`), Buffer.from([0xff, 0xfe, 0x41, 0x42])]);
    const bad = await alice.browser.request(act(`${place.list}/proposals/new`, 'createProposal'), {
      method: 'POST',
      body: raw,
      headers: { origin: alice.browser.base, 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(bad.status).toBeLessThan(500);
    const report = await bob.browser.post(act(place.page(p), 'reportProposal'), { proposal_id: p, reason: 'spam', details: 'x'.repeat(5000) });
    expect(report.status).toBe(400);
    const script = await alice.browser.post(act(`${place.list}/proposals/new`, 'createProposal'), {
      component_id: place.componentId,
      title: '<script>alert(1)</script> titre',
      body: '<img src=x onerror=alert(1)><p onclick="x()">Texte <b>gras</b> et <iframe src="//evil"></iframe> fin du texte.</p>',
    });
    expect(script.status).toBe(303);
    const id = /proposals\/([0-9a-f-]{36})\//.exec(script.location ?? '')![1]!;
    const page = await alice.browser.get(place.page(id));
    expect(page.status).toBe(200);
    expect(page.html).not.toMatch(/<script>alert|<img src=x|<[a-z][^>]*\s(onerror|onclick)=|<iframe/);
    // Bodies are Markdown: the HTML typed in them is shown as typed, never interpreted.
    expect(page.html).toContain('&lt;b&gt;gras&lt;/b&gt;');
    await setSettings(place, {});
  });
});
