import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from './helpers.ts';
import {
  addPagesComponent,
  claire,
  closeTestDb,
  createProcess,
  fieldError,
  postOk,
  publishComponent,
  publishSpace,
  spaceIdFrom,
  testDb,
  uniqueSlug,
} from './spaces-helpers.ts';

/**
 * What citizens browse: process lists filtered by period and taxonomy, assemblies and their
 * nesting, the home page; and the organization-level admin forms (taxonomies, settings).
 */

let admin: Browser;

beforeAll(async () => {
  admin = await claire();
});
afterAll(async () => {
  await closeTestDb();
});

async function createTaxonomy(name: string, parentId = ''): Promise<string> {
  await postOk(admin, '/fr/admin/taxonomies?_action=taxonomies.create', { 'name.fr': name, 'name.en': `${name} (en)`, parent_id: parentId, weight: '0' });
  const [row] = await testDb()<{ id: string }[]>`select id from public.taxonomies where name ->> 'fr' = ${name} order by created_at desc limit 1`;
  if (!row) throw new Error(`taxonomy ${name} not found`);
  return row.id;
}

const processLinks = (page: { html: string }) => [...page.html.matchAll(/href="\/fr\/processes\/([a-z0-9-]+)"/g)].map((m) => m[1]);

describe('processes list: filters by period and taxonomy', () => {
  const tag = uniqueSlug('t');
  const active = uniqueSlug('actif');
  const upcoming = uniqueSlug('avenir');
  const past = uniqueSlug('passe');
  let parentId: string;
  let childId: string;

  beforeAll(async () => {
    parentId = await createTaxonomy(`Quartiers ${tag}`);
    childId = await createTaxonomy(`Centre ${tag}`, parentId);
    const ids = await Promise.all([
      createProcess(admin, { slug: active, start_date: '2020-01-01', end_date: '2099-12-31', taxonomies: childId }),
      createProcess(admin, { slug: upcoming, start_date: '2098-01-01', end_date: '2099-01-01' }),
      createProcess(admin, { slug: past, start_date: '2000-01-01', end_date: '2000-12-31', taxonomies: childId }),
    ]);
    for (const id of ids) await publishSpace(admin, id);
  });

  it('active, upcoming and past follow the dates', async () => {
    const b = new Browser();
    const activeList = processLinks(await b.get('/fr/processes?filter=active'));
    expect(activeList).toContain(active);
    expect(activeList).not.toContain(upcoming);
    expect(activeList).not.toContain(past);
    expect(processLinks(await b.get('/fr/processes?filter=upcoming'))).toEqual(expect.arrayContaining([upcoming]));
    expect(processLinks(await b.get('/fr/processes?filter=upcoming'))).not.toContain(active);
    const pastList = processLinks(await b.get('/fr/processes?filter=past'));
    expect(pastList).toContain(past);
    expect(pastList).not.toContain(active);
    const all = processLinks(await b.get('/fr/processes?filter=all'));
    expect(all).toEqual(expect.arrayContaining([active, upcoming, past]));
    // The default view is the ongoing processes.
    expect(processLinks(await b.get('/fr/processes'))).toContain(active);
  });

  it('a taxonomy filters with its descendants', async () => {
    const b = new Browser();
    const byParent = processLinks(await b.get(`/fr/processes?filter=all&taxonomy=${parentId}`));
    expect(byParent.sort()).toEqual([active, past].sort());
    const byChild = processLinks(await b.get(`/fr/processes?filter=past&taxonomy=${childId}`));
    expect(byChild).toEqual([past]);
    const page = await b.get(`/fr/processes?filter=all&taxonomy=${parentId}`);
    expect(page.text).toContain('Tous (2)');
    expect(page.html).toMatch(new RegExp(`<option value="${parentId}" selected`));
    // The process page links its taxonomies to the filtered list.
    const processPage = await b.get(`/fr/processes/${active}`);
    expect(processPage.html).toContain(`/fr/processes?filter=all&amp;taxonomy=${childId}`);
    expect(processPage.text).toContain(`Centre ${tag}`);
  });

  it('unknown filters are ignored, not errors', async () => {
    const b = new Browser();
    for (const q of ['filter=<script>', 'taxonomy=not-a-uuid', 'taxonomy=00000000-0000-4000-8000-000000000000&filter=all']) {
      const page = await b.get(`/fr/processes?${q}`);
      expect(page.status, q).toBe(200);
      expect(page.html).not.toContain('<script>');
    }
  });

  it('lists are translated, with the default locale as fallback for untranslated texts', async () => {
    const slug = uniqueSlug('fr-seulement');
    const id = await postOk(admin, '/fr/admin/processes/new?_action=spaces.createProcess', { slug, 'title.fr': 'Titre seulement en français' }).then(spaceIdFrom);
    await publishSpace(admin, id);
    const en = await new Browser().get(`/en/processes/${slug}`);
    expect(en.status).toBe(200);
    expect(en.lang).toBe('en');
    expect(en.text).toContain('Titre seulement en français');
    expect(en.text).toContain('Phases');
  });
});

