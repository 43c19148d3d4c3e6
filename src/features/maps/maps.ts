import { CsvError, parse } from 'csv-parse/sync';
import { z } from 'zod';
import { uuidInput } from '../../lib/forms/fields.ts';
import { confirmed } from '../../lib/forms/confirm.ts';

/**
 * Map data: GeoJSON layers an organization imports (checked and reduced to what the map draws)
 * and the BAN's CSV of a commune's addresses. Pure: parsing and validation, no database here.
 */

export const LAYER_KINDS = ['mixed', 'street', 'path', 'railway', 'river', 'water', 'park', 'wood', 'building', 'district', 'landmark'] as const;
export type LayerKind = (typeof LAYER_KINDS)[number];
export const MAX_FEATURES = 100_000;
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;

const fileInput = z.custom<File>((v) => v instanceof File && v.size > 0 && v.name !== '', { message: 'maps.error.noFile' });

export const importLayerInput = z.object({
  name: z.string({ message: 'maps.error.name' }).trim().min(1, { message: 'maps.error.name' }).max(120, { message: 'maps.error.name' }),
  kind: z.enum(LAYER_KINDS, { message: 'validation.invalid' }),
  file: fileInput,
});
export type ImportLayerInput = z.infer<typeof importLayerInput>;
export const removeLayerInput = confirmed(z.object({ layer_id: uuidInput }));
export type RemoveLayerInput = z.infer<typeof removeLayerInput>;
export const importAddressesInput = z.object({ file: fileInput });
export type ImportAddressesInput = z.infer<typeof importAddressesInput>;
export const removeAddressesInput = confirmed(z.object({ insee: z.string().regex(/^[0-9][0-9AB][0-9]{3}$/, { message: 'validation.invalid' }) }));
export type RemoveAddressesInput = z.infer<typeof removeAddressesInput>;

export type ParseError = { key: string; params?: Record<string, string | number> };
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: ParseError };

type Pos = [number, number];
interface Geometry {
  type: string;
  coordinates: unknown;
}
export interface CleanFeature {
  type: 'Feature';
  properties: { kind?: string; name?: string; id?: string };
  geometry: Geometry;
}

const KIND_SET = new Set<string>([...LAYER_KINDS, 'outline']);

function position(v: unknown): Pos | string {
  if (!Array.isArray(v) || v.length < 2 || typeof v[0] !== 'number' || typeof v[1] !== 'number') return 'position';
  const [lng, lat] = v as [number, number];
  if (!Number.isFinite(lng) || !Number.isFinite(lat) || Math.abs(lng) > 180 || Math.abs(lat) > 90) return 'range';
  // Six decimals: about 10 cm, more than any map here draws.
  return [Math.round(lng * 1e6) / 1e6, Math.round(lat * 1e6) / 1e6];
}

function positions(v: unknown, min: number): Pos[] | string {
  if (!Array.isArray(v) || v.length < min) return 'positions';
  const out: Pos[] = [];
  for (const p of v) {
    const q = position(p);
    if (typeof q === 'string') return q;
    out.push(q);
  }
  return out;
}

function rings(v: unknown): Pos[][] | string {
  if (!Array.isArray(v) || v.length < 1) return 'rings';
  const out: Pos[][] = [];
  for (const r of v) {
    const ring = positions(r, 4);
    if (typeof ring === 'string') return ring;
    if (ring[0]![0] !== ring.at(-1)![0] || ring[0]![1] !== ring.at(-1)![1]) return 'open ring';
    out.push(ring);
  }
  return out;
}

function geometry(g: unknown): Geometry | string {
  if (!g || typeof g !== 'object') return 'geometry';
  const { type, coordinates } = g as { type?: unknown; coordinates?: unknown };
  const many = <T>(check: (x: unknown) => T | string): T[] | string => {
    if (!Array.isArray(coordinates) || coordinates.length === 0) return 'coordinates';
    const out: T[] = [];
    for (const c of coordinates) {
      const r = check(c);
      if (typeof r === 'string') return r;
      out.push(r);
    }
    return out;
  };
  let c: unknown;
  switch (type) {
    case 'Point': c = position(coordinates); break;
    case 'MultiPoint': c = positions(coordinates, 1); break;
    case 'LineString': c = positions(coordinates, 2); break;
    case 'MultiLineString': c = many((x) => positions(x, 2)); break;
    case 'Polygon': c = rings(coordinates); break;
    case 'MultiPolygon': c = many(rings); break;
    default: return `type ${String(type).slice(0, 30)}`;
  }
  return typeof c === 'string' ? c : { type: type as string, coordinates: c };
}

/**
 * A GeoJSON FeatureCollection (or a single Feature) reduced to what the map draws: geometries
 * checked (types, closed rings, WGS 84 ranges) and rounded, properties down to `kind`, `name`
 * and `id` (nothing else of the file is kept or served).
 */
