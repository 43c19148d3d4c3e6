import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { person, proposalsPlace, published, setPhase, type Person } from '../proposals/page-fixtures.ts';
import { verify } from '../budgets/fixtures.ts';
import { uniqueTag } from '../db/fixtures.ts';
import { claire, closeTestDb, testDb } from '../web/spaces-helpers.ts';
import { Browser } from '../web/helpers.ts';

/*
 * Verifications through the running site, without JavaScript: a resident's census try (a refusal
 * that names no field, then back to the vote once verified); the organization admins' page — the
 * census uploaded as a file (lines refused by number and reason) and batch by batch through the
 * island's endpoint, a direct grant and a revocation by email, numbers only — closed to others.
 */

let admin: Browser;
let resident: Person;
let tag: string;
let district: string;

beforeAll(async () => {
  admin = await claire();
  resident = await person('Rita Résidente');
  tag = uniqueTag().toUpperCase();
  const [d] = await testDb()<{ id: string }[]>`insert into public.taxonomies (name) values (${testDb().json({ fr: `Les Aulnes ${tag}` })}) returning id`;
  district = d!.id;
});
afterAll(async () => {
  await closeTestDb();
});

const csvForm = (text: string) => {
  const form = new FormData();
  form.set('file', new File([text], 'recensement.csv', { type: 'text/csv' }));
  return form;
};

describe('the organization admins’ page', () => {
  it('is theirs only', async () => {
    expect((await resident.browser.get('/fr/admin/verifications')).status).toBe(403);
    const page = await admin.get('/fr/admin/verifications');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Des nombres seulement');
    const api = await resident.browser.request('/api/verifications/census', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: resident.browser.base },
      body: JSON.stringify({ lines: [{ line: 1, text: `X${tag};1990-01-01;` }], last: true }),
    });
    expect(api.status).toBe(403);
  });

  it('uploads a census file: good lines kept as hashes, refused ones said by number and reason', async () => {
    const text = [
      'identifiant;date_naissance;quartier',
      `A${tag}1;12/04/1980;Les Aulnes ${tag}`,
      `A${tag}2;1975-11-30;les aulnes ${tag.toLowerCase()}`,
      `A${tag}3;31/02/1990;`,
      `A${tag}4;1990-01-01;Atlantide ${tag}`,
      `A${tag}1;12/04/1980;`,
    ].join('\n');
    const page = await admin.post('/fr/admin/verifications?_action=verifications.uploadCensus', csvForm(text));
    expect(page.status).toBe(200);
    expect(page.text).toContain('2 lignes ajoutées, 3 refusées.');
    expect(page.text).toContain('Ligne 4 : date de naissance invalide');
    expect(page.text).toContain('Ligne 5 : quartier inconnu');
    expect(page.text).toContain('Ligne 6 : déjà dans le recensement');
    expect(page.text).not.toContain(`A${tag}1`);
    const [counts] = await testDb()<{ n: number }[]>`select count(*)::int as n from public.census_lines where district_id = ${district}`;
    expect(counts?.n).toBe(2);
  });

  it('the island’s batches: the same reading, one upload, its progress recorded', async () => {
    const post = (body: unknown) =>
      admin.request('/api/verifications/census', {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: admin.base },
        body: JSON.stringify(body),
      });
    const first = await post({ file_name: 'lots.csv', lines: [{ line: 1, text: `B${tag}1;01/01/1960;Les Aulnes ${tag}` }, { line: 2, text: 'pas une ligne' }], last: false, separator_line: `B${tag}1;01/01/1960;` });
    expect(first.status).toBe(200);
    const a = (await first.json()) as { uploadId: string; added: number; refused: { line: number; code: string }[] };
    expect(a.added).toBe(1);
    expect(a.refused).toEqual([{ line: 2, code: 'columns' }]);
    const second = await post({ upload_id: a.uploadId, file_name: 'lots.csv', lines: [{ line: 3, text: `B${tag}1;1960-01-01;` }], last: true, separator_line: `B${tag}1;01/01/1960;` });
    expect(((await second.json()) as { refused: unknown[] }).refused).toEqual([{ line: 3, code: 'duplicate' }]);
    const [u] = await testDb()<{ lines_read: number; lines_added: number; finished: boolean }[]>`
      select lines_read, lines_added, finished_at is not null as finished from public.census_uploads where id = ${a.uploadId}`;
    expect(u).toEqual({ lines_read: 3, lines_added: 1, finished: true });
    const notJson = await admin.request('/api/verifications/census', { method: 'POST', headers: { 'content-type': 'text/plain', origin: admin.base }, body: 'x' });
    expect(notJson.status).toBe(415);
    const foreign = await admin.request('/api/verifications/census', { method: 'POST', headers: { 'content-type': 'application/json', origin: 'https://evil.example' }, body: '{}' });
    expect(foreign.status).toBe(403);
  });

  it('grants a verification at the help desk and revokes it (once confirmed), by email', async () => {
    const [row] = await testDb()<{ email: string }[]>`select email from auth.users where id = ${(await person('Gus Guichet')).id}`;
    const unknown = await admin.post('/fr/admin/verifications?_action=verifications.grant', { person: 'personne@nulle.part', district_id: district });
    expect(unknown.status).toBe(422);
    expect(unknown.text).toContain('Aucun compte ne correspond à cette adresse ou à ce pseudonyme.');
    const granted = await admin.post('/fr/admin/verifications?_action=verifications.grant', { person: row!.email, district_id: district });
    expect(granted.status).toBe(303);
    const again = await admin.post('/fr/admin/verifications?_action=verifications.grant', { person: row!.email, district_id: district });
    expect(again.status).toBe(422);
    expect(again.text).toContain('Cette personne est déjà vérifiée de cette façon.');
    const unconfirmed = await admin.post('/fr/admin/verifications?_action=verifications.revoke', { person: row!.email, method: 'direct' });
    expect(unconfirmed.status).toBe(400);
    const revoked = await admin.post('/fr/admin/verifications?_action=verifications.revoke', { person: row!.email, method: 'direct', confirm: 'yes' });
    expect(revoked.status).toBe(303);
    const left = await testDb()`select 1 from public.verifications v join auth.users u on u.id = v.user_id where u.email = ${row!.email}`;
    expect(left).toHaveLength(0);
  });
});