describe('taxonomies admin', () => {
  it('creates a hierarchy and refuses a loop with a field error', async () => {
    const tag = uniqueSlug('tx');
    const root = await createTaxonomy(`Racine ${tag}`);
    const child = await createTaxonomy(`Enfant ${tag}`, root);
    const list = await admin.get('/fr/admin/taxonomies');
    expect(list.text).toContain(`Racine ${tag}`);
    expect(list.text).toContain(`Enfant ${tag}`);
    const loop = await admin.post(`/fr/admin/taxonomies/${root}?_action=taxonomies.update`, {
      taxonomy_id: root,
      'name.fr': `Racine ${tag}`,
      parent_id: child,
      weight: '0',
    });
    expect(loop.status).toBe(422);
    expect(fieldError(loop, 'taxonomy-parent_id')).toContain('ne peut pas être placée sous elle-même');
    const noName = await admin.post('/fr/admin/taxonomies?_action=taxonomies.create', { 'name.fr': ' ', weight: 'beaucoup' });
    expect(noName.status).toBe(400);
    expect(fieldError(noName, 'taxonomy-name')).toContain('Ce champ est obligatoire.');
    expect(fieldError(noName, 'taxonomy-weight')).toContain('Saisissez un nombre entier.');
    await postOk(admin, '/fr/admin/taxonomies?_action=taxonomies.delete', { taxonomy_id: root, confirm: 'yes' });
    const [n] = await testDb()<{ n: number }[]>`select count(*)::int as n from public.taxonomies where id in (${root}, ${child})`;
    expect(n?.n).toBe(0);
  });
});

