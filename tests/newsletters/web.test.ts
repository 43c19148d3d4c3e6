import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkers, type Workers } from '../../workers/index.ts';
import { NEWSLETTER_JOBS } from '../../workers/newsletters/jobs.ts';
import { mailsTo } from '../helpers/mail.ts';
import { Browser, createConfirmedUser, signedIn, stack } from '../web/helpers.ts';
import { closeTestDb, testDb, uniqueSlug } from '../web/spaces-helpers.ts';

/*
 * A newsletter from the admin's pages to the inboxes, without JavaScript: compose in French and
 * English, save the draft, see how many people it reaches, preview it in both languages, send a
 * test to oneself, send it after confirming; the real workers send it into the SMTP catcher, each
 * consenting follower once in their language with a one-click unsubscribe; the sent letter is
 * read-only with its statistics. The newsletter question at sign-up and once afterwards.
 */

type Person = Awaited<ReturnType<typeof createConfirmedUser>> & { browser: Browser };
const spaceId = randomUUID();
const slug = uniqueSlug('letters');
let orgAdmin: Person;
let workers: Workers | undefined;

async function person(name: string, locale = 'fr'): Promise<Person> {
  const u = await createConfirmedUser({ name, locale });
  return { ...u, browser: await signedIn(u.email, u.password) };
}

beforeAll(async () => {
  const db = testDb();
  await db`insert into public.spaces (id, kind, slug, title, short_description, published_at)
           values (${spaceId}, 'process', ${slug}, ${db.json({ fr: 'Budget des écoles', en: 'Schools budget' })}, ${db.json({ fr: '<p>Les écoles décident.</p>' })}, now())`;
  orgAdmin = await person('Odile Admin');
  await db`insert into public.organization_admins (user_id) values (${orgAdmin.id})`;
  await db`update public.profile_preferences set newsletter_answered_at = now() where id = ${orgAdmin.id}`;
}, 60_000);

afterAll(async () => {
  await workers?.stop();
  await closeTestDb();
});

