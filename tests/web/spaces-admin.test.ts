import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, createConfirmedUser, signedIn, waitForEmail, uniqueEmail } from './helpers.ts';
import {
  addPagesComponent,
  addPhase,
  claire,
  closeTestDb,
  createProcess,
  fieldError,
  postOk,
  publishComponent,
  publishSpace,
  testDb,
  tableText,
  uniqueSlug,
} from './spaces-helpers.ts';

/**
 * The admin flow through the running server, as a browser without JavaScript would do it:
 * Claire (organization admin) creates a process, its phases, a pages component with its body
 * and per-phase settings, publishes; anonymous visitors then see the process, its timeline and
 * the page. Bad input is answered with field errors and changes nothing.
 */

let admin: Browser;

beforeAll(async () => {
  admin = await claire();
});
afterAll(async () => {
  await closeTestDb();
});

const HOSTILE = [
  '<h2>Règlement</h2>',
  '<p onclick="steal()">Article 1 : <strong>tout le monde</strong> peut proposer.</p>',
  '<script>alert("xss")</script>',
  '<img src=x onerror="alert(1)">',
  '<a href="javascript:alert(1)">piège</a>',
  '<a href="https://example.org/reglement" onmouseover="x()">le règlement complet</a>',
  '<iframe src="https://evil.example"></iframe>',
  '<style>body{display:none}</style>',
].join('\n');

