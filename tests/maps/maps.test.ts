import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../supabase/demo-accounts.ts';
import { demoTown } from '../../src/features/maps/demo-town.ts';
import { parseBanCsv, parseGeoJson } from '../../src/features/maps/maps.ts';
import { CLAIRE, closeTestDb, testDb } from '../web/spaces-helpers.ts';
import { createConfirmedUser, signedIn, stack } from '../web/helpers.ts';

/**
 * Maps without any map service: the demo town the seed ships (as the generator draws it), the
 * style the platform serves from the organization's layers, GeoJSON and BAN imports by the
 * organization's admins (checked, refused with a clear message, written by RLS for admins only),
 * and the address search and reverse lookup over the imported addresses.
 */

afterAll(async () => {
  await closeTestDb();
});

const get = async (path: string) => {
  const res = await fetch(`${stack().siteUrl}${path}`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

function form(fields: Record<string, string>, file: { text: string; name: string; type: string }): FormData {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  fd.append('file', new File([file.text], file.name, { type: file.type }));
  return fd;
}

describe('the demo town', () => {
  it('the seed ships the layer the generator draws, and the addresses of its streets', async () => {
    const [layer] = await testDb()<{ data: unknown; feature_count: number }[]>`
      select data, feature_count from public.map_layers where id = '00000000-0000-4000-8060-000000000001'`;
    expect(layer!.data).toEqual(JSON.parse(JSON.stringify(demoTown())));
    expect(layer!.feature_count).toBe(demoTown().features.length);
    const seedFile = readFileSync(join(import.meta.dirname, '../../supabase/seed/60_maps.sql'), 'utf8');
    expect(seedFile).toContain(JSON.stringify(demoTown()).replace(/'/g, "''"));
    const streets = demoTown().features.filter((f) => f.properties.kind === 'street').map((f) => f.properties.name);
    const rows = await testDb()<{ street: string; n: number }[]>`
      select street, count(*)::int as n from public.addresses where insee = '18999' group by street`;
    expect(rows.map((r) => r.street).sort()).toEqual([...streets].sort());
    for (const r of rows) expect(r.n).toBeGreaterThanOrEqual(2);
  });

  it('the platform style draws streets, water, parks, railway and districts, with names, and fetches nothing', async () => {
    const res = await fetch(`${stack().siteUrl}/map/style.json`);
    const text = await res.text();
    const style = JSON.parse(text) as { sources: { town: { data: { features: { properties: { kind: string; name?: string } }[] } } }; layers: { id: string; type: string }[] };
    expect(text).not.toMatch(/https?:|mapbox:\/\//);
    const kinds = new Set(style.sources.town.data.features.map((f) => f.properties.kind));
    for (const k of ['street', 'water', 'park', 'wood', 'railway', 'river', 'district', 'landmark']) expect(kinds).toContain(k);
    const named = style.sources.town.data.features.filter((f) => f.properties.kind === 'street').map((f) => f.properties.name);
    expect(named).toContain('Rue Nationale');
    expect(style.layers.map((l) => l.id)).toEqual(expect.arrayContaining(['streets', 'streets-casing', 'water', 'parks', 'railway']));
    expect(style.layers.some((l) => l.type === 'symbol')).toBe(false);
  });
});

describe('address search and reverse lookup (offline, trigrams)', () => {
  it('suggests addresses as typed, forgiving accents and typos; the nearest address of a point', async () => {
    const typed = await get(`/api/addresses/search?q=${encodeURIComponent('12 rue des tann')}`);
    const first = (typed.body['suggestions'] as { label: string; lat: number; lng: number }[])[0]!;
    expect(first.label).toBe('12 Rue des Tanneurs, 18999 Belleville-sur-Loire');
    const typo = await get(`/api/addresses/search?q=${encodeURIComponent('rue natonale')}`);
    expect((typo.body['suggestions'] as { label: string }[]).some((s) => s.label.includes('Rue Nationale'))).toBe(true);
    const accents = await get(`/api/addresses/search?q=${encodeURIComponent('ECOLES')}`);
    expect((accents.body['suggestions'] as { label: string }[]).every((s) => s.label.includes('Rue des Écoles'))).toBe(true);
    expect((await get('/api/addresses/search?q=ab')).body).toEqual({ suggestions: [] });
    const near = await get(`/api/addresses/reverse?lat=${first.lat + 0.00005}&lng=${first.lng}`);
    expect((near.body['address'] as { label: string }).label).toBe(first.label);
    expect((await get('/api/addresses/reverse?lat=48.8566&lng=2.3522')).body).toEqual({ address: null });
    expect((await get('/api/addresses/reverse?lat=x&lng=2')).status).toBe(400);
  });
});

describe('imports by the organization’s admins', () => {
  it('a GeoJSON layer: checked, reduced to what the map draws, served, removable; bad files refused next to the field', async () => {
    const admin = await signedIn(CLAIRE, DEMO_PASSWORD);
    const page = '/fr/admin/map';
    const geo = JSON.stringify({
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { name: 'Square des Tests', kind: 'park', owner_email: 'secret@example.org' }, geometry: { type: 'Polygon', coordinates: [[[2.851, 47.501], [2.852, 47.501], [2.852, 47.502], [2.851, 47.501]]] } },
        { type: 'Feature', properties: { nom: 'Sentier des Tests' }, geometry: { type: 'LineString', coordinates: [[2.851, 47.5011], [2.8519, 47.5019]] } },
      ],
    });
    const ok = await admin.post(`${page}?_action=maps.importMapLayer`, form({ name: 'Couche de test', kind: 'path' }, { text: geo, name: 'test.geojson', type: 'application/geo+json' }));
    expect(ok.status).toBe(303);
    expect(ok.location).toBe(`${page}?status=layerAdded`);
    const [row] = await testDb()<{ id: string; data: { features: { properties: Record<string, unknown> }[] } }[]>`
      select id, data from public.map_layers where name = 'Couche de test' order by created_at desc limit 1`;
    try {
      expect(row!.data.features.map((f) => f.properties)).toEqual([{ kind: 'park', name: 'Square des Tests' }, { name: 'Sentier des Tests' }]);
      const style = await (await fetch(`${stack().siteUrl}/map/style.json`)).text();
      expect(style).toContain('Sentier des Tests');
      expect(style).not.toContain('secret@example.org');

      const lambert = JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [652000, 6862000] } }] });
      for (const [text, message] of [
        ['{not json', 'n’est pas du JSON lisible'],
        ['{"type": "Topology"}', 'n’est pas une FeatureCollection GeoJSON'],
        [lambert, 'doit être en WGS 84'],
      ] as const) {
        const refused = await admin.post(`${page}?_action=maps.importMapLayer`, form({ name: 'Mauvaise couche', kind: 'mixed' }, { text, name: 'x.geojson', type: 'application/json' }));
        expect(refused.status).toBe(422);
        expect(/<p class="field__error" id="layer-file-error"[^>]*>([\s\S]*?)<\/p>/.exec(refused.html)?.[1]).toContain(message);
      }
      expect(await testDb()`select 1 from public.map_layers where name = 'Mauvaise couche'`).toEqual([]);

      const citizen = await createConfirmedUser();
      const other = await signedIn(citizen.email, citizen.password);
      const forged = await other.post(`${page}?_action=maps.importMapLayer`, form({ name: 'Intrus', kind: 'mixed' }, { text: geo, name: 'x.geojson', type: 'application/json' }));
      expect([303, 403]).toContain(forged.status);
      expect(await testDb()`select 1 from public.map_layers where name = 'Intrus'`).toEqual([]);
    } finally {
      const removed = await admin.post(`${page}?_action=maps.removeMapLayer`, { layer_id: row!.id, confirm: 'yes' });
      expect(removed.status).toBe(303);
    }
    expect(await testDb()`select 1 from public.map_layers where id = ${row!.id}`).toEqual([]);
  });

  it('a commune’s BAN CSV: imported (replacing that commune), searchable at once, removable; a bad line refused', async () => {
    const admin = await signedIn(CLAIRE, DEMO_PASSWORD);
    const page = '/fr/admin/map';
    const header = 'id;id_fantoir;numero;rep;nom_voie;code_postal;code_insee;nom_commune;code_insee_ancienne_commune;nom_ancienne_commune;x;y;lon;lat;type_position;alias;nom_ld;libelle_acheminement;nom_afnor;source_position;source_nom_voie;certification_commune;cad_parcelles';
    const csv = [
      header,
      '99001_0010_00003;99001_0010;3;;Rue des Essais;99100;99001;Testville;;;;;2.861;47.511;entrée;;;TESTVILLE;RUE DES ESSAIS;commune;commune;1;',
      '99001_0010_00005;99001_0010;5;bis;"Rue des Essais";99100;99001;Testville;;;;;2.8612;47.5112;entrée;;;TESTVILLE;RUE DES ESSAIS;commune;commune;1;',
    ].join('\n');
    const ok = await admin.post(`${page}?_action=maps.importAddresses`, form({}, { text: csv, name: 'adresses-99001.csv', type: 'text/csv' }));
    expect(ok.status).toBe(303);
    try {
      const found = await get(`/api/addresses/search?q=${encodeURIComponent('5 bis rue des essais')}`);
      expect((found.body['suggestions'] as { label: string }[])[0]!.label).toBe('5 bis Rue des Essais, 99100 Testville');
      // Importing again replaces the commune: one address left.
      await admin.post(`${page}?_action=maps.importAddresses`, form({}, { text: [header, csv.split('\n')[1]].join('\n'), name: 'adresses-99001.csv', type: 'text/csv' }));
      expect(await testDb()`select id from public.addresses where insee = '99001'`).toEqual([{ id: '99001_0010_00003' }]);
      const bad = await admin.post(`${page}?_action=maps.importAddresses`, form({}, { text: `${header}\n99001_0010_00007;;7;;Rue des Essais;99100;99001;Testville;;;;;abc;47.5;;;;;;;;;`, name: 'a.csv', type: 'text/csv' }));
      expect(bad.status).toBe(422);
      expect(bad.text).toContain('Ligne 2 du fichier : la valeur « lon/lat » est absente ou invalide.');
      const notBan = await admin.post(`${page}?_action=maps.importAddresses`, form({}, { text: 'a,b,c\n1,2,3', name: 'a.csv', type: 'text/csv' }));
      expect(notBan.status).toBe(422);
      expect(notBan.text).toContain('il manque les colonnes');
    } finally {
      expect((await admin.post(`${page}?_action=maps.removeAddresses`, { insee: '99001', confirm: 'yes' })).status).toBe(303);
    }
    expect(await testDb()`select 1 from public.addresses where insee = '99001'`).toEqual([]);
  });

  it('the database refuses writes by anyone but the organization’s admins', async () => {
    const db = testDb();
    const attempt = (role: string, claims: Record<string, unknown>, q: string) =>
      db.begin(async (tx) => {
        await tx`select set_config('role', ${role}, true), set_config('request.jwt.claims', ${JSON.stringify(claims)}, true)`;
        return tx.unsafe(q);
      }).then(() => 'ok', (e: { code: string }) => e.code);
    expect(await attempt('anon', { role: 'anon' }, `insert into public.addresses (id, insee, street, city, lat, lng) values ('x', '99002', 'r', 'c', 1, 1)`)).toBe('42501');
    const user = await createConfirmedUser();
    const claims = { role: 'authenticated', sub: user.id };
    expect(await attempt('authenticated', claims, `insert into public.addresses (id, insee, street, city, lat, lng) values ('x', '99002', 'r', 'c', 1, 1)`)).toBe('42501');
    expect(await attempt('authenticated', claims, `insert into public.map_layers (name, kind, data, feature_count) values ('x', 'mixed', '{"type":"FeatureCollection","features":[]}', 0)`)).toBe('42501');
    expect(await attempt('authenticated', claims, `delete from public.addresses where insee = '18999'`)).toBe('ok');
    expect((await db`select count(*)::int as n from public.addresses where insee = '18999'`)[0]!.n).toBeGreaterThan(1000);
  });
});

