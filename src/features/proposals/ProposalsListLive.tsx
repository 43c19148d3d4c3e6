import { useEffect } from 'preact/hooks';
import { joinLiveChannel } from '../../lib/supabase/live-channel.ts';
import { interpolate } from '../../lib/i18n/catalog.ts';
import { pluralForm, type PluralForms } from '../../lib/i18n/plural.ts';
import { dispatchMapUpdate, MAP_BOUNDS_EVENT, type MapBoundsDetail, type ProposalPoint } from './map.ts';
import { proposalsTopic, type ProposalBroadcast } from './proposals.ts';

/**
 * The live half of a proposals list. The server rendered the list (and the map); this island
 * joins the component's private Realtime channel and, for each broadcast (which names a proposal
 * and carries its public counts, never its text):
 * - updates the support, like and comment counts of a card in place;
 * - when a proposal's state, answer, text, visibility or withdrawal changed, fetches its card as
 *   this visitor sees it under the current filters (the card endpoint renders the same component)
 *   and replaces it, or removes it when it no longer belongs in the list;
 * - announces new proposals ("2 new proposals — show") and inserts them at the top on request;
 * - refreshes the count and, on the map view, sends the map every point of the current filter.
 * It never touches the filter form. Announcements go to the section's polite live region.
 */

interface Props {
  supabaseUrl: string;
  supabaseKey: string;
  componentId: string;
  locale: string;
  spaceHref: string;
  /** The current filters as URL parameters (without page cursor nor view). */
  query: string;
  map: boolean;
  threshold: number;
  messages: {
    /** Counted messages: both forms, picked on the client by the locale's plural rules. */
    supports: PluralForms;
    likes: PluralForms;
    comments: PluralForms;
    threshold: PluralForms;
    newOne: string;
    newMany: string;
    updated: string;
    removed: string;
    /** "Proposal no. {number}: {counts}." — the counts are the counted messages above, joined. */
    counts: string;
    inserted: PluralForms;
    results: PluralForms;
    mapCount: PluralForms;
  };
}

interface ListSummary {
  total: number;
  counts?: Array<{ id: string; supports: number | null; likes: number; comments: number }>;
  points?: Array<Omit<ProposalPoint, 'href'> & { href: string }>;
  truncated?: boolean;
}

const STRUCTURAL = new Set(['created', 'answer', 'hidden', 'unhidden', 'withdrawn', 'edited']);