describe('admin flow: process → phases → pages component → publish → public', () => {
  const slug = uniqueSlug('flow');
  let spaceId: string;
  let componentId: string;
  let phaseIds: string[];

  it('Claire creates an unpublished process; nobody else sees it yet', async () => {
    spaceId = await createProcess(admin, {
      slug,
      title: 'Budget des quartiers',
      'subtitle.fr': 'Vos idées pour le quartier',
      'short_description.fr': '<p>Proposez, <em>votez</em>.</p><script>x()</script>',
      'description.fr': '<p>Une description <strong>riche</strong>.</p>',
      start_date: '2026-01-01',
      end_date: '2030-12-31',
    });
    const [row] = await testDb()<{ published_at: Date | null; short_description: { fr: string } }[]>`
      select published_at, short_description from public.spaces where id = ${spaceId}`;
    expect(row?.published_at).toBeNull();
    // Rich text was sanitised on the server before it was stored.
    expect(row?.short_description.fr).toBe('<p>Proposez, <em>votez</em>.</p>'); // a script loses its content too

    expect((await new Browser().get(`/fr/processes/${slug}`)).status).toBe(404);
    // The admin sees a preview.
    const preview = await admin.get(`/fr/processes/${slug}`);
    expect(preview.status).toBe(200);
    expect(preview.text).toContain("Aperçu : cet espace n'est pas publié");
  });

  it('adds three phases; the first one is active', async () => {
    await addPhase(admin, spaceId, { 'title.fr': 'Information', start_date: '2026-01-01', end_date: '2026-01-31' });
    await addPhase(admin, spaceId, {
      'title.fr': 'Propositions',
      'title.en': 'Proposals',
      'description.fr': '<p>Déposez vos idées.</p>',
      start_date: '2026-02-01',
      end_date: '2026-03-31',
      'cta_text.fr': 'Déposer une idée',
      cta_path: `/fr/processes/${slug}`,
    });
    await addPhase(admin, spaceId, { 'title.fr': 'Vote', start_date: '2026-04-01', end_date: '2026-05-31' });
    const phases = await testDb()<{ id: string; active: boolean; position: number }[]>`
      select id, active, position from public.phases where space_id = ${spaceId} order by position`;
    expect(phases.map((p) => p.active)).toEqual([true, false, false]);
    phaseIds = phases.map((p) => p.id);
  });

  it('reorders phases (move down, move up) and keeps positions unique', async () => {
    const third = phaseIds[2]!;
    await postOk(admin, `/fr/admin/spaces/${spaceId}/phases?_action=spaces.movePhase`, { phase_id: third, direction: 'up' });
    let order = await testDb()<{ id: string }[]>`select id from public.phases where space_id = ${spaceId} order by position`;
    expect(order.map((p) => p.id)).toEqual([phaseIds[0], phaseIds[2], phaseIds[1]]);
    await postOk(admin, `/fr/admin/spaces/${spaceId}/phases?_action=spaces.movePhase`, { phase_id: third, direction: 'down' });
    order = await testDb()<{ id: string }[]>`select id from public.phases where space_id = ${spaceId} order by position`;
    expect(order.map((p) => p.id)).toEqual(phaseIds);
  });

  it('adds a pages component with default settings for every phase', async () => {
    componentId = await addPagesComponent(admin, spaceId, 'Règlement');
    const [c] = await testDb()<{ published_at: Date | null; settings: unknown; phase_settings: Record<string, unknown> }[]>`
      select published_at, settings, phase_settings from public.components where id = ${componentId}`;
    expect(c?.published_at).toBeNull();
    expect(c?.settings).toEqual({ announcement: {}, comments_enabled: true, comments_max_length: 1000, alignment_enabled: false });
    expect(Object.keys(c?.phase_settings ?? {}).sort()).toEqual(['default', ...phaseIds].sort());
  });

  it('the generated settings form has a section per phase and "default"', async () => {
    const page = await admin.get(`/fr/admin/spaces/${spaceId}/components/${componentId}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('name="settings.announcement.fr"');
    expect(page.html).toContain('name="settings.announcement.en"');
    expect(page.html).toContain('name="phase.default.announcement.fr"');
    for (const id of phaseIds) expect(page.html).toContain(`name="phase.${id}.announcement.fr"`);
    expect(page.text).toContain('Par défaut');
    expect(page.text).toContain('Phase 2 : Propositions');
  });

  it('configures global and per-phase announcements', async () => {
    await postOk(admin, `/fr/admin/spaces/${spaceId}/components/${componentId}?_action=components.configure`, {
      component_id: componentId,
      'name.fr': 'Règlement du budget',
      'name.en': 'Budget rules',
      'settings.announcement.fr': '<p>Annonce générale</p>',
      'settings.comments_enabled': 'on',
      'settings.comments_max_length': '1000',
      'phase.default.announcement.fr': '',
      [`phase.${phaseIds[0]}.announcement.fr`]: '<p>Annonce de la phase information</p>',
      [`phase.${phaseIds[1]}.announcement.fr`]: '<p>Annonce de la phase propositions</p>',
      [`phase.${phaseIds[2]}.announcement.fr`]: '',
    });
    const [c] = await testDb()<{ name: unknown; settings: unknown; phase_settings: Record<string, unknown> }[]>`
      select name, settings, phase_settings from public.components where id = ${componentId}`;
    expect(c?.name).toEqual({ fr: 'Règlement du budget', en: 'Budget rules' });
    expect(c?.settings).toEqual({ announcement: { fr: '<p>Annonce générale</p>' }, comments_enabled: true, comments_max_length: 1000, alignment_enabled: false });
    expect(c?.phase_settings[phaseIds[1]!]).toEqual({ announcement: { fr: '<p>Annonce de la phase propositions</p>' }, comments_blocked: false });
    expect(c?.phase_settings['default']).toEqual({ announcement: {}, comments_blocked: false });
  });

  it('writes the page body; hostile HTML is sanitised before it is stored', async () => {
    const location = await postOk(admin, `/fr/admin/spaces/${spaceId}/components/${componentId}/manage?_action=pages.updatePage`, {
      component_id: componentId,
      'body.fr': HOSTILE,
      'body.en': '<p>Everyone may propose.</p>',
    });
    expect(location).toContain('status=content-saved');
    const [row] = await testDb()<{ body: { fr: string; en: string } }[]>`select body from public.pages where component_id = ${componentId}`;
    const stored = row?.body.fr ?? '';
    expect(stored).toContain('<h2>Règlement</h2>');
    expect(stored).toContain('<strong>tout le monde</strong>');
    expect(stored).toContain('<a href="https://example.org/reglement" rel="nofollow noopener">le règlement complet</a>');
    expect(stored).not.toMatch(/<script|<img|<iframe|<style|onclick|onerror|onmouseover|javascript:/i);
    expect(row?.body.en).toBe('<p>Everyone may propose.</p>');
    // The admin form shows the stored body back.
    const manage = await admin.get(location);
    expect(manage.status).toBe(200);
    expect(manage.text).toContain('Le contenu a été enregistré.');
    expect(manage.html).toContain('Everyone may propose.');
  });

  it('publishes the component and the process', async () => {
    await publishComponent(admin, spaceId, componentId);
    await publishSpace(admin, spaceId);
    const [s] = await testDb()<{ published_at: Date | null }[]>`select published_at from public.spaces where id = ${spaceId}`;
    expect(s?.published_at).toBeInstanceOf(Date);
  });

  it('an anonymous visitor sees the process, its phase timeline and its components', async () => {
    const page = await new Browser().get(`/fr/processes/${slug}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Budget des quartiers');
    expect(page.text).toContain('Vos idées pour le quartier');
    expect(page.text).not.toContain('Aperçu');
    // Phases: an ordered list, the active one marked for assistive technologies.
    const timeline = /<ol class="timeline"[\s\S]*?<\/ol>/.exec(page.html)?.[0] ?? '';
    expect(timeline).not.toBe('');
    const steps = timeline.match(/<li[^>]*>/g) ?? [];
    expect(steps).toHaveLength(3);
    expect(steps.filter((li) => li.includes('aria-current="step"'))).toHaveLength(1);
    expect(steps[0]).toContain('aria-current="step"');
    expect(page.html).toContain(`href="/fr/processes/${slug}/f/${componentId}"`);
    expect(page.text).toContain('Règlement du budget');
    // Listed with the published processes.
    const list = await new Browser().get('/fr/processes?filter=all');
    expect(list.html).toContain(`href="/fr/processes/${slug}"`);
  });

  it('the page is rendered sanitised, with the announcements of the active phase', async () => {
    const page = await new Browser().get(`/fr/processes/${slug}/f/${componentId}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Règlement du budget');
    expect(page.text).toContain('tout le monde peut proposer');
    expect(page.text).toContain('Annonce générale');
    expect(page.text).toContain('Annonce de la phase information');
    expect(page.text).not.toContain('Annonce de la phase propositions');
    const body = /<div class="prose page-body[^"]*"[^>]*>[\s\S]*?<\/div>/.exec(page.html)?.[0] ?? '';
    expect(body).toContain('<strong>tout le monde</strong>');
    expect(page.html).not.toMatch(/<script>alert|onerror=|onclick=|onmouseover=|href="javascript:|<iframe/i);
    const en = await new Browser().get(`/en/processes/${slug}/f/${componentId}`);
    expect(en.text).toContain('Budget rules');
    expect(en.text).toContain('Everyone may propose.');
    // No English announcement: the organization's default locale (French) stands in.
    expect(en.text).toContain('Annonce générale');
  });

  it('activating another phase switches the settings in force', async () => {
    await postOk(admin, `/fr/admin/spaces/${spaceId}/phases?_action=spaces.activatePhase`, { phase_id: phaseIds[1]! });
    const page = await new Browser().get(`/fr/processes/${slug}/f/${componentId}`);
    expect(page.text).toContain('Annonce de la phase propositions');
    expect(page.text).not.toContain('Annonce de la phase information');
    const process = await new Browser().get(`/fr/processes/${slug}`);
    const steps = /<ol class="timeline"[\s\S]*?<\/ol>/.exec(process.html)?.[0].match(/<li[^>]*>/g) ?? [];
    expect(steps[1]).toContain('aria-current="step"');
    // The active phase shows its call to action.
    expect(process.html).toMatch(new RegExp(`<a class="btn-cta[^"]*" href="/fr/processes/${slug}"[^>]*>\\s*Déposer une idée`));
  });

  it('the action log records every step, filterable by space and action', async () => {
    const log = await admin.get(`/fr/admin/log?space=${spaceId}`);
    expect(log.status).toBe(200);
    const entries = tableText(log);
    expect(entries).toContain('Création');
    expect(entries).toContain('Publication');
    expect(entries).toContain('Activation');
    expect(entries).toContain('Claire Admin');
    expect(entries).toContain('Phase « Propositions »');
    const publishes = tableText(await admin.get(`/fr/admin/log?space=${spaceId}&action=publish`));
    expect(publishes).toContain('Publication');
    expect(publishes).not.toContain('Création');
    const rows = await testDb()<{ action: string; resource_type: string }[]>`
      select action, resource_type from public.action_log where space_id = ${spaceId} order by id`;
    expect(rows.map((r) => `${r.action}:${r.resource_type}`)).toEqual(
      expect.arrayContaining(['insert:spaces', 'insert:phases', 'insert:components', 'update:components', 'insert:pages', 'publish:components', 'publish:spaces', 'activate:phases']),
    );
  });

  it('unpublishing the component hides it from visitors again', async () => {
    await publishComponent(admin, spaceId, componentId, false);
    expect((await new Browser().get(`/fr/processes/${slug}/f/${componentId}`)).status).toBe(404);
    const preview = await admin.get(`/fr/processes/${slug}/f/${componentId}`);
    expect(preview.status).toBe(200);
    expect(preview.text).toContain("ce composant n'est pas publié");
  });
});

describe('bad input: clear field errors, 4xx, nothing changed', () => {
  let spaceId: string;
  const slug = uniqueSlug('bad');

  beforeAll(async () => {
    spaceId = await createProcess(admin, { slug });
  });

  it('a duplicate slug is a field error on the slug', async () => {
    const page = await admin.post('/fr/admin/processes/new?_action=spaces.createProcess', { slug, 'title.fr': 'Doublon' });
    expect(page.status).toBe(422);
    expect(fieldError(page, 'space-slug')).toContain('Cet identifiant est déjà utilisé');
    expect(page.html).toMatch(/id="space-slug"[^>]*aria-invalid="true"/);
    expect(page.html).toContain('href="#space-slug"');
    // What was typed comes back.
    expect(page.html).toContain('value="Doublon"');
    const [n] = await testDb()<{ n: number }[]>`select count(*)::int as n from public.spaces where kind = 'process' and slug = ${slug}`;
    expect(n?.n).toBe(1);
  });

  it('a malformed slug and a missing title are field errors', async () => {
    const page = await admin.post('/fr/admin/processes/new?_action=spaces.createProcess', { slug: 'Pas Bon!', 'title.fr': '', 'title.en': '  ' });
    expect(page.status).toBe(400);
    expect(fieldError(page, 'space-slug')).toContain('minuscules sans accent');
    expect(fieldError(page, 'space-title')).toContain('Ce champ est obligatoire.');
  });

  it('process dates in reverse order: field error on the end date, nothing saved', async () => {
    const page = await admin.post(`/fr/admin/spaces/${spaceId}?_action=spaces.updateProcess`, {
      space_id: spaceId,
      slug,
      'title.fr': 'Changé',
      start_date: '2027-06-01',
      end_date: '2027-01-01',
    });
    expect(page.status).toBe(400);
    expect(fieldError(page, 'space-end_date')).toContain('La date de fin doit être postérieure ou égale à la date de début.');
    const [row] = await testDb()<{ title: { fr: string } }[]>`select title from public.spaces where id = ${spaceId}`;
    expect(row?.title.fr).not.toBe('Changé');
  });

  it('phase dates in reverse order: field error on the end date, no phase added', async () => {
    const page = await admin.post(`/fr/admin/spaces/${spaceId}/phases?_action=spaces.addPhase`, {
      space_id: spaceId,
      'title.fr': 'À l’envers',
      start_date: '2027-03-10',
      end_date: '2027-03-01',
    });
    expect(page.status).toBe(400);
    expect(fieldError(page, 'phase-end_date')).toContain('La date de fin doit être postérieure ou égale à la date de début.');
    expect(page.html).toContain('value="À l’envers"');
    const [n] = await testDb()<{ n: number }[]>`select count(*)::int as n from public.phases where space_id = ${spaceId}`;
    expect(n?.n).toBe(0);
  });

  it('an invalid date and a javascript: link are field errors', async () => {
    const page = await admin.post(`/fr/admin/spaces/${spaceId}/phases?_action=spaces.addPhase`, {
      space_id: spaceId,
      'title.fr': 'Phase',
      start_date: '2027-02-30',
      cta_path: 'javascript:alert(1)',
    });
    expect(page.status).toBe(400);
    expect(fieldError(page, 'phase-start_date')).toContain('Saisissez une date valide');
    expect(fieldError(page, 'phase-cta_path')).toContain('Saisissez une adresse commençant par https://');
  });

  it('invalid settings are field errors under their field; nothing is saved', async () => {
    const componentId = await addPagesComponent(admin, spaceId, 'Infos');
    const page = await admin.post(`/fr/admin/spaces/${spaceId}/components/${componentId}?_action=components.configure`, {
      component_id: componentId,
      'name.fr': 'Nouveau nom',
      'settings.announcement.fr': 'x'.repeat(5001),
      'phase.default.announcement.en': 'y'.repeat(6000),
    });
    expect(page.status).toBe(400);
    expect(fieldError(page, 'settings-announcement')).toContain('Saisissez au plus 5000 caractères.');
    expect(fieldError(page, 'phase-default-announcement')).toContain('Saisissez au plus 5000 caractères.');
    expect(page.html).toContain('href="#settings-announcement-fr"');
    const [c] = await testDb()<{ name: { fr: string }; settings: unknown }[]>`select name, settings from public.components where id = ${componentId}`;
    expect(c?.name.fr).toBe('Infos');
    expect(c?.settings).toEqual({ announcement: {}, comments_enabled: true, comments_max_length: 1000, alignment_enabled: false });
    // A component without a name is refused too.
    const noName = await admin.post(`/fr/admin/spaces/${spaceId}/components/${componentId}?_action=components.configure`, {
      component_id: componentId,
      'name.fr': '',
    });
    expect(noName.status).toBe(400);
    expect(fieldError(noName, 'component-name')).toContain('Ce champ est obligatoire.');
  });

  it('an unknown feature cannot be added', async () => {
    const page = await admin.post(`/fr/admin/spaces/${spaceId}/components?_action=components.add`, {
      space_id: spaceId,
      feature: 'bitcoin_mining',
      'name.fr': 'Non',
    });
    expect(page.status).toBe(422);
    expect(fieldError(page, 'component-feature')).toContain('Choisissez une des options proposées.');
  });

  it('granting a role to an unknown person is a field error', async () => {
    const page = await admin.post(`/fr/admin/spaces/${spaceId}/people?_action=spaces.grantRole`, {
      space_id: spaceId,
      identifier: uniqueEmail('nobody'),
      role: 'collaborator',
    });
    expect(page.status).toBe(422);
    expect(fieldError(page, 'role-identifier')).toContain('Aucun compte ne correspond');
  });

  it('deleting needs the slug typed again', async () => {
    const page = await admin.post(`/fr/admin/spaces/${spaceId}?_action=spaces.deleteSpace`, { space_id: spaceId, confirm_slug: 'autre-chose' });
    expect(page.status).toBe(422);
    expect(fieldError(page, 'delete-confirm_slug')).toContain("L'identifiant saisi ne correspond pas");
    const [n] = await testDb()<{ n: number }[]>`select count(*)::int as n from public.spaces where id = ${spaceId}`;
    expect(n?.n).toBe(1);
  });

  it('English forms answer in English', async () => {
    const page = await admin.post('/en/admin/processes/new?_action=spaces.createProcess', { slug, 'title.fr': 'Duplicate' });
    expect(page.status).toBe(422);
    expect(page.lang).toBe('en');
    expect(fieldError(page, 'space-slug')).toContain('This identifier is already used by another space.');
  });
});

describe('who may see and do what', () => {
  let participant: Awaited<ReturnType<typeof createConfirmedUser>>;
  let collaborator: Awaited<ReturnType<typeof createConfirmedUser>>;
  let participantBrowser: Browser;
  let collaboratorBrowser: Browser;
  const slug = uniqueSlug('hidden');
  let spaceId: string;

  beforeAll(async () => {
    [participant, collaborator] = await Promise.all([createConfirmedUser({ name: 'Paula Participante' }), createConfirmedUser({ name: 'Colin Collaborateur' })]);
    [participantBrowser, collaboratorBrowser] = await Promise.all([signedIn(participant.email, participant.password), signedIn(collaborator.email, collaborator.password)]);
    spaceId = await createProcess(admin, { slug, title: 'Processus en préparation' });
    await postOk(admin, `/fr/admin/spaces/${spaceId}/people?_action=spaces.grantRole`, {
      space_id: spaceId,
      identifier: collaborator.email.toUpperCase(),
      role: 'collaborator',
    });
  });

  it('an unpublished process is a 404 for anonymous visitors and participants, a preview for its collaborator', async () => {
    expect((await new Browser().get(`/fr/processes/${slug}`)).status).toBe(404);
    expect((await participantBrowser.get(`/fr/processes/${slug}`)).status).toBe(404);
    const preview = await collaboratorBrowser.get(`/fr/processes/${slug}`);
    expect(preview.status).toBe(200);
    expect(preview.text).toContain('Processus en préparation');
    expect(preview.text).toContain("Aperçu : cet espace n'est pas publié");
    // Not in public lists, even for the collaborator.
    expect((await collaboratorBrowser.get('/fr/processes?filter=all')).html).not.toContain(`/fr/processes/${slug}"`);
  });

  it('an unpublished component of a published process: 404 for visitors, preview for the collaborator', async () => {
    const componentId = await addPagesComponent(admin, spaceId, 'Brouillon');
    await publishSpace(admin, spaceId);
    expect((await new Browser().get(`/fr/processes/${slug}`)).status).toBe(200);
    expect((await new Browser().get(`/fr/processes/${slug}/f/${componentId}`)).status).toBe(404);
    expect((await participantBrowser.get(`/fr/processes/${slug}/f/${componentId}`)).status).toBe(404);
    const preview = await collaboratorBrowser.get(`/fr/processes/${slug}/f/${componentId}`);
    expect(preview.status).toBe(200);
    expect(preview.text).toContain("ce composant n'est pas publié");
    // The process page lists it for the collaborator only.
    expect((await new Browser().get(`/fr/processes/${slug}`)).html).not.toContain(componentId);
    expect((await collaboratorBrowser.get(`/fr/processes/${slug}`)).html).toContain(componentId);
    await publishSpace(admin, spaceId, false);
  });

  it('a participant gets 403 on the admin area; an anonymous visitor is sent to sign in', async () => {
    for (const path of ['/fr/admin', '/fr/admin/processes', '/fr/admin/processes/new', `/fr/admin/spaces/${spaceId}`, '/fr/admin/taxonomies', '/fr/admin/organization', '/fr/admin/log']) {
      const page = await participantBrowser.get(path);
      expect(page.status, path).toBe(403);
      expect(page.text, path).toContain('Accès refusé');
      const anon = await new Browser().get(path);
      expect(anon.status, path).toBe(303);
      expect(anon.location, path).toBe(`/fr/sign-in?next=${encodeURIComponent(path)}`);
    }
    // A collaborator holds a role but not the admin one.
    expect((await collaboratorBrowser.get('/fr/admin')).status).toBe(403);
    // No "Administration" entry in their menu; Claire has one.
    expect((await participantBrowser.get('/fr/')).html).not.toContain('href="/fr/admin"');
    expect((await admin.get('/fr/')).html).toContain('href="/fr/admin"');
  });

  it("a participant's admin posts are refused and change nothing", async () => {
    const create = await participantBrowser.post('/fr/admin/processes/new?_action=spaces.createProcess', { slug: uniqueSlug('intrus'), 'title.fr': 'Intrus' });
    expect(create.status).toBe(403);
    const publish = await participantBrowser.post(`/fr/admin/spaces/${spaceId}?_action=spaces.publishSpace`, { space_id: spaceId, publish: 'true' });
    expect(publish.status).toBe(403);
    const org = await participantBrowser.post('/fr/admin/organization?_action=organization.update', {
      'name.fr': 'Piratée',
      default_locale: 'fr',
      color_primary: '#000000',
      color_secondary: '#000000',
      time_zone: 'Europe/Paris',
    });
    expect(org.status).toBe(403);
    const [s] = await testDb()<{ published_at: Date | null }[]>`select published_at from public.spaces where id = ${spaceId}`;
    expect(s?.published_at).toBeNull();
    const [o] = await testDb()<{ name: { fr: string } }[]>`select name from public.organization`;
    expect(o?.name.fr).not.toBe('Piratée');
  });

  it('a space admin manages their space only', async () => {
    const spaceAdmin = await createConfirmedUser({ name: 'Sacha Admin' });
    await postOk(admin, `/fr/admin/spaces/${spaceId}/people?_action=spaces.grantRole`, { space_id: spaceId, identifier: spaceAdmin.email, role: 'admin' });
    const b = await signedIn(spaceAdmin.email, spaceAdmin.password);
    const dashboard = await b.get('/fr/admin');
    expect(dashboard.status).toBe(200);
    expect(dashboard.text).toContain('Processus en préparation');
    // Organization-level pages stay closed.
    expect((await b.get('/fr/admin/taxonomies')).status).toBe(403);
    expect((await b.get('/fr/admin/processes/new')).status).toBe(403);
    // Their space: yes. Another space: no, and the write is refused.
    expect((await b.get(`/fr/admin/spaces/${spaceId}/phases`)).status).toBe(200);
    await addPhase(b, spaceId, { 'title.fr': 'Phase ajoutée par Sacha' });
    const otherSlug = uniqueSlug('other');
    const otherId = await createProcess(admin, { slug: otherSlug });
    expect((await b.get(`/fr/admin/spaces/${otherId}`)).status).toBe(403);
    const write = await b.post(`/fr/admin/spaces/${otherId}?_action=spaces.updateProcess`, { space_id: otherId, slug: otherSlug, 'title.fr': 'Détourné' });
    expect(write.status).toBe(403);
    const [row] = await testDb()<{ title: { fr: string } }[]>`select title from public.spaces where id = ${otherId}`;
    expect(row?.title.fr).not.toBe('Détourné');
  });

  it('private spaces: members see them; an unknown address is invited by email', async () => {
    const privateSlug = uniqueSlug('prive');
    const privateId = await createProcess(admin, { slug: privateSlug, title: 'Comité privé', private: 'on' });
    await publishSpace(admin, privateId);
    expect((await new Browser().get(`/fr/processes/${privateSlug}`)).status).toBe(404);
    expect((await participantBrowser.get(`/fr/processes/${privateSlug}`)).status).toBe(404);

    const added = await postOk(admin, `/fr/admin/spaces/${privateId}/people?_action=spaces.inviteMember`, { space_id: privateId, email: participant.email });
    expect(added).toContain('status=member-added');
    const seen = await participantBrowser.get(`/fr/processes/${privateSlug}`);
    expect(seen.status).toBe(200);
    expect(seen.text).toContain('Espace privé');

    const newcomer = uniqueEmail('invite');
    const invited = await postOk(admin, `/fr/admin/spaces/${privateId}/people?_action=spaces.inviteMember`, { space_id: privateId, email: newcomer });
    expect(invited).toContain('status=member-invited');
    const mail = await waitForEmail(newcomer);
    expect(mail.subject).toMatch(/invit/i);
    const people = await admin.get(`/fr/admin/spaces/${privateId}/people`);
    expect(people.text).toContain(newcomer);
    expect(people.text).toContain('invitation envoyée, pas encore acceptée');
    const again = await admin.post(`/fr/admin/spaces/${privateId}/people?_action=spaces.inviteMember`, { space_id: privateId, email: newcomer });
    expect(again.status).toBe(422);
    expect(fieldError(again, 'member-email')).toContain('déjà membre');
  });
});

describe('the other admin actions: edit, delete, reorder, revoke', () => {
  it('edits and deletes phases; deleting the active phase hands activity to the first remaining one', async () => {
    const slug = uniqueSlug('phases');
    const spaceId = await createProcess(admin, { slug });
    await addPhase(admin, spaceId, { 'title.fr': 'Un' });
    await addPhase(admin, spaceId, { 'title.fr': 'Deux' });
    const [one, two] = await testDb()<{ id: string }[]>`select id from public.phases where space_id = ${spaceId} order by position`;
    const edit = await admin.get(`/fr/admin/spaces/${spaceId}/phases/${two!.id}`);
    expect(edit.status).toBe(200);
    expect(edit.html).toContain('value="Deux"');
    await postOk(admin, `/fr/admin/spaces/${spaceId}/phases/${two!.id}?_action=spaces.updatePhase`, {
      phase_id: two!.id,
      'title.fr': 'Deux (modifiée)',
      start_date: '2027-01-01',
      end_date: '2027-02-01',
    });
    const reversed = await admin.post(`/fr/admin/spaces/${spaceId}/phases/${two!.id}?_action=spaces.updatePhase`, {
      phase_id: two!.id,
      'title.fr': 'Deux',
      start_date: '2027-03-01',
      end_date: '2027-02-01',
    });
    expect(reversed.status).toBe(400);
    expect(fieldError(reversed, 'phase-end_date')).toContain('La date de fin doit être postérieure');
    await postOk(admin, `/fr/admin/spaces/${spaceId}/phases?_action=spaces.deletePhase`, { phase_id: one!.id, confirm: 'yes' });
    const rest = await testDb()<{ title: { fr: string }; active: boolean; end_date: string }[]>`
      select title, active, end_date::text from public.phases where space_id = ${spaceId}`;
    expect(rest).toEqual([{ title: { fr: 'Deux (modifiée)' }, active: true, end_date: '2027-02-01' }]);
  });

  it('reorders and deletes components', async () => {
    const spaceId = await createProcess(admin, { slug: uniqueSlug('comps') });
    const a = await addPagesComponent(admin, spaceId, 'A');
    const b = await addPagesComponent(admin, spaceId, 'B');
    const order = async () => (await testDb()<{ id: string }[]>`select id from public.components where space_id = ${spaceId} order by weight, created_at`).map((r) => r.id);
    expect(await order()).toEqual([a, b]);
    await postOk(admin, `/fr/admin/spaces/${spaceId}/components?_action=components.move`, { component_id: b, direction: 'up' });
    expect(await order()).toEqual([b, a]);
    // Moving the first one up changes nothing.
    await postOk(admin, `/fr/admin/spaces/${spaceId}/components?_action=components.move`, { component_id: b, direction: 'up' });
    expect(await order()).toEqual([b, a]);
    const list = await admin.get(`/fr/admin/spaces/${spaceId}/components`);
    expect(tableText(list)).toMatch(/^B Page .* A Page /);
    await postOk(admin, `/fr/admin/spaces/${spaceId}/components/${b}/manage?_action=pages.updatePage`, { component_id: b, 'body.fr': '<p>B</p>' });
    await postOk(admin, `/fr/admin/spaces/${spaceId}/components?_action=components.delete`, { component_id: b, confirm: 'yes' });
    expect(await order()).toEqual([a]);
    const [pages] = await testDb()<{ n: number }[]>`select count(*)::int as n from public.pages where component_id = ${b}`;
    expect(pages?.n).toBe(0);
  });

  it('revokes roles and removes members', async () => {
    const spaceId = await createProcess(admin, { slug: uniqueSlug('people'), private: 'on' });
    const person = await createConfirmedUser({ name: 'Rita Rôle' });
    await postOk(admin, `/fr/admin/spaces/${spaceId}/people?_action=spaces.grantRole`, { space_id: spaceId, identifier: person.email, role: 'moderator' });
    const duplicate = await admin.post(`/fr/admin/spaces/${spaceId}/people?_action=spaces.grantRole`, { space_id: spaceId, identifier: person.email, role: 'moderator' });
    expect(duplicate.status).toBe(422);
    expect(fieldError(duplicate, 'role-identifier')).toContain('a déjà ce rôle');
    await postOk(admin, `/fr/admin/spaces/${spaceId}/people?_action=spaces.inviteMember`, { space_id: spaceId, email: person.email });
    const people = await admin.get(`/fr/admin/spaces/${spaceId}/people`);
    expect(tableText(people)).toContain('Rita Rôle');
    expect(tableText(people)).toContain('Modérateur·rice');
    await postOk(admin, `/fr/admin/spaces/${spaceId}/people?_action=spaces.revokeRole`, { space_id: spaceId, user_id: person.id, role: 'moderator', confirm: 'yes' });
    await postOk(admin, `/fr/admin/spaces/${spaceId}/people?_action=spaces.removeMember`, { space_id: spaceId, user_id: person.id, confirm: 'yes' });
    const [counts] = await testDb()<{ roles: number; members: number }[]>`
      select (select count(*) from public.space_roles where space_id = ${spaceId})::int as roles,
             (select count(*) from public.space_members where space_id = ${spaceId})::int as members`;
    expect(counts).toEqual({ roles: 0, members: 0 });
    // Revoking what is not there is a 404, not a success.
    const again = await admin.post(`/fr/admin/spaces/${spaceId}/people?_action=spaces.revokeRole`, { space_id: spaceId, user_id: person.id, role: 'moderator', confirm: 'yes' });
    expect(again.status).toBe(404);
  });

  it('deletes a whole space with the slug typed again; the log keeps the deletion', async () => {
    const slug = uniqueSlug('adieu');
    const spaceId = await createProcess(admin, { slug });
    await addPhase(admin, spaceId, { 'title.fr': 'Seule phase' });
    const componentId = await addPagesComponent(admin, spaceId, 'Page');
    await postOk(admin, `/fr/admin/spaces/${spaceId}/components/${componentId}/manage?_action=pages.updatePage`, { component_id: componentId, 'body.fr': '<p>x</p>' });
    const location = await postOk(admin, `/fr/admin/spaces/${spaceId}?_action=spaces.deleteSpace`, { space_id: spaceId, confirm_slug: slug });
    expect(location).toBe('/fr/admin/processes?status=deleted');
    expect((await admin.get(location)).text).toContain("L'espace a été supprimé.");
    const [left] = await testDb()<{ spaces: number; components: number; phases: number }[]>`
      select (select count(*) from public.spaces where id = ${spaceId})::int as spaces,
             (select count(*) from public.components where id = ${componentId})::int as components,
             (select count(*) from public.phases where space_id = ${spaceId})::int as phases`;
    expect(left).toEqual({ spaces: 0, components: 0, phases: 0 });
    const log = await testDb()<{ action: string }[]>`select action from public.action_log where resource_type = 'spaces' and resource_id = ${spaceId} order by id`;
    expect(log.map((l) => l.action)).toEqual(['insert', 'delete']);
    expect((await admin.get(`/fr/admin/spaces/${spaceId}`)).status).toBe(404);
  });
});