describe('a newsletter, from the admin to the inboxes', () => {
  it('compose, count, preview, test, send; each consenting follower gets it once, in their language', { timeout: 120_000 }, async () => {
    const db = testDb();
    const followers = await Promise.all([createConfirmedUser({ name: 'Fanny', locale: 'fr' }), createConfirmedUser({ name: 'Frank', locale: 'en' })]);
    const refuser = await createConfirmedUser({ name: 'Rita' });
    for (const f of followers) await db`update public.profile_preferences set newsletter_opt_in_at = now(), newsletter_answered_at = now() where id = ${f.id}`;
    await db`insert into public.space_follows (space_id, user_id) select ${spaceId}, unnest(${[...followers.map((f) => f.id), refuser.id]}::uuid[])`;

    const form = new URLSearchParams({
      'subject.fr': 'Les nouvelles de décembre',
      'subject.en': 'December news',
      'block.0.type': 'text',
      'block.0.html.fr': '<p>Bonjour <strong>à toutes et à tous</strong>.</p><script>alert(1)</script>',
      'block.0.html.en': '<p>Hello <strong>everyone</strong>.</p>',
      'block.1.type': 'spaces',
      'block.1.spaces': spaceId,
      'audience.scope': 'followers',
      'audience.spaces': spaceId,
    });
    // A refusal first: an image that is no URL; nothing saved.
    const bad = new URLSearchParams(form);
    bad.set('block.2.type', 'image');
    bad.set('block.2.url', 'javascript:alert(1)');
    const refused = await orgAdmin.browser.post('/fr/admin/newsletters/new?_action=newsletters.save', bad);
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('Saisissez une adresse web valide');
    expect(await db`select 1 from public.newsletters where subject ->> 'fr' = 'Les nouvelles de décembre'`).toHaveLength(0);
    // Nobody else composes.
    const citizen = await person('Claude Citoyen');
    expect((await citizen.browser.post('/fr/admin/newsletters/new?_action=newsletters.save', form)).status).toBe(403);

    const saved = await orgAdmin.browser.post('/fr/admin/newsletters/new?_action=newsletters.save', form);
    expect(saved.status).toBe(303);
    const page = `${new URL(saved.location!, stack().siteUrl).pathname}`;
    const id = page.split('/').pop()!;
    const draft = await orgAdmin.browser.get(page);
    expect(draft.text).toContain('Cette lettre atteindrait aujourd’hui 2 personnes.');
    const [stored] = await db<{ blocks: unknown }[]>`select blocks from public.newsletters where id = ${id}`;
    expect(stored!.blocks).toEqual([
      { type: 'text', html: { fr: '<p>Bonjour <strong>à toutes et à tous</strong>.</p>', en: '<p>Hello <strong>everyone</strong>.</p>' } },
      { type: 'spaces', ids: [spaceId] },
    ]);

    // Previews, as sent, in both languages.
    const fr = await orgAdmin.browser.get(`${page}/preview/fr`);
    expect(fr.status).toBe(200);
    expect(fr.html).toContain('<html lang="fr"');
    expect(fr.html).toContain('à toutes et à tous');
    expect(fr.html).toContain(`/fr/processes/${slug}`);
    const en = await orgAdmin.browser.get(`${page}/preview/en`);
    expect(en.html).toContain('Hello <strong>everyone</strong>');
    expect((await citizen.browser.get(`${page}/preview/fr`)).status).toBe(403);

    // A test to oneself.
    expect((await orgAdmin.browser.post(`${page}?_action=newsletters.testSend`, { newsletter_id: id })).status).toBe(303);
    const test = await mailsTo(orgAdmin.email);
    expect(test.map((m) => m.subject)).toEqual(['Les nouvelles de décembre']);

    // Sending asks first; then the workers send it.
    expect((await orgAdmin.browser.post(`${page}?_action=newsletters.schedule`, { newsletter_id: id })).status).toBe(400);
    expect((await db<{ status: string }[]>`select status from public.newsletters where id = ${id}`)[0]!.status).toBe('draft');
    expect((await orgAdmin.browser.post(`${page}?_action=newsletters.schedule`, { newsletter_id: id, confirm: 'yes' })).status).toBe(303);
    workers = await startWorkers({ databaseUrl: stack().databaseUrl, smtpUrl: stack().smtpUrl, siteUrl: stack().siteUrl, jwtSecret: stack().jwtSecret }, { jobs: NEWSLETTER_JOBS });
    const deadline = Date.now() + 60_000;
    while ((await db<{ status: string }[]>`select status from public.newsletters where id = ${id}`)[0]!.status !== 'sent' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
    }
    const [fanny, frank] = [await mailsTo(followers[0]!.email), await mailsTo(followers[1]!.email)];
    expect(fanny.map((m) => m.subject)).toEqual(['Les nouvelles de décembre']);
    expect(frank.map((m) => m.subject)).toEqual(['December news']);
    expect(frank[0]!.html).toContain('<html lang="en"');
    expect(await mailsTo(refuser.email)).toHaveLength(0);

    // Read-only, with its statistics; a link to leave, without signing in.
    const sent = await orgAdmin.browser.get(page);
    expect(sent.text).toContain('Cette lettre est partie');
    expect(/data-stat="delivered"[^>]*>(\d+)</.exec(sent.html)?.[1]).toBe('2');
    expect((await orgAdmin.browser.post(`${page}/../new?_action=newsletters.save`, { ...Object.fromEntries(form), newsletter_id: id })).status).toBe(422);
    const link = /(https?:\/\/\S+\/fr\/unsubscribe\?token=\S+)/.exec(fanny[0]!.text ?? '')?.[1];
    expect(link).toBeDefined();
    const token = new URL(link!).searchParams.get('token')!;
    const left = await new Browser().post('/fr/unsubscribe', { token });
    expect(left.status).toBe(200);
    expect(left.text).toContain('Vous ne recevrez plus la lettre d’information');
    expect(/data-stat="unsubscribed"[^>]*>(\d+)</.exec((await orgAdmin.browser.get(page)).html)?.[1]).toBe('1');
    expect((await db`select newsletter_opt_in_at from public.profile_preferences where id = ${followers[0]!.id}`)[0]!['newsletter_opt_in_at']).toBeNull();
  });
});