describe('assemblies', () => {
  const parentSlug = uniqueSlug('conseil');
  const childSlug = uniqueSlug('commission');
  let parentId: string;
  let childId: string;

  beforeAll(async () => {
    parentId = spaceIdFrom(
      await postOk(admin, '/fr/admin/assemblies/new?_action=spaces.createAssembly', {
        slug: parentSlug,
        'title.fr': 'Conseil des habitants',
        'purpose.fr': '<p>Donner la parole aux habitants.</p>',
        'composition.fr': '<p>24 membres tirés au sort.</p>',
        assembly_type: 'Conseil de quartier',
      }),
    );
    childId = spaceIdFrom(
      await postOk(admin, '/fr/admin/assemblies/new?_action=spaces.createAssembly', {
        slug: childSlug,
        'title.fr': 'Commission mobilités',
        parent_id: parentId,
      }),
    );
    await publishSpace(admin, parentId);
    await publishSpace(admin, childId);
  });

  it('the list shows top-level assemblies; a page shows purpose, composition and nesting', async () => {
    const b = new Browser();
    const list = await b.get('/fr/assemblies');
    expect(list.status).toBe(200);
    expect(list.html).toContain(`href="/fr/assemblies/${parentSlug}"`);
    expect(list.html).not.toContain(`href="/fr/assemblies/${childSlug}"`);
    const parent = await b.get(`/fr/assemblies/${parentSlug}`);
    expect(parent.text).toContain('Donner la parole aux habitants.');
    expect(parent.text).toContain('24 membres tirés au sort.');
    expect(parent.text).toContain('Conseil de quartier');
    expect(parent.text).toContain('Assemblées rattachées');
    expect(parent.html).toContain(`href="/fr/assemblies/${childSlug}"`);
    const child = await b.get(`/fr/assemblies/${childSlug}`);
    expect(child.text).toContain('Rattachée à Conseil des habitants');
    // A process slug is not an assembly.
    expect((await b.get(`/fr/processes/${parentSlug}`)).status).toBe(404);
  });

  it('an assembly cannot be nested in its own descendant', async () => {
    const page = await admin.post(`/fr/admin/spaces/${parentId}?_action=spaces.updateAssembly`, {
      space_id: parentId,
      slug: parentSlug,
      'title.fr': 'Conseil des habitants',
      parent_id: childId,
    });
    expect(page.status).toBe(422);
    expect(fieldError(page, 'space-parent_id')).toContain('ne peut pas être rattachée à elle-même');
  });

  it('components work the same in assemblies', async () => {
    const componentId = await addPagesComponent(admin, parentId, 'Fonctionnement');
    await postOk(admin, `/fr/admin/spaces/${parentId}/components/${componentId}/manage?_action=pages.updatePage`, {
      component_id: componentId,
      'body.fr': '<p>Le conseil se réunit chaque mois.</p>',
    });
    await publishComponent(admin, parentId, componentId);
    const page = await new Browser().get(`/fr/assemblies/${parentSlug}/f/${componentId}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Le conseil se réunit chaque mois.');
    // The component belongs to this assembly only.
    expect((await new Browser().get(`/fr/assemblies/${childSlug}/f/${componentId}`)).status).toBe(404);
    expect((await new Browser().get(`/fr/assemblies/${parentSlug}/f/not-a-uuid`)).status).toBe(404);
    expect((await new Browser().get(`/fr/assemblies/${parentSlug}/f/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
  });
});

describe('home page', () => {
  it('shows promoted processes and the statistics, in each language', async () => {
    const slug = uniqueSlug('une');
    const id = await createProcess(admin, { slug, title: 'Processus à la une', promoted: 'on', start_date: '2020-01-01' });
    await publishSpace(admin, id);
    const fr = await new Browser().get('/fr/');
    expect(fr.status).toBe(200);
    expect(fr.text).toContain('À la une');
    expect(fr.text).toContain('La participation en chiffres');
    expect(fr.html).toMatch(/<dt[^>]*>Processus<\/dt>\s*<dd[^>]*>[\d\s\u202f\u00a0]+<\/dd>/);
    const [counts] = await testDb()<{ n: number }[]>`select count(*)::int as n from public.profiles`;
    expect(fr.text).toContain('Participantes et participants');
    expect(counts?.n).toBeGreaterThan(0);
    const en = await new Browser().get('/en/');
    expect(en.text).toContain('Participation in numbers');
    expect(en.text).toContain('Highlighted');
    // The navigation has the spaces.
    expect(fr.html).toContain('href="/fr/processes"');
    expect(fr.html).toContain('href="/fr/assemblies"');
  });
});

describe('organization settings', () => {
  it('invalid values are field errors and change nothing; a valid save redirects', async () => {
    const [before] = await testDb()<
      {
        name: Record<string, string>;
        description: Record<string, string>;
        terms_of_service: Record<string, string>;
        colors: { primary: string; secondary: string };
        logo_url: string | null;
        time_zone: string;
        default_locale: string;
        contact_email: string | null;
      }[]
    >`select name, description, terms_of_service, colors, logo_url, time_zone, default_locale, contact_email from public.organization`;
    if (!before) throw new Error('no organization row');
    const bad = await admin.post('/fr/admin/organization?_action=organization.update', {
      'name.fr': '',
      'name.en': 'Only English',
      default_locale: 'fr',
      color_primary: 'blue',
      color_secondary: '#e1000f',
      contact_email: 'pas-une-adresse',
      logo_url: '//evil.example/logo.png',
      time_zone: 'Europe/Paris',
    });
    expect(bad.status).toBe(400);
    expect(fieldError(bad, 'org-color_primary')).toContain('#RRVVBB');
    expect(fieldError(bad, 'org-contact_email')).toContain('adresse électronique valide');
    expect(fieldError(bad, 'org-logo_url')).toContain('Saisissez une adresse commençant par');

    const wrongLocale = await admin.post('/fr/admin/organization?_action=organization.update', {
      'name.en': 'Only English',
      default_locale: 'fr',
      color_primary: '#000091',
      color_secondary: '#e1000f',
      time_zone: 'Europe/Paris',
    });
    expect(wrongLocale.status).toBe(422);
    expect(fieldError(wrongLocale, 'org-name')).toContain('Saisissez le nom dans la langue par défaut.');

    const zone = await admin.post('/fr/admin/organization?_action=organization.update', {
      ...Object.fromEntries(Object.entries(before.name).map(([l, v]) => [`name.${l}`, v])),
      default_locale: before.default_locale,
      color_primary: '#000091',
      color_secondary: '#e1000f',
      time_zone: 'Mars/Olympus_Mons',
    });
    expect(zone.status).toBe(422);
    expect(fieldError(zone, 'org-time_zone')).toContain('fuseau horaire connu');

    const [after] = await testDb()<{ name: unknown; time_zone: string }[]>`select name, time_zone from public.organization`;
    expect(after?.name).toEqual(before.name);
    expect(after?.time_zone).toBe(before.time_zone);

    // Saving the current values again works and keeps them (other test files read the organization).
    const translatedFields = (name: string, v: Record<string, string>) => Object.fromEntries(Object.entries(v).map(([l, text]) => [`${name}.${l}`, text]));
    const ok = await postOk(admin, '/fr/admin/organization?_action=organization.update', {
      ...translatedFields('name', before.name),
      ...translatedFields('description', before.description),
      ...translatedFields('terms_of_service', before.terms_of_service),
      default_locale: before.default_locale,
      color_primary: before.colors.primary,
      color_secondary: before.colors.secondary,
      contact_email: before.contact_email ?? '',
      logo_url: before.logo_url ?? '',
      time_zone: before.time_zone,
    });
    expect(ok).toContain('status=saved');
    const [saved] = await testDb()<{ name: unknown; description: unknown; contact_email: string | null }[]>`
      select name, description, contact_email from public.organization`;
    expect(saved).toEqual({ name: before.name, description: before.description, contact_email: before.contact_email });
    expect((await admin.get(ok)).text).toContain("Les réglages de l'organisation ont été enregistrés.");
  });
});

describe('no new route answers 500', () => {
  const GETS: [string, number][] = [
    ['/fr/processes', 200],
    ['/en/processes?filter=past', 200],
    ['/fr/assemblies', 200],
    ['/fr/terms', 200],
    ['/fr/processes/n-existe-pas', 404],
    ['/fr/processes/%3Cscript%3E', 404],
    ['/fr/processes/n-existe-pas/f/00000000-0000-4000-8000-000000000000', 404],
    ['/fr/assemblies/n-existe-pas', 404],
    ['/fr/admin', 303],
    ['/fr/admin/spaces/not-a-uuid', 303],
  ];
  for (const [path, status] of GETS) {
    it(`GET ${path} → ${status}`, async () => {
      const page = await new Browser().get(path);
      expect(page.status).toBe(status);
    });
  }

  it('admin pages for things that do not exist are 404s for the admin', async () => {
    for (const path of [
      '/fr/admin/spaces/not-a-uuid',
      '/fr/admin/spaces/00000000-0000-4000-8000-000000000000/phases',
      '/fr/admin/spaces/00000000-0000-4000-8000-000000000000/components/00000000-0000-4000-8000-000000000000',
      '/fr/admin/taxonomies/not-a-uuid',
    ]) {
      expect((await admin.get(path)).status, path).toBe(404);
    }
  });

  it('POSTs with broken input never answer 500', async () => {
    for (const [path, fields] of [
      ['/fr/admin/processes/new?_action=spaces.createProcess', { slug: 'x'.repeat(5000), 'title.fr': 'y'.repeat(600), start_date: 'hier', taxonomies: 'pas-un-uuid' }],
      ['/fr/admin/spaces/not-a-uuid/phases?_action=spaces.movePhase', { phase_id: 'nope', direction: 'sideways' }],
      ['/fr/admin/spaces/not-a-uuid/components?_action=components.configure', { component_id: '00000000-0000-4000-8000-000000000000', 'name.fr': 'x' }],
      ['/fr/admin/spaces/not-a-uuid/components?_action=components.publish', { component_id: '00000000-0000-4000-8000-000000000000', publish: 'true' }],
      ['/fr/admin/spaces/not-a-uuid/people?_action=spaces.inviteMember', { space_id: '00000000-0000-4000-8000-000000000000', email: 'a@b.fr' }],
    ] as const) {
      const page = await admin.post(path, fields);
      expect(page.status, path).toBeGreaterThanOrEqual(400);
      expect(page.status, path).toBeLessThan(500);
    }
  });
});
