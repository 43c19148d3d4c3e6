/**
 * Belleville-sur-Loire, the demo town (fictional: hand-drawn around 47.50 N, 2.85 E): its five
 * districts (the seeded "Quartiers" taxonomy), named streets, the Loire and a stream, parks and a
 * wood, the railway and the station, and a few landmarks — as one GeoJSON FeatureCollection whose
 * features say what they are (`properties.kind`). `supabase/seed/60_maps.sql` holds this collection
 * as the organization's first map layer (a test checks that they agree) and derives the town's
 * addresses from its streets. An organization replaces it with its own data in the map admin.
 */

export type Position = [number, number];

export interface TownFeature {
  type: 'Feature';
  properties: { kind: string; name?: string; id?: string };
  geometry: { type: 'Point' | 'LineString' | 'Polygon'; coordinates: Position | Position[] | Position[][] };
}

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
const box = (w: number, s: number, e: number, n: number): Position[][] => ring([w, s], [w, n], [e, n], [e, s]);

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

/** The Loire as water: a band along its course, 350 m wide. */
function riverBand(line: Position[], halfWidth: number): Position[][] {
  const north = line.map(([x, y]) => [x, y + halfWidth] as Position);
  const south = line.map(([x, y]) => [x, y - halfWidth] as Position).reverse();
  return [[...north, ...south, north[0]!]];
}

/** Named streets (a street is one line; a long road may carry on under another name outside the town). */
const STREETS: ReadonlyArray<{ name: string; line: Position[] }> = [
  { name: 'Rue Nationale', line: [[2.8, 47.5], [2.835, 47.5], [2.865, 47.5], [2.9, 47.5]] },
  { name: 'Route de Vierzon', line: [[2.77, 47.503], [2.8, 47.5]] },
  { name: 'Route de Saint-Firmin', line: [[2.9, 47.5], [2.93, 47.498]] },
  { name: 'Rue de la République', line: [[2.85, 47.4725], [2.85, 47.49], [2.85, 47.51], [2.8505, 47.528]] },
  { name: 'Boulevard Victor-Hugo', line: [[2.833, 47.49], [2.833, 47.51], [2.867, 47.51], [2.867, 47.49], [2.833, 47.49]] },
  { name: 'Rue du Marché', line: [[2.835, 47.504], [2.865, 47.504]] },
  { name: 'Rue des Écoles', line: [[2.835, 47.496], [2.865, 47.496]] },
  { name: 'Rue Pasteur', line: [[2.842, 47.492], [2.842, 47.508]] },
  { name: 'Rue Jean-Jaurès', line: [[2.858, 47.492], [2.858, 47.508]] },
  { name: 'Rue des Tanneurs', line: [[2.867, 47.503], [2.88, 47.504], [2.895, 47.506]] },
  { name: 'Rue de la Mégisserie', line: [[2.873, 47.492], [2.878, 47.502], [2.886, 47.513]] },
  { name: 'Impasse du Moulin', line: [[2.88, 47.486], [2.886, 47.49]] },
  { name: 'Quai de Loire', line: [[2.812, 47.4795], [2.85, 47.4775], [2.888, 47.4795]] },
  { name: 'Allée des Platanes', line: [[2.82, 47.485], [2.84, 47.4855], [2.862, 47.4855]] },
  { name: 'Rue du Pont', line: [[2.862, 47.4855], [2.866, 47.478]] },
  { name: 'Avenue de la Gare', line: [[2.858, 47.51], [2.86, 47.519], [2.8605, 47.526]] },
  { name: 'Rue de la Croix-Verte', line: [[2.822, 47.516], [2.85, 47.52], [2.876, 47.521]] },
  { name: 'Chemin des Vignes', line: [[2.836, 47.519], [2.84, 47.526], [2.843, 47.531]] },
  { name: 'Rue Saint-Martin', line: [[2.806, 47.491], [2.82, 47.497], [2.833, 47.503]] },
  { name: 'Rue des Jardins', line: [[2.816, 47.482], [2.82, 47.497], [2.826, 47.514]] },
  { name: 'Rue Berthe-Morisot', line: [[2.838, 47.51], [2.84, 47.516]] },
  { name: 'Rue Marie-Curie', line: [[2.808, 47.485], [2.833, 47.49]] },
];

const PLACES: ReadonlyArray<{ name: string; at: Position }> = [
  { name: 'Mairie', at: [2.849, 47.5015] },
  { name: 'Place du Marché', at: [2.846, 47.5032] },
  { name: 'Église Saint-Martin', at: [2.818, 47.4985] },
  { name: 'Gare de Belleville', at: [2.861, 47.5265] },
  { name: 'Médiathèque', at: [2.856, 47.4945] },
  { name: 'École Jules-Ferry', at: [2.8405, 47.4975] },
  { name: 'Piscine municipale', at: [2.874, 47.5165] },
  { name: 'Pont de Loire', at: [2.8505, 47.4695] },
];

function feature(kind: string, name: string | undefined, geometry: TownFeature['geometry'], id?: string): TownFeature {
  return { type: 'Feature', properties: { kind, ...(name ? { name } : {}), ...(id ? { id } : {}) }, geometry };
}

/** The whole demo town, in drawing order (areas, then lines, then points). */
export function demoTown(): { type: 'FeatureCollection'; features: TownFeature[] } {
  return {
    type: 'FeatureCollection',
    features: [
      ...DISTRICTS.map((d) => feature('district', d.name, { type: 'Polygon', coordinates: d.ring }, d.id)),
      feature('water', 'La Loire', { type: 'Polygon', coordinates: riverBand(LOIRE, 0.0016) }),
      feature('park', 'Jardin public', { type: 'Polygon', coordinates: box(2.8375, 47.5052, 2.8445, 47.5078) }),
      feature('park', 'Parc des Bords de Loire', { type: 'Polygon', coordinates: box(2.82, 47.4732, 2.846, 47.4772) }),
      feature('park', 'Square Saint-Martin', { type: 'Polygon', coordinates: box(2.8145, 47.4955, 2.8195, 47.5) }),
      feature('wood', 'Bois de la Croix-Verte', { type: 'Polygon', coordinates: ring([2.862, 47.514], [2.864, 47.5195], [2.8745, 47.5205], [2.877, 47.515]) }),
      feature('outline', undefined, { type: 'LineString', coordinates: TOWN_OUTLINE }),
      feature('river', 'Ruisseau des Tanneurs', { type: 'LineString', coordinates: [[2.902, 47.516], [2.888, 47.506], [2.876, 47.494], [2.87, 47.484], [2.866, 47.471]] }),
      feature('railway', 'Voie ferrée Bourges–Orléans', { type: 'LineString', coordinates: [[2.78, 47.531], [2.83, 47.5285], [2.861, 47.5272], [2.9, 47.5258], [2.93, 47.5245]] }),
      ...STREETS.map((s) => feature('street', s.name, { type: 'LineString', coordinates: s.line })),
      ...PLACES.map((p) => feature('landmark', p.name, { type: 'Point', coordinates: p.at })),
    ],
  };
}
