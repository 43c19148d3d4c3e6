import type { default as MapboxGlModule, GeoJSONSource, Map as MapboxMap, MapMouseEvent, Marker, Popup } from 'mapbox-gl';
import { useEffect, useRef, useState } from 'preact/hooks';
import {
  MAP_BOUNDS_EVENT,
  MAP_UPDATE_EVENT,
  NO_STATE_COLOR,
  bboxParams,
  boundsOf,
  clusterLabel,
  toFeatureCollection,
  type Bbox,
  type MapBoundsDetail,
  type MapUpdateDetail,
  type ProposalPoint,
  type ProposalsMapProps,
} from './map.ts';
// CSS as URLs, linked at run time by the island: Astro would otherwise add it to every page whose
// module graph reaches this island (the feature registry imports each feature's pages lazily).
import mapboxCssUrl from 'mapbox-gl/dist/mapbox-gl.css?url';
import ownCssUrl from './ProposalsMap.css?url';
import { addMapLabels } from '../maps/labels.ts';

/*
 * The proposals map: the proposals of the current filter, clustered. The server renders a
 * placeholder (what the map would show, in words, and a "show the map" button); mapbox-gl (1.9 MB,
 * 500 KB gzipped) is imported only once the map is wanted: on a click, or, with `load="visible"`,
 * when the placeholder scrolls into view. It is a chunk of its own, fetched after the page is
 * interactive, and never by a page that does not show a map.
 *
 * Without a token nothing may reach Mapbox. mapbox-gl v3 itself only asks for a token for
 * `mapbox://` URLs, but once the first frame is fully loaded it checks the map session with Mapbox's
 * API, and without a token it then stops drawing (an "access token required" error and a blank
 * canvas). That check, and all telemetry, only run while `baseApiUrl` is Mapbox's own API host
 * (`config.EVENTS_URL` is null otherwise), so the tokenless mode points `baseApiUrl` at this site:
 * with a style that has no `mapbox://` URL, no request goes anywhere but here.
 */

const SOURCE = 'proposals';
const DEFAULT_COLOR = NO_STATE_COLOR;
const CLUSTER_COLOR = '#1f5f8b';
// Cluster circle radius (px) by number of proposals: the HTML count label matches it.
const radiusFor = (count: number) => (count < 10 ? 16 : count < 50 ? 20 : 26);

type MapboxGl = typeof MapboxGlModule;

/** Adds a stylesheet once and resolves when it applies (or failed: the map still works). */
function linkStylesheet(href: string): Promise<void> {
  const existing = document.querySelector<HTMLLinkElement>(`link[data-proposals-map-css="${CSS.escape(href)}"]`);
  if (existing?.dataset['loaded']) return Promise.resolve();
  const link = existing ?? Object.assign(document.createElement('link'), { rel: 'stylesheet', href });
  link.dataset['proposalsMapCss'] = href;
  const done = new Promise<void>((resolve) => {
    const settle = () => {
      link.dataset['loaded'] = 'true';
      resolve();
    };
    link.addEventListener('load', settle, { once: true });
    link.addEventListener('error', settle, { once: true });
  });
  if (!existing) document.head.append(link);
  return done;
}

interface ClusterProps {
  cluster_id: number;
  point_count: number;
}

/*
 * mapbox-gl's feature type leans on @types/geojson, which this project does not install: read the
 * few fields used here through this shape instead.
 */
interface QueriedPoint<P> {
  geometry: { type: string; coordinates: [number, number] };
  properties: P | null;
}
function asPoint<P>(feature: unknown): { lngLat: [number, number]; properties: P } | null {
  const f = feature as QueriedPoint<P> | undefined;
  if (!f || f.geometry?.type !== 'Point' || !f.properties) return null;
  return { lngLat: [f.geometry.coordinates[0], f.geometry.coordinates[1]], properties: f.properties };
}

