import type { default as MapboxGlModule, Map as MapboxMap, Marker } from 'mapbox-gl';

/*
 * Names on the platform's own map (street, district, park, river, landmark names) as HTML labels
 * placed by the islands, from the style's inline source: a map style with text needs glyph files
 * from a server, and this one asks for nothing. Labels are decorative (`aria-hidden`): the map is a
 * picture; what it shows is said in the page (the list, the address field). Each kind appears
 * from the zoom where it stops crowding the map.
 */

type Pos = [number, number];
interface Feature {
  properties?: { kind?: string; name?: string } | null;
  geometry?: { type?: string; coordinates?: unknown } | null;
}

const MIN_ZOOM: Record<string, number> = { district: 11, water: 11, river: 13, park: 14, wood: 13.5, landmark: 14.5, street: 14.5, railway: 15 };
const MAX_ZOOM: Record<string, number> = { district: 14 };
const STYLE: Record<string, string> = {
  district: 'font: 600 13px system-ui, sans-serif; color: #55624f; letter-spacing: 0.04em; text-transform: uppercase;',
  water: 'font: italic 13px system-ui, sans-serif; color: #2d6a9f;',
  river: 'font: italic 12px system-ui, sans-serif; color: #2d6a9f;',
  park: 'font: 12px system-ui, sans-serif; color: #356b2a;',
  wood: 'font: 12px system-ui, sans-serif; color: #356b2a;',
  landmark: 'font: 600 12px system-ui, sans-serif; color: #4a3b29; transform: translateY(-12px);',
  street: 'font: 12px system-ui, sans-serif; color: #3a3a3a;',
  railway: 'font: 11px system-ui, sans-serif; color: #555;',
};

/** A line's point halfway along it. */
function midpoint(line: Pos[]): Pos | null {
  if (line.length === 0) return null;
  const lengths = line.slice(1).map((p, i) => Math.hypot(p[0] - line[i]![0], p[1] - line[i]![1]));
  let half = lengths.reduce((a, b) => a + b, 0) / 2;
  for (let i = 0; i < lengths.length; i++) {
    if (half <= lengths[i]! && lengths[i]! > 0) {
      const t = half / lengths[i]!;
      return [line[i]![0] + (line[i + 1]![0] - line[i]![0]) * t, line[i]![1] + (line[i + 1]![1] - line[i]![1]) * t];
    }
    half -= lengths[i]!;
  }
  return line[0]!;
}

/** A polygon's label point: the centre of its outer ring's vertices. */
function centre(ring: Pos[]): Pos | null {
  const pts = ring.slice(0, -1);
  if (pts.length === 0) return null;
  return [pts.reduce((a, p) => a + p[0], 0) / pts.length, pts.reduce((a, p) => a + p[1], 0) / pts.length];
}

export function labelPoints(features: readonly Feature[]): { kind: string; name: string; at: Pos }[] {
  const out: { kind: string; name: string; at: Pos }[] = [];
  for (const f of features) {
    const kind = f.properties?.kind ?? '';
    const name = f.properties?.name;
    if (!name || !(kind in MIN_ZOOM) || !f.geometry) continue;
    const c = f.geometry.coordinates;
    const at = f.geometry.type === 'Point' ? (c as Pos) : f.geometry.type === 'LineString' ? midpoint(c as Pos[]) : f.geometry.type === 'Polygon' ? centre((c as Pos[][])[0] ?? []) : null;
    if (at && Number.isFinite(at[0]) && Number.isFinite(at[1])) out.push({ kind, name, at });
  }
  return out;
}

/** Adds the labels of the style's `town` source to a map (the platform style only). */
export function addMapLabels(gl: typeof MapboxGlModule, map: MapboxMap): () => void {
  const source = (map.getStyle()?.sources?.['town'] as { data?: { features?: Feature[] } } | undefined)?.data;
  const markers: { kind: string; marker: Marker; el: HTMLElement }[] = [];
  for (const l of labelPoints(source?.features ?? [])) {
    const el = document.createElement('span');
    el.textContent = l.name;
    el.setAttribute('aria-hidden', 'true');
    el.className = `map-label map-label--${l.kind}`;
    el.style.cssText = `${STYLE[l.kind] ?? ''} pointer-events: none; white-space: nowrap; text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 2px #fff;`;
    markers.push({ kind: l.kind, el, marker: new gl.Marker({ element: el, anchor: 'center' }).setLngLat(l.at).addTo(map) });
  }
  const sync = () => {
    const z = map.getZoom();
    for (const m of markers) m.el.hidden = z < (MIN_ZOOM[m.kind] ?? 0) || z > (MAX_ZOOM[m.kind] ?? 99);
  };
  sync();
  map.on('zoomend', sync);
  return () => {
    map.off('zoomend', sync);
    for (const m of markers) m.marker.remove();
  };
}
