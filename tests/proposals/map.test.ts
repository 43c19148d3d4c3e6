import { describe, expect, it } from 'vitest';
import {
  LOCAL_STYLE_PATH,
  MAPBOX_STYLE_URL,
  bboxParams,
  boundsOf,
  clusterLabel,
  styleUrlFor,
  toFeatureCollection,
  type ProposalPoint,
} from '../../src/features/proposals/map.ts';
import { mapEn } from '../../src/features/proposals/messages/map.en.ts';
import { mapFr } from '../../src/features/proposals/messages/map.fr.ts';
import { stack } from '../web/helpers.ts';

const point = (id: string, lat: number, lng: number, extra: Partial<ProposalPoint> = {}): ProposalPoint => ({
  id,
  title: `Proposition ${id}`,
  href: `/fr/p/${id}`,
  lat,
  lng,
  ...extra,
});

describe('map helpers', () => {
  it('toFeatureCollection: GeoJSON points in [lng, lat] order with the popup properties', () => {
    const fc = toFeatureCollection([point('a', 47.5, 2.85, { state: 'accepted', color: '#2e7d32' }), point('b', 47.49, 2.86)]);
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features).toEqual([
      {
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [2.85, 47.5] },
        properties: { id: 'a', title: 'Proposition a', href: '/fr/p/a', state: 'accepted', color: '#2e7d32' },
      },
      {
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [2.86, 47.49] },
        properties: { id: 'b', title: 'Proposition b', href: '/fr/p/b', state: null, color: null },
      },
    ]);
  });

  it('toFeatureCollection and boundsOf leave out points without valid coordinates', () => {
    const points = [point('ok', 47.5, 2.85), point('nan', Number.NaN, 2.8), point('lat', 95, 2.8), point('lng', 47.5, -181), point('inf', 47.5, Infinity)];
    expect(toFeatureCollection(points).features.map((f) => f.properties.id)).toEqual(['ok']);
    expect(boundsOf(points)).toEqual([2.85, 47.5, 2.85, 47.5]);
    expect(toFeatureCollection([]).features).toEqual([]);
  });

  it('boundsOf: [west, south, east, north], null without points', () => {
    expect(boundsOf([])).toBeNull();
    expect(boundsOf([point('a', 47.52, 2.81), point('b', 47.47, 2.9), point('c', 47.5, 2.85)])).toEqual([2.81, 47.47, 2.9, 47.52]);
  });

  it('bboxParams names the four sides; clusterLabel fills the count', () => {
    expect(bboxParams([2.8, 47.47, 2.9, 47.52], { west: 'w', south: 's', east: 'e', north: 'n' })).toEqual({
      w: '2.80000',
      s: '47.47000',
      e: '2.90000',
      n: '47.52000',
    });
    expect(clusterLabel(mapFr['proposals.map.cluster'], 12)).toBe('12 propositions');
    expect(clusterLabel(mapEn['proposals.map.cluster'], 3)).toBe('3 proposals');
  });

  it('styleUrlFor: the platform style without a token, Mapbox streets with one', () => {
    expect(styleUrlFor(undefined)).toBe(LOCAL_STYLE_PATH);
    expect(styleUrlFor(null)).toBe('/map/style.json');
    expect(styleUrlFor('')).toBe('/map/style.json');
    expect(styleUrlFor('pk.test')).toBe(MAPBOX_STYLE_URL);
    expect(MAPBOX_STYLE_URL).toBe('mapbox://styles/mapbox/streets-v12');
  });

  it('the catalogs have the same keys, all under proposals.map.', () => {
    expect(Object.keys(mapEn).sort()).toEqual(Object.keys(mapFr).sort());
    for (const key of Object.keys(mapFr)) expect(key).toMatch(/^proposals\.map\./);
    expect(mapFr['proposals.map.cluster']).toContain('{count}');
    expect(mapEn['proposals.map.cluster']).toContain('{count}');
  });
});

