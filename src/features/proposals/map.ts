/**
 * The proposals map's contract, shared by the server (the wrapper and the style endpoint) and the
 * island: pure types and helpers, no server imports, no mapbox-gl import (the island loads it in
 * the browser only).
 */

/** One proposal on the map. Serialisable: it crosses from the page to the island as a prop. */
/** The colour of a point without a state (not answered yet): the island's and the legend's. */
export const NO_STATE_COLOR = '#1f5f8b';

export interface ProposalPoint {
  id: string;
  title: string;
  href: string;
  lat: number;
  lng: number;
  state?: string | null;
  /** A CSS colour for the point (e.g. by state); the island's default colour otherwise. */
  color?: string | null;
}

/** Every text the island shows or announces: it holds none itself. */
export interface ProposalsMapLabels {
  /** The map container's accessible name (`aria-label` of the `role="region"`). */
  region: string;
  /** The canvas's own name (mapbox-gl makes it a region too): how to use it from the keyboard. */
  canvas?: string;
  /** The placeholder's button that loads the map. */
  show?: string;
  /** A cluster's accessible name, with `{count}`: "{count} propositions". */
  cluster: string;
  /** The title (tooltip) of the link to a proposal in the popup: "Ouvrir la proposition". */
  open: string;
  /** The popup's close button; mapbox-gl's own English text otherwise. */
  close?: string;
  zoomIn?: string;
  zoomOut?: string;
}

/** Query parameter names for the visible area, when the page filters by it. */
export interface BboxParamNames {
  west: string;
  south: string;
  east: string;
  north: string;
}

export interface ProposalsMapProps {
  features: ProposalPoint[];
  /** A style URL: the platform's own (`/map/style.json`) or, with a token, a `mapbox://` style. */
  styleUrl: string;
  /** A Mapbox public token (`pk.…`); without one nothing is requested from Mapbox. */
  token?: string | null;
  /** [lng, lat] shown when there are no points. */
  center: [number, number];
  zoom: number;
  labels: ProposalsMapLabels;
  /** When set, the island announces the visible area after each move (see `MAP_BOUNDS_EVENT`). */
  bboxParamNames?: BboxParamNames;
  /** What the map shows, in words, until it is loaded: an address, "12 propositions sur la carte". */
  placeholder?: string;
  /**
   * When mapbox-gl is fetched: on the placeholder's button only (`click`, the default), or also as
   * soon as the placeholder is about to scroll into view (`visible`: a page that is a map view).
   */
  load?: 'click' | 'visible';
}

/** The page's live list dispatches this on `window` to replace what the map shows. */
export const MAP_UPDATE_EVENT = 'proposals:map-update';
export interface MapUpdateDetail {
  features: ProposalPoint[];
}

/** The island dispatches this on `window` after a move, when `bboxParamNames` is set. */
export const MAP_BOUNDS_EVENT = 'proposals:map-bounds';
export interface MapBoundsDetail {
  bbox: Bbox;
  /** `{ [names.west]: "2.81000", … }`, ready for URLSearchParams. */
  params: Record<string, string>;
}

/** The Mapbox style used when a token is configured. */
export const MAPBOX_STYLE_URL = 'mapbox://styles/mapbox/streets-v12';
/** The platform's own style (src/pages/map/style.json.ts): no external URL in it. */
export const LOCAL_STYLE_PATH = '/map/style.json';

/** The demo town, Belleville-sur-Loire: [lng, lat]. */
export const DEFAULT_CENTER: [number, number] = [2.85, 47.5];
export const DEFAULT_ZOOM = 12;

/** Dispatches a map update (for the live list; in the browser only). */
export function dispatchMapUpdate(features: ProposalPoint[], target: EventTarget = window): void {
  target.dispatchEvent(new CustomEvent<MapUpdateDetail>(MAP_UPDATE_EVENT, { detail: { features } }));
}

/** The style URL for a configuration: Mapbox's with a token, the platform's own otherwise. */
export function styleUrlFor(token: string | null | undefined): string {
  return token ? MAPBOX_STYLE_URL : LOCAL_STYLE_PATH;
}

function isValidPoint(p: ProposalPoint): boolean {
  return (
    Number.isFinite(p.lat) && Number.isFinite(p.lng) && p.lat >= -90 && p.lat <= 90 && p.lng >= -180 && p.lng <= 180
  );
}

export interface PointProperties {
  id: string;
  title: string;
  href: string;
  state: string | null;
  color: string | null;
}

export interface PointFeature {
  type: 'Feature';
  id?: number;
  geometry: { type: 'Point'; coordinates: [number, number] };
  properties: PointProperties;
}

export interface PointFeatureCollection {
  type: 'FeatureCollection';
  features: PointFeature[];
}

/**
 * GeoJSON for the map source: one Point per proposal, [lng, lat] order (GeoJSON's), properties the
 * popup needs. Points without valid coordinates are left out (a proposal without an address).
 */
export function toFeatureCollection(points: readonly ProposalPoint[]): PointFeatureCollection {
  return {
    type: 'FeatureCollection',
    features: points.filter(isValidPoint).map((p) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [p.lng, p.lat] },
      properties: { id: p.id, title: p.title, href: p.href, state: p.state ?? null, color: p.color ?? null },
    })),
  };
}

/** [west, south, east, north]. */
export type Bbox = [number, number, number, number];

/** The bounding box of the valid points, or null when there is none. One point gives a zero-size box. */
export function boundsOf(points: readonly ProposalPoint[]): Bbox | null {
  let west = Infinity;
  let south = Infinity;
  let east = -Infinity;
  let north = -Infinity;
  for (const p of points) {
    if (!isValidPoint(p)) continue;
    west = Math.min(west, p.lng);
    east = Math.max(east, p.lng);
    south = Math.min(south, p.lat);
    north = Math.max(north, p.lat);
  }
  return west === Infinity ? null : [west, south, east, north];
}

/** The query parameters for a visible area (5 decimals: about a metre). */
export function bboxParams(bbox: Bbox, names: BboxParamNames): Record<string, string> {
  const [w, s, e, n] = bbox.map((v) => v.toFixed(5));
  return { [names.west]: w!, [names.south]: s!, [names.east]: e!, [names.north]: n! };
}

/** "{count} propositions" → "12 propositions". */
export function clusterLabel(template: string, count: number): string {
  return template.replace(/\{count\}/g, String(count));
}