export function parseGeoJson(text: string): Parsed<CleanFeature[]> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return { ok: false, error: { key: 'maps.error.json' } };
  }
  const d = doc as { type?: unknown; features?: unknown };
  const list = d?.type === 'FeatureCollection' && Array.isArray(d.features) ? d.features : d?.type === 'Feature' ? [doc] : null;
  if (!list) return { ok: false, error: { key: 'maps.error.geojson' } };
  if (list.length === 0) return { ok: false, error: { key: 'maps.error.empty' } };
  if (list.length > MAX_FEATURES) return { ok: false, error: { key: 'maps.error.tooMany', params: { count: list.length } } };
  const out: CleanFeature[] = [];
  for (let i = 0; i < list.length; i++) {
    const f = list[i] as { type?: unknown; properties?: Record<string, unknown> | null; geometry?: unknown };
    if (f?.type !== 'Feature') return { ok: false, error: { key: 'maps.error.geometry', params: { index: i + 1, reason: 'Feature' } } };
    const g = geometry(f.geometry);
    if (typeof g === 'string') {
      return { ok: false, error: { key: g === 'range' ? 'maps.error.coordinates' : 'maps.error.geometry', params: { index: i + 1, reason: g } } };
    }
    const p = f.properties ?? {};
    const props: CleanFeature['properties'] = {};
    if (typeof p['kind'] === 'string' && KIND_SET.has(p['kind'])) props.kind = p['kind'];
    const name = typeof p['name'] === 'string' ? p['name'] : typeof p['nom'] === 'string' ? p['nom'] : null;
    if (name && name.trim()) props.name = name.replace(/[\p{Cc}]/gu, ' ').trim().slice(0, 120);
    if (typeof p['id'] === 'string' && /^[\w.-]{1,80}$/.test(p['id'])) props.id = p['id'];
    out.push({ type: 'Feature', properties: props, geometry: g });
  }
  return { ok: true, value: out };
}

export interface BanAddress {
  id: string;
  insee: string;
  number: string;
  rep: string;
  street: string;
  postcode: string;
  city: string;
  lat: number;
  lng: number;
}

const BAN_COLUMNS = ['id', 'numero', 'nom_voie', 'code_postal', 'code_insee', 'nom_commune', 'lon', 'lat'] as const;

/**
 * The BAN's CSV of a commune (`adresses-<INSEE>.csv` from adresse.data.gouv.fr: `;`-separated,
 * UTF-8, a header line). Every line is checked; the first bad one refuses the file.
 */
export function parseBanCsv(text: string): Parsed<BanAddress[]> {
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    // csv-parse: RFC 4180 quoting (`""` inside quotes, quoted line breaks), the BOM, blank lines.
    rows = parse(text, { delimiter: ';', bom: true, skip_empty_lines: true, relax_column_count: true, info: true }) as unknown as typeof rows;
  } catch (err) {
    const line = err instanceof CsvError && typeof err['lines'] === 'number' ? err['lines'] : 1;
    return { ok: false, error: { key: 'maps.error.csvSyntax', params: { line } } };
  }
  const header = (rows[0]?.record ?? []).map((h) => h.trim());
  const missing = BAN_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length > 0) return { ok: false, error: { key: 'maps.error.csv', params: { columns: missing.join(', ') } } };
  const at = Object.fromEntries([...BAN_COLUMNS, 'rep'].map((c) => [c, header.indexOf(c)])) as Record<string, number>;
  const out: BanAddress[] = [];
  const seen = new Set<string>();
  for (const { record: cells, info } of rows.slice(1)) {
    const get = (c: string) => (at[c]! >= 0 ? (cells[at[c]!] ?? '').trim() : '');
    const bad = (reason: string) => ({ ok: false as const, error: { key: 'maps.error.csvRow', params: { line: info.lines, reason } } });
    const lat = Number(get('lat'));
    const lng = Number(get('lon'));
    const a: BanAddress = {
      id: get('id'), insee: get('code_insee'), number: get('numero'), rep: get('rep'), street: get('nom_voie'),
      postcode: get('code_postal'), city: get('nom_commune'), lat, lng,
    };
    if (!a.id || a.id.length > 80) return bad('id');
    if (!/^[0-9][0-9AB][0-9]{3}$/.test(a.insee)) return bad('code_insee');
    if (!a.street || a.street.length > 200) return bad('nom_voie');
    if (!a.city || a.city.length > 120) return bad('nom_commune');
    if (a.number.length > 10 || a.rep.length > 10 || a.postcode.length > 10) return bad('numero');
    if (!get('lat') || !get('lon') || !Number.isFinite(lat) || !Number.isFinite(lng) || Math.abs(lat) > 90 || Math.abs(lng) > 180) return bad('lon/lat');
    if (seen.has(a.id)) continue;
    seen.add(a.id);
    out.push(a);
  }
  if (out.length === 0) return { ok: false, error: { key: 'maps.error.csvEmpty' } };
  return { ok: true, value: out };
}