export default function ProposalsMap(props: ProposalsMapProps) {
  const region = useRef<HTMLDivElement>(null);
  const canvasHost = useRef<HTMLDivElement>(null);
  // The island mounts once per page: later prop changes come through MAP_UPDATE_EVENT instead.
  const initial = useRef(props);
  const start = useRef<(focus: boolean) => void>(() => undefined);
  // Without JavaScript the button would do nothing: it appears once the island runs.
  const [hydrated, setHydrated] = useState(false);
  const [requested, setRequested] = useState(false);

  useEffect(() => {
    const { features, styleUrl, token, center, zoom, labels, bboxParamNames, load = 'click' } = initial.current;
    const root = region.current!;
    const host = canvasHost.current!;
    let map: MapboxMap | undefined;
    let disposed = false;
    let points: ProposalPoint[] = features;
    const clusterMarkers = new Map<number, Marker>();
    let popup: Popup | undefined;

    const mark = (ready: boolean) => {
      root.dataset['mapPoints'] = String(toFeatureCollection(points).features.length);
      root.dataset['mapReady'] = ready ? 'true' : 'false';
    };
    mark(false);

    const fit = (m: MapboxMap, bbox: Bbox | null, animate: boolean) => {
      if (!bbox) return;
      const [w, s, e, n] = bbox;
      if (w === e && s === n) m.jumpTo({ center: [w, s], zoom: Math.max(m.getZoom(), 14) });
      else m.fitBounds([[w, s], [e, n]], { padding: 48, maxZoom: 16, animate });
    };

    // The count on each cluster, as an HTML button (no glyphs needed, and a real accessible name).
    const syncClusterMarkers = (gl: MapboxGl, m: MapboxMap) => {
      if (!m.getSource(SOURCE)) return;
      const seen = new Set<number>();
      for (const f of m.querySourceFeatures(SOURCE, { filter: ['has', 'point_count'] })) {
        const point = asPoint<ClusterProps>(f);
        if (!point || seen.has(point.properties.cluster_id)) continue;
        const p = point.properties;
        seen.add(p.cluster_id);
        if (clusterMarkers.has(p.cluster_id)) continue;
        const size = radiusFor(p.point_count) * 2;
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'proposals-map__cluster';
        // Marker gives elements without a role role="img"; this one is a real button.
        button.setAttribute('role', 'button');
        button.textContent = String(p.point_count);
        button.setAttribute('aria-label', clusterLabel(labels.cluster, p.point_count));
        button.style.cssText = `width:${size}px;height:${size}px;`;
        const [lng, lat] = point.lngLat;
        const clusterId = p.cluster_id;
        button.addEventListener('click', (ev) => {
          ev.stopPropagation();
          zoomIntoCluster(m, clusterId, [lng, lat]);
        });
        clusterMarkers.set(clusterId, new gl.Marker({ element: button }).setLngLat([lng, lat]).addTo(m));
      }
      for (const [id, marker] of clusterMarkers) {
        if (!seen.has(id)) {
          marker.remove();
          clusterMarkers.delete(id);
        }
      }
    };

    const zoomIntoCluster = (m: MapboxMap, clusterId: number, lngLat: [number, number]) => {
      (m.getSource(SOURCE) as GeoJSONSource).getClusterExpansionZoom(clusterId, (err, z) => {
        if (err || z == null) return;
        m.easeTo({ center: lngLat, zoom: z });
      });
    };

    const openPopup = (gl: MapboxGl, m: MapboxMap, e: MapMouseEvent) => {
      const point = asPoint<{ title: string; href: string }>(e.features?.[0]);
      if (!point) return;
      const { title, href } = point.properties;
      const content = document.createElement('p');
      content.className = 'proposals-map__popup';
      const link = document.createElement('a');
      link.href = href;
      link.textContent = title;
      link.title = labels.open;
      content.append(link);
      popup?.remove();
      popup = new gl.Popup({ offset: 12, maxWidth: '18rem', focusAfterOpen: true })
        .setLngLat(point.lngLat)
        .setDOMContent(content)
        .addTo(m);
      if (labels.close) popup.getElement()?.querySelector('.mapboxgl-popup-close-button')?.setAttribute('aria-label', labels.close);
    };

    const onUpdate = (ev: Event) => {
      const detail = (ev as CustomEvent<MapUpdateDetail>).detail;
      if (!detail || !Array.isArray(detail.features)) return;
      points = detail.features;
      const source = map?.getSource(SOURCE) as GeoJSONSource | undefined;
      if (!map || !source) {
        mark(false);
        return; // 'load' will use `points`
      }
      mark(false);
      popup?.remove();
      source.setData(toFeatureCollection(points));
      fit(map, boundsOf(points), true);
      map.once('idle', () => !disposed && mark(true));
    };
    window.addEventListener(MAP_UPDATE_EVENT, onUpdate);

    let started = false;
    let observer: IntersectionObserver | undefined;
    start.current = (focus: boolean) => {
      if (started || disposed) return;
      started = true;
      observer?.disconnect();
      root.dataset['mapState'] = 'loading';
      setRequested(true);
      void show(focus);
    };
    if (load === 'visible' && 'IntersectionObserver' in window) {
      // A little before it is on screen, so the map is there when the visitor gets to it.
      observer = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && start.current(false), { rootMargin: '200px' });
      observer.observe(root);
    }
    setHydrated(true);

    const show = async (focus: boolean) => {
      try {
        await showMap(focus);
      } catch (err: unknown) {
        root.dataset['mapError'] = err instanceof Error ? err.message : String(err);
        console.error('[proposals map]', err);
      }
    };

    const showMap = async (focus: boolean) => {
      // The CSS first: mapbox-gl warns when its CSS is missing at construction.
      const [{ default: gl }] = await Promise.all([import('mapbox-gl'), linkStylesheet(mapboxCssUrl), linkStylesheet(ownCssUrl)]);
      if (disposed) return;
      host.hidden = false;
      if (token) {
        gl.accessToken = token;
      } else {
        // See the comment at the top: no Mapbox session check, no telemetry, nothing to Mapbox.
        gl.baseApiUrl = window.location.origin;
      }
      const isMapboxStyle = styleUrl.startsWith('mapbox://');
      map = new gl.Map({
        container: host,
        style: isMapboxStyle ? styleUrl : new URL(styleUrl, window.location.href).href,
        center,
        zoom,
        cooperativeGestures: false,
        collectResourceTiming: false,
        performanceMetricsCollection: Boolean(token),
        // Text shaping uses local fonts (no glyph requests) if a style ever adds labels.
        localFontFamily: 'sans-serif',
        attributionControl: Boolean(token),
        locale: {
          // Not the region's own name: two landmarks with one name cannot be told apart (axe landmark-unique).
          'Map.Title': labels.canvas ?? labels.region,
          ...(labels.zoomIn ? { 'NavigationControl.ZoomIn': labels.zoomIn } : {}),
          ...(labels.zoomOut ? { 'NavigationControl.ZoomOut': labels.zoomOut } : {}),
        },
      });
      const m = map;
      m.addControl(new gl.NavigationControl({ showCompass: false }), 'top-right');
      m.on('error', (e) => console.warn('[proposals map]', e.error?.message ?? e));

      m.on('load', () => {
        if (disposed) return;
        // The platform's own style carries the names of the town as data: labels drawn in HTML.
        if (!isMapboxStyle) addMapLabels(gl, m);
        m.addSource(SOURCE, {
          type: 'geojson',
          data: toFeatureCollection(points),
          cluster: true,
          clusterRadius: 48,
          clusterMaxZoom: 16,
        });
        m.addLayer({
          id: 'proposals-clusters',
          type: 'circle',
          source: SOURCE,
          filter: ['has', 'point_count'],
          paint: {
            'circle-color': CLUSTER_COLOR,
            'circle-opacity': 0.9,
            'circle-radius': ['step', ['get', 'point_count'], radiusFor(1), 10, radiusFor(10), 50, radiusFor(50)],
            'circle-stroke-width': 2,
            'circle-stroke-color': '#ffffff',
          },
        });
        m.addLayer({
          id: 'proposals-points',
          type: 'circle',
          source: SOURCE,
          filter: ['!', ['has', 'point_count']],
          paint: {
            'circle-color': ['coalesce', ['get', 'color'], DEFAULT_COLOR],
            'circle-radius': 8,
            'circle-stroke-width': 2,
            'circle-stroke-color': '#ffffff',
          },
        });
        m.on('click', 'proposals-clusters', (e) => {
          const point = asPoint<ClusterProps>(e.features?.[0]);
          if (point) zoomIntoCluster(m, point.properties.cluster_id, point.lngLat);
        });
        m.on('click', 'proposals-points', (e) => openPopup(gl, m, e));
        for (const layer of ['proposals-clusters', 'proposals-points']) {
          m.on('mouseenter', layer, () => (m.getCanvas().style.cursor = 'pointer'));
          m.on('mouseleave', layer, () => (m.getCanvas().style.cursor = ''));
        }
        m.on('render', () => syncClusterMarkers(gl, m));
        if (bboxParamNames) {
          m.on('moveend', () => {
            const b = m.getBounds();
            if (!b) return;
            const bbox: Bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()];
            window.dispatchEvent(
              new CustomEvent<MapBoundsDetail>(MAP_BOUNDS_EVENT, { detail: { bbox, params: bboxParams(bbox, bboxParamNames) } }),
            );
          });
        }
        fit(m, boundsOf(points), false);
        m.once('idle', () => !disposed && mark(true));
      });
      // The button that asked for the map is gone: keyboard focus goes to the map it showed.
      if (focus) m.getCanvas().focus();
    };

    return () => {
      disposed = true;
      observer?.disconnect();
      window.removeEventListener(MAP_UPDATE_EVENT, onUpdate);
      for (const marker of clusterMarkers.values()) marker.remove();
      map?.remove();
    };
  }, []);

  return (
    <div
      ref={region}
      class={requested ? 'proposals-map' : 'proposals-map proposals-map--placeholder'}
      role="region"
      aria-label={props.labels.region}
      data-map-ready="false"
      data-map-state={requested ? undefined : 'placeholder'}
    >
      {!requested && (
        <div class="proposals-map__placeholder">
          <p>{props.placeholder ?? ''}</p>
          {hydrated && (
            <button type="button" class="btn btn--secondary" data-map-show onClick={() => start.current(true)}>
              {props.labels.show ?? ''}
            </button>
          )}
        </div>
      )}
      <div ref={canvasHost} class="proposals-map__canvas" hidden={!requested} />
    </div>
  );
}