describe('an audience by verification', () => {
  it('the verified people among the chosen recipients, counted before sending; a method that is no name is refused next to its field', async () => {
    const db = testDb();
    const people = await Promise.all([createConfirmedUser({ name: 'Vera' }), createConfirmedUser({ name: 'Victor' }), createConfirmedUser({ name: 'Nina' })]);
    for (const p of people) await db`update public.profile_preferences set newsletter_opt_in_at = now(), newsletter_answered_at = now() where id = ${p.id}`;
    const space = randomUUID();
    await db`insert into public.spaces (id, kind, slug, title, published_at) values (${space}, 'assembly', ${uniqueSlug('verif')}, ${db.json({ fr: 'Conseil des aînés' })}, now())`;
    await db`insert into public.space_follows (space_id, user_id) select ${space}, unnest(${people.map((p) => p.id)}::uuid[])`;
    await db`insert into public.verifications (user_id, method, granted_by) values (${people[0]!.id}, 'direct', ${orgAdmin.id}), (${people[1]!.id}, 'direct', ${orgAdmin.id})`;
    const form = new URLSearchParams({
      'subject.fr': 'Aux personnes vérifiées',
      'subject.en': 'To verified people',
      'block.0.type': 'text',
      'block.0.html.fr': '<p>Bonjour.</p>',
      'block.0.html.en': '<p>Hello.</p>',
      'audience.scope': 'followers',
      'audience.spaces': space,
    });
    const bad = new URLSearchParams(form);
    bad.append('audience.verifications', 'Not a method!');
    const refused = await orgAdmin.browser.post('/fr/admin/newsletters/new?_action=newsletters.save', bad);
    expect(refused.status).toBe(400);
    expect(refused.html).toMatch(/id="audience-verifications"[\s\S]*class="field__error"/);
    expect(await db`select 1 from public.newsletters where subject ->> 'fr' = 'Aux personnes vérifiées'`).toHaveLength(0);

    form.append('audience.verifications', 'direct');
    const saved = await orgAdmin.browser.post('/fr/admin/newsletters/new?_action=newsletters.save', form);
    expect(saved.status).toBe(303);
    const page = new URL(saved.location!, stack().siteUrl).pathname;
    const draft = await orgAdmin.browser.get(page);
    expect(draft.text).toContain('Cette lettre atteindrait aujourd’hui 2 personnes.');
    expect(draft.html).toMatch(/<input type="checkbox" name="audience.verifications" value="direct" checked/);
    const [stored] = await db<{ audience: unknown }[]>`select audience from public.newsletters where id = ${page.split('/').pop()!}`;
    expect(stored!.audience).toEqual({ scope: 'followers', spaces: [space], taxonomies: [], verifications: ['direct'] });
  });
});

describe('the newsletter question', () => {
  it('asked once of an account that never answered, then gone; at sign-up apart from the terms', async () => {
    const someone = await person('Nina Nouvelle');
    const home = await someone.browser.get('/fr/');
    expect(home.text).toContain('Souhaitez-vous recevoir la lettre d’information');
    const answered = await someone.browser.post('/fr/newsletter?_action=newsletters.answer&next=%2Ffr%2Fprocesses', { answer: 'yes' });
    expect(answered.status).toBe(303);
    expect(answered.location).toBe('/fr/processes');
    expect((await someone.browser.get('/fr/')).text).not.toContain('Souhaitez-vous recevoir la lettre d’information');
    const [prefs] = await testDb()`select newsletter_opt_in_at is not null as yes from public.profile_preferences where id = ${someone.id}`;
    expect(prefs).toEqual({ yes: true });
    // An answer that is neither: refused, nothing recorded.
    const other = await person('Omar Autre');
    expect((await other.browser.post('/fr/newsletter?_action=newsletters.answer', { answer: 'maybe' })).status).toBe(400);
    const signUp = await new Browser().get('/fr/sign-up');
    expect(signUp.text).toContain('Je souhaite recevoir la lettre d’information de la plateforme');
  });
});
