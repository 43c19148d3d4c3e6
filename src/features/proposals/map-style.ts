/**
 * The platform's own map style: a plain background, the outline and the districts of the demo town,
 * Belleville-sur-Loire (fictional: hand-drawn shapes around 47.50 N, 2.85 E), and the Loire. All data
 * is inline and there are no symbol layers, so the style needs no glyphs, no sprite and no tiles:
 * nothing is fetched from any host. The island draws the proposals on top of it.
 */

type Position = [number, number];

// The town's outline, clockwise from the west, and the centre square the districts share.
const A: Position = [2.8, 47.495];
const B: Position = [2.815, 47.52];
const C: Position = [2.845, 47.532];
const D: Position = [2.88, 47.525];
const E: Position = [2.9, 47.5];
const F: Position = [2.89, 47.478];
const G: Position = [2.85, 47.472];
const H: Position = [2.812, 47.478];
const c1: Position = [2.835, 47.492];
const c2: Position = [2.835, 47.508];
const c3: Position = [2.865, 47.508];
const c4: Position = [2.865, 47.492];

const ring = (...points: Position[]): Position[][] => [[...points, points[0]!]];

/** The districts of the seeded "Quartiers" taxonomy (supabase/seed.sql), tiling the town. */
export const DISTRICTS: ReadonlyArray<{ id: string; name: string; ring: Position[][] }> = [
  { id: '00000000-0000-4000-8001-000000000011', name: 'Centre-ville', ring: ring(c1, c2, c3, c4) },
  { id: '00000000-0000-4000-8001-000000000012', name: 'Les Tanneurs', ring: ring(D, E, F, c4, c3) },
  { id: '00000000-0000-4000-8001-000000000013', name: 'Bords de Loire', ring: ring(F, G, H, c1, c4) },
  { id: '00000000-0000-4000-8001-000000000014', name: 'La Croix-Verte', ring: ring(B, C, D, c3, c2) },
  { id: '00000000-0000-4000-8001-000000000015', name: 'Saint-Martin', ring: ring(H, A, B, c2, c1) },
];

export const TOWN_OUTLINE: Position[] = [A, B, C, D, E, F, G, H, A];

const LOIRE: Position[] = [
  [2.77, 47.476],
  [2.81, 47.4705],
  [2.85, 47.4675],
  [2.885, 47.4705],
  [2.93, 47.477],
];

/** A Mapbox GL style (version 8) with no external URL. */
export function townStyle() {
  return {
    version: 8,
    name: 'Belleville-sur-Loire',
    center: [2.85, 47.5],
    zoom: 12,
    sources: {
      town: {
        type: 'geojson',
        data: {
          type: 'FeatureCollection',
          features: [
            ...DISTRICTS.map((d) => ({
              type: 'Feature',
              properties: { kind: 'district', id: d.id, name: d.name },
              geometry: { type: 'Polygon', coordinates: d.ring },
            })),
            { type: 'Feature', properties: { kind: 'outline' }, geometry: { type: 'LineString', coordinates: TOWN_OUTLINE } },
            { type: 'Feature', properties: { kind: 'river', name: 'Loire' }, geometry: { type: 'LineString', coordinates: LOIRE } },
          ],
        },
      },
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': '#f3f1ec' } },
      {
        id: 'districts-fill',
        type: 'fill',
        source: 'town',
        filter: ['==', ['get', 'kind'], 'district'],
        paint: { 'fill-color': '#e3ecdf', 'fill-opacity': 0.8 },
      },
      {
        id: 'districts-line',
        type: 'line',
        source: 'town',
        filter: ['==', ['get', 'kind'], 'district'],
        paint: { 'line-color': '#9aa894', 'line-width': 1, 'line-dasharray': [2, 2] },
      },
      {
        id: 'river',
        type: 'line',
        source: 'town',
        filter: ['==', ['get', 'kind'], 'river'],
        layout: { 'line-cap': 'round', 'line-join': 'round' },
        paint: { 'line-color': '#9cc3e4', 'line-width': ['interpolate', ['linear'], ['zoom'], 10, 3, 15, 18] },
      },
      {
        id: 'town-outline',
        type: 'line',
        source: 'town',
        filter: ['==', ['get', 'kind'], 'outline'],
        layout: { 'line-join': 'round' },
        paint: { 'line-color': '#55624f', 'line-width': 2 },
      },
    ],
  };
}
