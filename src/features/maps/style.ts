/**
 * The platform's own map style (Mapbox GL style v8) from the organization's map layers: districts,
 * woods and parks, water, rivers, the railway, streets (a casing under a white fill, wider as one
 * zooms in), buildings and the town's outline, all in one inline GeoJSON source, so the browser
 * asks nothing of any host (not even this one, beyond the style). No glyphs and no symbol layers:
 * names are drawn by the map islands as HTML labels (labels.ts) from the same source.
 */

export interface LayerData {
  kind: string;
  data: { type: 'FeatureCollection'; features: { type: 'Feature'; properties?: Record<string, unknown> | null; geometry: unknown }[] };
}

const KINDS = new Set(['street', 'path', 'railway', 'river', 'water', 'park', 'wood', 'building', 'district', 'landmark', 'outline']);

/** Every feature of every layer, each saying what it is (its own `kind`, else its layer's). */
export function townSource(layers: readonly LayerData[]) {
  return {
    type: 'FeatureCollection' as const,
    features: layers.flatMap((l) =>
      l.data.features.map((f) => {
        const own = typeof f.properties?.['kind'] === 'string' ? String(f.properties['kind']) : null;
        const kind = own && KINDS.has(own) ? own : l.kind;
        const name = typeof f.properties?.['name'] === 'string' ? String(f.properties['name']).slice(0, 120) : undefined;
        const id = typeof f.properties?.['id'] === 'string' ? String(f.properties['id']) : undefined;
        return { type: 'Feature' as const, properties: { kind, ...(name ? { name } : {}), ...(id ? { id } : {}) }, geometry: f.geometry };
      }),
    ),
  };
}

const is = (...kinds: string[]) => (kinds.length === 1 ? ['==', ['get', 'kind'], kinds[0]] : ['in', ['get', 'kind'], ['literal', kinds]]);
const zoomed = (at10: number, at16: number) => ['interpolate', ['exponential', 1.6], ['zoom'], 10, at10, 16, at16];

export function mapStyle(layers: readonly LayerData[]) {
  return {
    version: 8,
    name: 'Décidons',
    center: [2.85, 47.5],
    zoom: 12,
    sources: { town: { type: 'geojson', data: townSource(layers) } },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': '#f3f1ec' } },
      { id: 'districts-fill', type: 'fill', source: 'town', filter: is('district'), paint: { 'fill-color': '#e3ecdf', 'fill-opacity': 0.8 } },
      { id: 'woods', type: 'fill', source: 'town', filter: is('wood'), paint: { 'fill-color': '#b9d5a6' } },
      { id: 'parks', type: 'fill', source: 'town', filter: is('park'), paint: { 'fill-color': '#c8e2b5', 'fill-outline-color': '#9cc48a' } },
      { id: 'water', type: 'fill', source: 'town', filter: is('water'), paint: { 'fill-color': '#a9cbe8' } },
      { id: 'districts-line', type: 'line', source: 'town', filter: is('district'), paint: { 'line-color': '#9aa894', 'line-width': 1, 'line-dasharray': [2, 2] } },
      {
        id: 'rivers', type: 'line', source: 'town', filter: is('river'),
        layout: { 'line-cap': 'round', 'line-join': 'round' },
        paint: { 'line-color': '#9cc3e4', 'line-width': zoomed(1.5, 8) },
      },
      { id: 'buildings', type: 'fill', source: 'town', filter: is('building'), minzoom: 14, paint: { 'fill-color': '#ddd6cb', 'fill-outline-color': '#c8beb0' } },
      {
        id: 'railway', type: 'line', source: 'town', filter: is('railway'),
        paint: { 'line-color': '#8d8d8d', 'line-width': zoomed(1, 3), 'line-dasharray': [3, 2] },
      },
      {
        id: 'paths', type: 'line', source: 'town', filter: is('path'), minzoom: 13,
        paint: { 'line-color': '#b39d7a', 'line-width': zoomed(0.5, 2), 'line-dasharray': [2, 1] },
      },
      {
        id: 'streets-casing', type: 'line', source: 'town', filter: is('street'),
        layout: { 'line-cap': 'round', 'line-join': 'round' },
        paint: { 'line-color': '#c9c2b5', 'line-width': zoomed(2, 16) },
      },
      {
        id: 'streets', type: 'line', source: 'town', filter: is('street'),
        layout: { 'line-cap': 'round', 'line-join': 'round' },
        paint: { 'line-color': '#ffffff', 'line-width': zoomed(1, 13) },
      },
      {
        id: 'town-outline', type: 'line', source: 'town', filter: is('outline'),
        layout: { 'line-join': 'round' },
        paint: { 'line-color': '#55624f', 'line-width': 2 },
      },
      {
        id: 'landmarks', type: 'circle', source: 'town', filter: ['all', is('landmark'), ['==', ['geometry-type'], 'Point']], minzoom: 13,
        paint: { 'circle-radius': 4, 'circle-color': '#6d5a43', 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1.5 },
      },
    ],
  };
}