describe('a resident verifies themselves', () => {
  it('a refusal names no field; the right identifier and date verify them and send them back to the vote', async () => {
    const next = '/fr/processes/budget-participatif-2027';
    const path = `/fr/verification?next=${encodeURIComponent(next)}`;
    const page = await resident.browser.get(path);
    expect(page.text).toContain('Prouver que j’habite la ville');
    const wrong = await resident.browser.post(`${path}&_action=verifications.verifyWithCensus`, { identifier: `A${tag}2`, birth_date: '1975-11-29' });
    expect(wrong.status).toBe(422);
    expect(wrong.text).toContain('Ces informations ne correspondent à aucune personne du recensement.');
    expect(wrong.html).not.toMatch(/field__error[^>]*>[^<]*(identit|naissance)/i);
    const right = await resident.browser.post(`${path}&_action=verifications.verifyWithCensus`, { identifier: ` a-${tag.toLowerCase()}2 `, birth_date: '1975-11-30' });
    expect(right.status).toBe(303);
    expect(right.location).toBe(next);
    const mine = await resident.browser.get('/fr/verification');
    expect(mine.text).toContain('Habitant·e vérifié·e par le recensement');
    expect(mine.text).toContain(`Quartier : Les Aulnes ${tag}`);
    const taken = await (await person('Théo Tricheur')).browser.post('/fr/verification?_action=verifications.verifyWithCensus', { identifier: `A${tag}2`, birth_date: '1975-11-30' });
    expect(taken.status).toBe(409);
    expect(taken.text).toContain('Ces informations ont déjà servi à vérifier un autre compte.');
  });
});

describe('another feature’s pages when its action requires a verification', () => {
  it('proposals offer the verification instead of saying supports are closed, and say when submitting needs one', async () => {
    const place = await proposalsPlace();
    await testDb()`update public.components set permissions = ${testDb().json({ vote: ['census', 'direct'], create: ['direct'] })} where id = ${place.componentId}`;
    const [author, unverified, verified] = await Promise.all([person('Ana Autrice'), person('Ugo Nonvérifié'), person('Vic Vérifiée')]);
    await verify(testDb(), verified.id, 'direct');
    const proposal = await published(place, author.id);
    const path = place.page(proposal);

    const mine = await unverified.browser.get(path);
    expect(mine.html).toContain('data-verification-needed="support"');
    expect(mine.text).toContain('Les soutiens sont réservés aux personnes dont le compte est vérifié.');
    expect(mine.html).toContain(`href="/fr/verification?next=${encodeURIComponent(path)}"`);
    expect(mine.text).not.toContain('Les soutiens ne sont pas ouverts pendant cette phase.');
    expect(mine.html).not.toContain('data-support-button');
    // A visitor is asked to sign in, then sent to the verification page, then back here.
    const visitor = await new Browser().get(path);
    expect(visitor.html).toContain(`href="/fr/sign-in?next=${encodeURIComponent(`/fr/verification?next=${encodeURIComponent(path)}`)}"`);
    // Verified: the support button, no notice.
    const theirs = await verified.browser.get(path);
    expect(theirs.html).toContain('data-support-button="support"');
    expect(theirs.html).not.toContain('data-verification-needed');

    // Submitting asks for a direct grant only: the help desk, no census link; the verified see the button.
    const list = await unverified.browser.get(place.list);
    expect(list.html).toContain('data-verification-needed="create"');
    expect(list.text).toContain('La mairie peut vérifier votre compte à l’accueil');
    expect((await verified.browser.get(place.list)).html).not.toContain('data-verification-needed');
    // Closed is still closed, verified or not.
    await setPhase(place, { votes_enabled: false, creation_enabled: false });
    const closed = await unverified.browser.get(path);
    expect(closed.html).not.toContain('data-verification-needed');
    expect(closed.text).toContain('Les soutiens ne sont pas ouverts pendant cette phase.');
  });
});
