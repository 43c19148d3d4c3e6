import { asUser, type Claims } from '../../lib/db/index.ts';
import type { LayerData } from './style.ts';

/** Reads of the map data, as the visitor (map layers and addresses are public: RLS lets anyone read them). */

export async function listMapLayers(): Promise<LayerData[]> {
  return asUser(null, (tx) => tx<LayerData[]>`select kind, data from public.map_layers order by weight, created_at`);
}

export interface MapLayerSummary {
  id: string;
  name: string;
  kind: string;
  featureCount: number;
  createdAt: Date;
}

export async function listMapLayerSummaries(claims: Claims | null): Promise<MapLayerSummary[]> {
  const rows = await asUser(claims, (tx) => tx<{ id: string; name: string; kind: string; feature_count: number; created_at: Date }[]>`
    select id, name, kind, feature_count, created_at from public.map_layers order by weight, created_at`);
  return rows.map((r) => ({ id: r.id, name: r.name, kind: r.kind, featureCount: r.feature_count, createdAt: r.created_at }));
}

export interface AddressSummary {
  insee: string;
  city: string;
  count: number;
}

export async function listAddressSets(claims: Claims | null): Promise<AddressSummary[]> {
  const rows = await asUser(claims, (tx) => tx<{ insee: string; city: string; n: number }[]>`
    select insee, min(city) as city, count(*)::int as n from public.addresses group by insee order by 2`);
  return rows.map((r) => ({ insee: r.insee, city: r.city, count: r.n }));
}

export interface AddressHit {
  id: string;
  label: string;
  lat: number;
  lng: number;
}

/** Addresses matching what someone types (trigrams: typos and missing accents forgiven). */
export async function suggestAddresses(q: string, limit = 8): Promise<AddressHit[]> {
  const text = q.replace(/[\p{Cc}]/gu, ' ').trim().slice(0, 120);
  if (text.length < 3) return [];
  return asUser(null, (tx) => tx<AddressHit[]>`select id, label, lat, lng from private.address_suggest(${text}, ${limit})`);
}

/** The nearest address to a point (within about 300 m), or null. */
export async function nearestAddress(lat: number, lng: number): Promise<(AddressHit & { distance: number }) | null> {
  const [row] = await asUser(null, (tx) => tx<(AddressHit & { distance_m: number })[]>`
    select id, label, lat, lng, distance_m from private.address_nearest(${lat}, ${lng})`);
  return row ? { id: row.id, label: row.label, lat: row.lat, lng: row.lng, distance: Math.round(row.distance_m) } : null;
}
