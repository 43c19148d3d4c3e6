import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { type AddressDetail, CHOOSE_EVENT, FOUND_EVENT, PICKED_EVENT } from './address-events.ts';

/*
 * Address suggestions on an address field (the ARIA 1.2 combobox pattern, on the field the server
 * rendered, so the form works without it): from three characters, the organization's imported
 * addresses (`/api/addresses/search`, trigrams in Postgres; nothing leaves the platform) in a
 * listbox under the field; arrows move through them, Enter or a click chooses, Escape closes.
 * Choosing fills the field and the point's latitude and longitude, and tells the map
 * (`decidons:address-picked`), which moves there. The map tells back the nearest address of a
 * clicked point (`decidons:address-found`). Each change is said in a polite live region.
 */


interface Props {
  inputId: string;
  latitudeId: string;
  longitudeId: string;
  labels: { list: string; one: string; other: string; none: string; picked: string; found: string };
}

interface Suggestion {
  id: string;
  label: string;
  lat: number;
  lng: number;
}

const fill = (template: string, params: Record<string, string | number>) => template.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? ''));
const round = (n: number) => String(Math.round(n * 1e6) / 1e6);

export default function AddressSearch(props: Props) {
  const [items, setItems] = useState<Suggestion[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [said, setSaid] = useState('');
  const state = useRef({ items, active, open });
  state.current = { items, active, open };
  const listId = `${props.inputId}-suggestions`;

  useEffect(() => {
    const input = document.getElementById(props.inputId) as HTMLInputElement | null;
    if (!input) return;
    const lat = document.getElementById(props.latitudeId) as HTMLInputElement | null;
    const lng = document.getElementById(props.longitudeId) as HTMLInputElement | null;
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-expanded', 'false');
    input.setAttribute('aria-controls', listId);
    input.setAttribute('autocomplete', 'off');
    let timer: ReturnType<typeof setTimeout> | undefined;
    let controller: AbortController | undefined;

    const choose = (s: Suggestion) => {
      input.value = s.label;
      if (lat) lat.value = round(s.lat);
      if (lng) lng.value = round(s.lng);
      setOpen(false);
      setActive(-1);
      setSaid(fill(props.labels.picked, { label: s.label }));
      document.dispatchEvent(new CustomEvent<AddressDetail>(PICKED_EVENT, { detail: { label: s.label, lat: s.lat, lng: s.lng } }));
    };

    const search = (q: string) => {
      controller?.abort();
      if (q.trim().length < 3) {
        setItems([]);
        setOpen(false);
        return;
      }
      controller = new AbortController();
      fetch(`/api/addresses/search?q=${encodeURIComponent(q)}`, { signal: controller.signal })
        .then((r) => (r.ok ? r.json() : { suggestions: [] }))
        .then((body: { suggestions?: Suggestion[] }) => {
          const list = body.suggestions ?? [];
          setItems(list);
          setActive(-1);
          setOpen(list.length > 0);
          setSaid(list.length === 0 ? props.labels.none : fill(list.length === 1 ? props.labels.one : props.labels.other, { count: list.length }));
        })
        .catch(() => undefined);
    };

    const onInput = () => {
      clearTimeout(timer);
      timer = setTimeout(() => search(input.value), 150);
    };
    const onKey = (e: KeyboardEvent) => {
      const { items: list, active: at, open: shown } = state.current;
      if (e.key === 'ArrowDown' && list.length > 0) {
        e.preventDefault();
        setOpen(true);
        setActive(shown ? (at + 1) % list.length : 0);
      } else if (e.key === 'ArrowUp' && list.length > 0 && shown) {
        e.preventDefault();
        setActive(at <= 0 ? list.length - 1 : at - 1);
      } else if (e.key === 'Enter' && shown && at >= 0 && list[at]) {
        // Choosing, not sending the form.
        e.preventDefault();
        choose(list[at]);
      } else if (e.key === 'Escape' && shown) {
        e.preventDefault();
        setOpen(false);
        setActive(-1);
      }
    };
    const onBlur = () => setTimeout(() => setOpen(false), 150);
    const onFound = (e: Event) => {
      const d = (e as CustomEvent<AddressDetail>).detail;
      input.value = d.label;
      setSaid(fill(props.labels.found, { label: d.label }));
    };
    const onChoose = (e: Event) => choose((e as CustomEvent<Suggestion>).detail);
    input.addEventListener('input', onInput);
    input.addEventListener('keydown', onKey);
    input.addEventListener('blur', onBlur);
    document.addEventListener(FOUND_EVENT, onFound);
    document.addEventListener(CHOOSE_EVENT, onChoose);
    return () => {
      clearTimeout(timer);
      controller?.abort();
      input.removeEventListener('input', onInput);
      input.removeEventListener('keydown', onKey);
      input.removeEventListener('blur', onBlur);
      document.removeEventListener(FOUND_EVENT, onFound);
      document.removeEventListener(CHOOSE_EVENT, onChoose);
    };
  }, []);

  // Before paint, in the same turn as the key that moved it: a screen reader reads the option the
  // arrow went to, not the previous one (useEffect waits for the next frame).
  useLayoutEffect(() => {
    const input = document.getElementById(props.inputId);
    if (!input) return;
    input.setAttribute('aria-expanded', String(open && items.length > 0));
    if (open && active >= 0) input.setAttribute('aria-activedescendant', `${listId}-${active}`);
    else input.removeAttribute('aria-activedescendant');
  }, [open, active, items]);

  return (
    <div class="address-search">
      <ul
        id={listId}
        role="listbox"
        aria-label={props.labels.list}
        class="address-search__list"
        hidden={!open || items.length === 0}
        style="list-style: none; margin: 0.25rem 0 0; padding: 0; max-width: 36rem; border: 1px solid #3a3a3a; border-radius: 0.25rem; background: #fff;"
      >
        {items.map((s, i) => (
          <li
            id={`${listId}-${i}`}
            role="option"
            aria-selected={i === active}
            onMouseDown={(e) => {
              e.preventDefault();
              document.dispatchEvent(new CustomEvent(CHOOSE_EVENT, { detail: s }));
            }}
            style={`padding: 0.5rem 0.75rem; cursor: pointer; ${i === active ? 'background: #000091; color: #fff;' : ''}`}
          >
            {s.label}
          </li>
        ))}
      </ul>
      <p class="visually-hidden" aria-live="polite">
        {said}
      </p>
    </div>
  );
}
