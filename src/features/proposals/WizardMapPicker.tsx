import type { Map as MapboxMap, Marker } from 'mapbox-gl';
import { useEffect, useRef } from 'preact/hooks';
import mapboxCssUrl from 'mapbox-gl/dist/mapbox-gl.css?url';
import { type AddressDetail, FOUND_EVENT, PICKED_EVENT } from '../maps/address-events.ts';
import { addMapLabels } from '../maps/labels.ts';

/*
 * The wizard's point picker: a map on which a click (or a tap) puts the proposal's point, filling
 * the latitude and longitude fields next to it. The fields stay the way to give a point without a
 * mouse or without JavaScript; typing in them moves the marker. Same tokenless set-up as the
 * proposals map (ProposalsMap.tsx): without a token nothing is requested from Mapbox. An address
 * chosen in the address field's suggestions moves the map there; a click asks the platform for
 * the nearest imported address (`/api/addresses/reverse`) and hands it to the address field.
 */

interface Props {
  styleUrl: string;
  token: string | null;
  /** [lng, lat] shown when no point is set yet. */
  center: [number, number];
  zoom: number;
  latitudeId: string;
  longitudeId: string;
  label: string;
}

function linkStylesheet(href: string): Promise<void> {
  if (document.querySelector(`link[data-picker-css="${CSS.escape(href)}"]`)) return Promise.resolve();
  const link = Object.assign(document.createElement('link'), { rel: 'stylesheet', href });
  link.dataset['pickerCss'] = href;
  const done = new Promise<void>((resolve) => {
    link.addEventListener('load', () => resolve(), { once: true });
    link.addEventListener('error', () => resolve(), { once: true });
  });
  document.head.append(link);
  return done;
}

const round = (n: number) => Math.round(n * 1e6) / 1e6;

export default function WizardMapPicker(props: Props) {
  const host = useRef<HTMLDivElement>(null);
  const initial = useRef(props);

  useEffect(() => {
    const { styleUrl, token, center, zoom, latitudeId, longitudeId } = initial.current;
    const lat = document.getElementById(latitudeId) as HTMLInputElement | null;
    const lng = document.getElementById(longitudeId) as HTMLInputElement | null;
    const el = host.current;
    if (!lat || !lng || !el) return;
    let map: MapboxMap | undefined;
    let marker: Marker | undefined;
    let disposed = false;
    const typed = (): [number, number] | null => {
      const a = Number(lat.value.replace(',', '.'));
      const o = Number(lng.value.replace(',', '.'));
      return lat.value.trim() && lng.value.trim() && Number.isFinite(a) && Number.isFinite(o) && Math.abs(a) <= 90 && Math.abs(o) <= 180 ? [o, a] : null;
    };
    const onType = () => {
      const p = typed();
      if (p && marker) marker.setLngLat(p).addTo(map!);
    };

    void (async () => {
      const [{ default: gl }] = await Promise.all([import('mapbox-gl'), linkStylesheet(mapboxCssUrl)]);
      if (disposed) return;
      if (token) gl.accessToken = token;
      else gl.baseApiUrl = window.location.origin;
      const start = typed();
      map = new gl.Map({
        container: el,
        style: styleUrl.startsWith('mapbox://') ? styleUrl : new URL(styleUrl, window.location.href).href,
        center: start ?? center,
        zoom: start ? Math.max(zoom, 15) : zoom,
        collectResourceTiming: false,
        performanceMetricsCollection: Boolean(token),
        localFontFamily: 'sans-serif',
        attributionControl: Boolean(token),
      });
      map.addControl(new gl.NavigationControl({ showCompass: false }));
      marker = new gl.Marker({ color: '#000091' });
      if (start) marker.setLngLat(start).addTo(map);
      map.on('click', (e) => {
        const { lng: o, lat: a } = e.lngLat.wrap();
        lat.value = String(round(a));
        lng.value = String(round(o));
        marker!.setLngLat([o, a]).addTo(map!);
        void fetch(`/api/addresses/reverse?lat=${round(a)}&lng=${round(o)}`)
          .then((r) => (r.ok ? r.json() : { address: null }))
          .then((body: { address: AddressDetail | null }) => {
            if (body.address && !disposed) document.dispatchEvent(new CustomEvent<AddressDetail>(FOUND_EVENT, { detail: body.address }));
          })
          .catch(() => undefined);
      });
      map.on('load', () => {
        if (!styleUrl.startsWith('mapbox://') && map) addMapLabels(gl, map);
        el.dataset['pickerReady'] = 'true';
      });
    })();
    const onPicked = (e: Event) => {
      const d = (e as CustomEvent<AddressDetail>).detail;
      if (!map || !marker) return;
      marker.setLngLat([d.lng, d.lat]).addTo(map);
      map.jumpTo({ center: [d.lng, d.lat], zoom: Math.max(map.getZoom(), 16) });
      el.dataset['pickerCenter'] = `${round(d.lat)},${round(d.lng)}`;
    };
    document.addEventListener(PICKED_EVENT, onPicked);
    lat.addEventListener('input', onType);
    lng.addEventListener('input', onType);
    return () => {
      disposed = true;
      document.removeEventListener(PICKED_EVENT, onPicked);
      lat.removeEventListener('input', onType);
      lng.removeEventListener('input', onType);
      map?.remove();
    };
  }, []);

  return <div ref={host} class="wizard-map-picker" role="region" aria-label={props.label} style="height: 18rem; max-width: 36rem;" />;
}