describe('parsing', () => {
  it('GeoJSON: geometries checked (types, closed rings, ranges), properties reduced', () => {
    expect(parseGeoJson('{"type":"Feature","properties":null,"geometry":{"type":"Point","coordinates":[2.85,47.5]}}')).toMatchObject({ ok: true });
    const open = parseGeoJson(JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1]]] } }] }));
    expect(open).toMatchObject({ ok: false, error: { key: 'maps.error.geometry', params: { index: 1, reason: 'open ring' } } });
    expect(parseGeoJson(JSON.stringify({ type: 'FeatureCollection', features: [] }))).toMatchObject({ ok: false, error: { key: 'maps.error.empty' } });
    expect(parseGeoJson(JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Circle', coordinates: [0, 0] } }] })))
      .toMatchObject({ ok: false, error: { key: 'maps.error.geometry' } });
  });

  it('BAN CSV: quotes, duplicates skipped, missing columns named', () => {
    const r = parseBanCsv('id;numero;rep;nom_voie;code_postal;code_insee;nom_commune;lon;lat\nA;1;;"Rue ""Haute""";18000;18033;Bourges;2.4;47.1\nA;1;;Rue Haute;18000;18033;Bourges;2.4;47.1');
    expect(r).toMatchObject({ ok: true, value: [{ id: 'A', street: 'Rue "Haute"', insee: '18033', lat: 47.1, lng: 2.4 }] });
    expect(r.ok && r.value.length).toBe(1);
    expect(parseBanCsv('id;numero\n1;2')).toMatchObject({ ok: false, error: { key: 'maps.error.csv', params: { columns: 'nom_voie, code_postal, code_insee, nom_commune, lon, lat' } } });
  });

  it('BAN CSV through a CSV parser: a byte-order mark, a quoted line break, CRLF; a bad line named by its line in the file; broken quoting refused', () => {
    const head = '\uFEFFid;numero;rep;nom_voie;code_postal;code_insee;nom_commune;lon;lat\r\n';
    const r = parseBanCsv(`${head}A;1;;"Rue\nHaute";18000;18033;Bourges;2.4;47.1\r\n\r\nB;2;bis;Rue Basse;18000;18033;Bourges;2.5;47.2\r\n`);
    expect(r).toMatchObject({ ok: true, value: [{ id: 'A', street: 'Rue\nHaute' }, { id: 'B', rep: 'bis', lng: 2.5 }] });
    // The third record starts on the file's fourth line (the quoted street took two).
    expect(parseBanCsv(`${head}A;1;;"Rue\nHaute";18000;18033;Bourges;2.4;47.1\nB;2;;Rue Basse;18000;18033;Bourges;;47.2\n`)).toMatchObject({
      ok: false,
      error: { key: 'maps.error.csvRow', params: { line: 4, reason: 'lon/lat' } },
    });
    expect(parseBanCsv(`${head}A;1;;"Rue Haute;18000;18033;Bourges;2.4;47.1\n`)).toMatchObject({ ok: false, error: { key: 'maps.error.csvSyntax' } });
  });
});