export default function ProposalsListLive(props: Props) {
  useEffect(() => {
    const section = document.getElementById('proposals');
    const list = section?.querySelector<HTMLElement>('[data-proposals-list]');
    const live = section?.querySelector<HTMLElement>('[data-proposals-live-region]');
    if (!section || !list || !live) return;
    const banner = section.querySelector<HTMLElement>('[data-proposals-new]');
    const bannerText = section.querySelector<HTMLElement>('[data-proposals-new-text]');
    const showButton = section.querySelector<HTMLButtonElement>('[data-proposals-new-show]');
    const countEl = section.querySelector<HTMLElement>('[data-proposals-count]');
    const m = props.messages;
    let stopped = false;
    const pending = new Map<string, string>();

    const announce = (text: string) => {
      live.textContent = '';
      window.setTimeout(() => {
        live.textContent = text;
      }, 50);
    };

    // Counts can move many times a second on a popular list: say the latest at most every 2 s.
    let countsTimer: number | undefined;
    let countsPending: string | null = null;
    const announceCounts = (text: string) => {
      if (countsTimer !== undefined) {
        countsPending = text;
        return;
      }
      announce(text);
      countsTimer = window.setTimeout(function flush() {
        countsTimer = undefined;
        if (countsPending !== null && !stopped) {
          const next = countsPending;
          countsPending = null;
          announceCounts(next);
        }
      }, 2000);
    };

    const card = (id: string) => document.getElementById(`proposal-${id}`);
    const params = (extra: Record<string, string>) => {
      const q = new URLSearchParams(props.query);
      for (const [k, v] of Object.entries(extra)) q.set(k, v);
      return q.toString();
    };

    const setCount = (el: HTMLElement, kind: 'supports' | 'likes' | 'comments', value: number) => {
      const li = el.querySelector<HTMLElement>(`[data-count="${kind}"]`);
      if (!li || li.dataset['value'] === String(value)) return false;
      li.dataset['value'] = String(value);
      const text = li.querySelector<HTMLElement>('[data-count-text]');
      if (text) text.textContent = pluralForm(props.locale, m[kind], value);
      const progress = li.querySelector<HTMLProgressElement>('progress');
      if (progress) {
        const max = Number(progress.dataset['threshold'] ?? progress.max);
        progress.value = Math.min(value, max);
        progress.setAttribute('aria-label', pluralForm(props.locale, m.threshold, value, { threshold: max }));
      }
      return true;
    };

    const applyCounts = (b: ProposalBroadcast) => {
      const el = card(b.proposal_id);
      if (!el) return;
      let changed = false;
      if (typeof b.supports === 'number') changed = setCount(el, 'supports', b.supports) || changed;
      if (typeof b.likes === 'number') changed = setCount(el, 'likes', b.likes) || changed;
      if (typeof b.comments === 'number') changed = setCount(el, 'comments', b.comments) || changed;
      if (changed) {
        const hasSupports = typeof b.supports === 'number' && !!el.querySelector('[data-count="supports"]');
        announceCounts(
          interpolate(m.counts, {
            number: el.dataset['number'] ?? '',
            counts: [
              ...(hasSupports ? [pluralForm(props.locale, m.supports, b.supports ?? 0)] : []),
              pluralForm(props.locale, m.likes, b.likes),
              pluralForm(props.locale, m.comments, b.comments),
            ].join(', '),
          }),
        );
      }
    };

    const showBanner = () => {
      if (!banner || !bannerText) return;
      if (pending.size === 0) {
        banner.hidden = true;
        return;
      }
      const text = pending.size === 1 ? m.newOne : interpolate(m.newMany, { count: pending.size });
      bannerText.textContent = text;
      banner.hidden = false;
      announce(text);
    };

    const parse = (html: string): HTMLElement | null => {
      const template = document.createElement('template');
      // Server-rendered markup of our own card component (escaped text), not user HTML.
      template.innerHTML = html.trim();
      return template.content.querySelector<HTMLElement>('article.proposal-card');
    };

    const insertPending = () => {
      if (pending.size === 0) return;
      const n = pending.size;
      const items = [...pending.entries()].reverse();
      pending.clear();
      section.querySelector('[data-proposals-empty]')?.remove();
      for (const [id, html] of items) {
        if (card(id)) continue;
        const article = parse(html);
        if (!article) continue;
        const li = document.createElement('li');
        li.append(article);
        list.prepend(li);
      }
      showBanner();
      announce(pluralForm(props.locale, m.inserted, n));
      list.querySelector<HTMLElement>('article a')?.focus();
    };

    const remove = (id: string) => {
      pending.delete(id);
      const el = card(id);
      if (!el) return;
      if (el.contains(document.activeElement)) (document.activeElement as HTMLElement | null)?.blur();
      (el.closest('li') ?? el).remove();
      announce(m.removed);
    };

    let summaryTimer: number | undefined;
    /** The count and the map; after a reconnection, also the counts of every card shown (`catchUp`). */
    let catchUpPending = false;
    const refreshSummary = (catchUp = false) => {
      window.clearTimeout(summaryTimer);
      catchUpPending ||= catchUp;
      summaryTimer = window.setTimeout(async () => {
        const shown = catchUpPending
          ? [...list.querySelectorAll<HTMLElement>('article[data-proposal-id]')].map((a) => a.dataset['proposalId'] ?? '').slice(0, 200)
          : [];
        catchUpPending = false;
        const q = params({ points: props.map ? '1' : '0', size: '1', space: props.spaceHref, ...(shown.length ? { ids: shown.join(',') } : {}) });
        const res = await fetch(`/api/proposals/list/${encodeURIComponent(props.componentId)}?${q}`, {
          credentials: 'same-origin',
          headers: { accept: 'application/json' },
        });
        if (!res.ok || stopped) return;
        const data = (await res.json()) as ListSummary;
        if (data.counts) {
          const still = new Set(data.counts.map((c) => c.id));
          for (const c of data.counts) {
            const el = card(c.id);
            if (!el) continue;
            if (c.supports !== null) setCount(el, 'supports', c.supports);
            setCount(el, 'likes', c.likes);
            setCount(el, 'comments', c.comments);
          }
          for (const id of shown) if (!still.has(id)) remove(id);
        }
        if (countEl) {
          countEl.dataset['total'] = String(data.total);
          countEl.textContent = pluralForm(props.locale, m.results, data.total);
        }
        if (props.map && data.points) {
          dispatchMapUpdate(data.points);
          const note = section.querySelector<HTMLElement>('[data-map-note]');
          if (note && !data.truncated) note.textContent = pluralForm(props.locale, m.mapCount, data.points.length);
          section.querySelector<HTMLElement>('[data-map-total]')?.setAttribute('data-map-total', String(data.points.length));
        }
      }, 250);
    };

    const refetchCard = async (b: ProposalBroadcast) => {
      const id = b.proposal_id;
      const q = params({ component: props.componentId, space: props.spaceHref, locale: props.locale });
      const res = await fetch(`/api/proposals/cards/${encodeURIComponent(id)}?${q}`, { credentials: 'same-origin' });
      if (stopped) return;
      if (res.status === 404) {
        remove(id);
        return;
      }
      if (!res.ok) return;
      const html = await res.text();
      const existing = card(id);
      if (existing) {
        const article = parse(html);
        if (!article || existing.contains(document.activeElement)) return;
        existing.replaceWith(article);
        announce(interpolate(m.updated, { number: article.dataset['number'] ?? '' }));
        return;
      }
      // New to this list: published, back from moderation, or (on the withdrawn list) just withdrawn.
      // An edit or an answer of a proposal that is not on this page is not news (it may be on another page).
      const withdrawnList = new URLSearchParams(props.query).get('withdrawn') === 'true';
      if (b.changes.includes('created') || b.changes.includes('unhidden') || (withdrawnList && b.changes.includes('withdrawn'))) {
        pending.set(id, html);
        showBanner();
      }
    };

    const onBroadcast = (b: ProposalBroadcast) => {
      if (typeof b.proposal_id !== 'string' || !Array.isArray(b.changes) || b.amends_id) return;
      applyCounts(b);
      if (b.changes.some((c) => STRUCTURAL.has(c))) {
        void refetchCard(b);
        refreshSummary();
      } else if (props.map && b.changes.includes('supports') && props.query.includes('supported=')) {
        // A support may move a proposal in or out of "supported by me".
        refreshSummary();
      }
    };

    showButton?.addEventListener('click', insertPending);

    // "Search this area": the map's visible box, as a plain link to the filtered list.
    const searchArea = section.querySelector<HTMLAnchorElement>('[data-search-area]');
    const onBounds = (e: Event) => {
      const detail = (e as CustomEvent<MapBoundsDetail>).detail;
      if (!searchArea || !detail) return;
      const url = new URL(window.location.href);
      url.searchParams.delete('after');
      for (const k of ['lat', 'lng', 'radius']) url.searchParams.delete(k);
      for (const [k, v] of Object.entries(detail.params)) url.searchParams.set(k, v);
      url.searchParams.set('view', 'map');
      searchArea.href = `${url.pathname}?${url.searchParams.toString()}`;
      searchArea.hidden = false;
    };
    window.addEventListener(MAP_BOUNDS_EVENT, onBounds);

    const leave = joinLiveChannel<ProposalBroadcast>({
      supabaseUrl: props.supabaseUrl,
      supabaseKey: props.supabaseKey,
      topic: proposalsTopic(props.componentId),
      event: 'proposal',
      onMessage: onBroadcast,
      marker: section,
      // Back after a disconnection: the count and the map may have changed meanwhile.
      onRejoin: () => refreshSummary(true),
    });
    return () => {
      stopped = true;
      window.clearTimeout(summaryTimer);
      window.clearTimeout(countsTimer);
      showButton?.removeEventListener('click', insertPending);
      window.removeEventListener(MAP_BOUNDS_EVENT, onBounds);
      leave();
    };
  }, [props.componentId, props.query]);

  return null;
}