describe('GET /map/style.json (the platform style, served by the real site)', () => {
  it('is a Mapbox GL style v8 with the town drawn and no external URL', async () => {
    const res = await fetch(`${stack().siteUrl}/map/style.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const text = await res.text();
    const style = JSON.parse(text) as {
      version: number;
      sources: Record<string, { type: string; data: { features: { properties: { kind: string; name?: string }; geometry: { type: string; coordinates: unknown } }[] } }>;
      layers: { id: string; type: string; source?: string }[];
      glyphs?: string;
      sprite?: string;
    };
    expect(style.version).toBe(8);
    // Nothing to fetch: no glyphs, no sprite, no tiles, no URL of any kind.
    expect(style.glyphs).toBeUndefined();
    expect(style.sprite).toBeUndefined();
    expect(text).not.toMatch(/https?:|mapbox:\/\//);
    expect(style.layers.some((l) => l.type === 'symbol')).toBe(false);
    expect(style.layers[0]).toMatchObject({ id: 'background', type: 'background' });
    expect(style.layers.filter((l) => l.source === 'town').map((l) => l.type)).toEqual(expect.arrayContaining(['fill', 'line']));
    const town = style.sources['town']!;
    expect(town.type).toBe('geojson');
    const districts = town.data.features.filter((f) => f.properties.kind === 'district');
    expect(districts.map((d) => d.properties.name).sort()).toEqual(['Bords de Loire', 'Centre-ville', 'La Croix-Verte', 'Les Tanneurs', 'Saint-Martin']);
    for (const d of districts) {
      expect(d.geometry.type).toBe('Polygon');
      const ring = (d.geometry.coordinates as [number, number][][])[0]!;
      expect(ring[0]).toEqual(ring.at(-1)); // closed
      for (const [lng, lat] of ring) {
        // Around Belleville-sur-Loire (47.50 N, 2.85 E).
        expect(Math.abs(lng - 2.85)).toBeLessThan(0.1);
        expect(Math.abs(lat - 47.5)).toBeLessThan(0.1);
      }
    }
  });
});

describe('the map wrapper, rendered by the real site (dev preview page)', () => {
  it('renders the island with a placeholder, hydrated when visible, with the platform style, no token, and the French labels', async () => {
    const res = await fetch(`${stack().siteUrl}/dev/map-preview`);
    expect(res.status).toBe(200);
    const html = await res.text();
    const island = /<astro-island[^>]*component-url="[^"]*ProposalsMap[^"]*"[^>]*>/.exec(html)?.[0] ?? '';
    // Rendered on the server as a placeholder that says what the map shows; hydrated only once on
    // screen, and mapbox-gl fetched only then (see tests/ui/browser.test.ts).
    expect(island).toContain('client="visible"');
    expect(html).toMatch(/class="proposals-map__placeholder"[^>]*><p[^>]*>12 propositions sur la carte\.<\/p>/);
    const props = island.replaceAll('&quot;', '"');
    expect(props).toContain('"styleUrl":[0,"/map/style.json"]');
    expect(props).toContain('"token":[0,null]');
    expect(props).toContain('"region":[0,"Carte des propositions"]');
    expect(props).toContain('"cluster":[0,"{count} propositions"]');
    expect(html).toContain('<noscript>');
    // mapbox-gl's CSS comes with the map, never in the server's HTML.
    expect(html).not.toMatch(/mapbox-gl\.css|\.mapboxgl-/);
    const en = await (await fetch(`${stack().siteUrl}/dev/map-preview?lang=en`)).text();
    expect(en.replaceAll('&quot;', '"')).toContain('"cluster":[0,"{count} proposals"]');
  });
});

it('other pages carry none of the map: no mapbox-gl CSS leaks through the module graph', async () => {
  const html = await (await fetch(`${stack().siteUrl}/fr/sign-up`)).text();
  expect(html).not.toMatch(/mapbox|proposals-map/);
});
