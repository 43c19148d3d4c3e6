import { useEffect } from 'preact/hooks';
import { pluralForm, type PluralForms } from '../../lib/i18n/plural.ts';
import { joinLiveChannel } from '../../lib/supabase/live-channel.ts';
import { PresenceState, trackMessage } from '../../lib/supabase/presence.ts';
import { syncThread } from '../comments/thread-sync.ts';
import { sideOf, SIDES, type DebateBroadcast, type Side } from './debates.ts';

/**
 * The live half of a debate's page. Two private Realtime channels (authorised by RLS on
 * realtime.messages): the debate's thread (`comments:debate:<id>`, one message per comment that
 * changed, never its text) and the debate itself (`debate:<id>`: counts and state from the
 * database, and presence).
 *
 * - A new argument is fetched as this visitor may see it, rendered by the server with its forms,
 *   and appended at the end of its column (or under its parent): what the reader is reading does
 *   not move, and no form is ever re-rendered, so a text being typed stays. It is announced in
 *   the polite live region. A column showing earlier arguments counts the newer ones instead.
 * - Counts per side, positions, likes, comments and follows follow the database's broadcasts.
 * - Presence: every open page is one member ("N personnes suivent ce débat"); a page tracks
 *   `w: true` while its person types an argument (and stops after a few quiet seconds). Names
 *   show only for signed-in people who let them: their page carries a ticket signed by the site
 *   for this debate and this member, which readers have the site check; everyone else is counted
 *   anonymously.
 * - After a reconnect it catches up on the thread and the counts.
 */

interface Props {
  supabaseUrl: string;
  supabaseKey: string;
  debateId: string;
  topic: string;
  locale: string;
  /** The newest `updated_at` the server rendered: catch-up starts there. */
  since: string;
  /** The page's path (forms of fetched arguments post there). */
  page: string;
  signedIn: boolean;
  messages: {
    columns: Record<Side, string>;
    sides: Record<Side, string>;
    created: string;
    updated: string;
    removed: string;
    closed: string;
    reopened: string;
    more: PluralForms;
    positionsSummary: string;
    positionsPeople: PluralForms;
    likes: PluralForms;
    comments: PluralForms;
    follows: PluralForms;
    watching: PluralForms;
    writingOne: string;
    writingTwo: string;
    writingMany: string;
    anonymous: PluralForms;
    named: string;
    offline: string;
  };
}

/** Quiet seconds after which a person no longer counts as writing. */
const WRITING_IDLE_MS = 5_000;
/** Renew the name ticket this long before it expires. */
const TICKET_MARGIN_MS = 60_000;

const fill = (text: string, params: Record<string, string | number>) => text.replace(/\{(\w+)\}/g, (w, k: string) => (k in params ? String(params[k]) : w));

export default function DebateLive(props: Props) {
  useEffect(() => {
    const root = document.querySelector<HTMLElement>(`[data-debate="${props.debateId}"]`);
    const args = root?.querySelector<HTMLElement>('#arguments');
    const live = root?.querySelector<HTMLElement>('[data-arguments-live-region]');
    const presenceBox = root?.querySelector<HTMLElement>('[data-presence]');
    if (!root || !args || !live || !presenceBox) return;
    const m = props.messages;
    let stopped = false;
    const column = (side: Side) => args.querySelector<HTMLElement>(`#arguments-${side}`);
    const form = (n: number, forms: PluralForms) => pluralForm(props.locale, forms, n);

    const announce = (text: string) => {
      // A fresh text each time, so screen readers announce a repeated message too.
      live.textContent = '';
      window.setTimeout(() => {
        live.textContent = text;
      }, 50);
    };

    // ------------------------------------------------------------------ counts and state

    const setCounts = (b: DebateBroadcast) => {
      const sides: Record<Side, number | undefined> = { for: b.for, against: b.against, neutral: b.neutral };
      for (const side of SIDES) {
        const n = sides[side];
        if (typeof n !== 'number') continue;
        const text = fill(m.columns[side], { count: n });
        const heading = column(side)?.querySelector<HTMLElement>('[data-column-heading]');
        if (heading && heading.dataset['count'] !== String(n)) {
          heading.dataset['count'] = String(n);
          heading.textContent = text;
        }
        const jump = args.querySelector<HTMLElement>(`[data-jump="${side}"]`);
        if (jump) jump.textContent = text;
      }
      const p = b.positions;
      if (p && typeof p.for === 'number' && typeof p.against === 'number' && typeof p.neutral === 'number') {
        const summary = root.querySelector<HTMLElement>('[data-positions]');
        if (summary) summary.textContent = fill(m.positionsSummary, { for: p.for, against: p.against, neutral: p.neutral });
        const total = root.querySelector<HTMLElement>('[data-positions-total]');
        if (total) total.textContent = form(p.for + p.against + p.neutral, m.positionsPeople);
      }
      for (const [key, forms] of [['likes', m.likes], ['comments', m.comments], ['follows', m.follows]] as const) {
        const n = b[key];
        const el = root.querySelector<HTMLElement>(`[data-count="${key}"]`);
        if (el && typeof n === 'number') el.textContent = form(n, forms);
      }
      if (b.changes?.includes('closed') || b.changes?.includes('reopened')) {
        const closed = b.changes.includes('closed');
        // The form stays where it is, with what was typed; it just no longer sends (the database
        // would refuse it) until the debate is reopened.
        for (const el of args.querySelectorAll<HTMLButtonElement | HTMLInputElement>('#argument-new button, #argument-new input[type="radio"]')) el.disabled = closed;
        announce(closed ? m.closed : m.reopened);
      }
    };

    const refreshState = async () => {
      const res = await fetch(`/api/debates/${encodeURIComponent(props.debateId)}/state`, { credentials: 'same-origin', headers: { accept: 'application/json' } });
      if (res.ok && !stopped) setCounts((await res.json()) as DebateBroadcast);
    };

    // ------------------------------------------------------------------ arguments

    /** A column showing earlier arguments says how many newer ones came instead of showing them. */
    const countNewer = (side: Side) => {
      const notice = column(side)?.querySelector<HTMLElement>('[data-more-notice]');
      if (!notice) return;
      const n = Number(notice.dataset['count'] ?? '0') + 1;
      notice.dataset['count'] = String(n);
      notice.textContent = `${form(n, m.more)} `;
      notice.hidden = false;
    };

    const leaveThread = syncThread({
      supabaseUrl: props.supabaseUrl,
      supabaseKey: props.supabaseKey,
      resourceType: 'debate',
      resourceId: props.debateId,
      root: args,
      since: props.since,
      fragmentUrl: (c) => {
        const side = sideOf(c.alignment);
        if (!c.parentId && column(side)?.dataset['latest'] !== 'true') {
          countNewer(side);
          return null;
        }
        const q = new URLSearchParams({ page: props.page, locale: props.locale });
        return `/api/debates/${encodeURIComponent(props.debateId)}/argument/${encodeURIComponent(c.id)}?${q.toString()}`;
      },
      placeTop: (article, c) => {
        const list = column(sideOf(c.alignment))?.querySelector<HTMLElement>('[data-arguments-list]');
        if (!list) return false;
        list.querySelector(':scope > [data-column-empty]')?.remove();
        list.append(article);
        return true;
      },
      onDeleted: (_existing, body) => {
        body?.remove();
        announce(m.removed);
      },
      onInserted: (c) => {
        const side = sideOf(c.alignment);
        announce(fill(m.created, { side: m.sides[side].toLowerCase(), name: c.author?.name ?? '—' }));
      },
      onUpdated: () => announce(m.updated),
      onRemoved: () => announce(m.removed),
    });

    // ------------------------------------------------------------------ presence

    const key = crypto.randomUUID();
    const presence = new PresenceState();
    const countEl = presenceBox.querySelector<HTMLElement>('[data-presence-count]');
    const writingEl = presenceBox.querySelector<HTMLElement>('[data-presence-writing]');
    let ticket: { ticket: string; expiresAt: number } | null = null;
    let writing = false;
    let idle: number | undefined;
    let joined = false;
    const names = new Map<string, string | null>();
    let writingText = '';

    const track = () => {
      if (!joined) return;
      channel.push('presence', trackMessage(ticket && writing ? { w: true, t: ticket.ticket } : { w: writing }));
    };

    const loadTicket = async () => {
      if (!props.signedIn) return;
      const res = await fetch(`/api/debates/${encodeURIComponent(props.debateId)}/presence?key=${encodeURIComponent(key)}`, {
        credentials: 'same-origin',
        headers: { accept: 'application/json' },
      });
      if (!res.ok || stopped) return;
      const body = (await res.json()) as { ticket: string | null; expiresAt?: number };
      ticket = body.ticket && body.expiresAt ? { ticket: body.ticket, expiresAt: body.expiresAt } : null;
    };

    /** The site says which writers' tickets are good (and whose names they carry). */
    const resolve = async (entries: { key: string; ticket: string }[]) => {
      const fresh = entries.filter((e) => !names.has(e.ticket));
      if (!fresh.length) return;
      for (const e of fresh) names.set(e.ticket, null);
      const res = await fetch(`/api/debates/${encodeURIComponent(props.debateId)}/presence`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ entries: fresh.slice(0, 50) }),
      });
      if (!res.ok || stopped) return;
      const body = (await res.json()) as { names: Record<string, string> };
      for (const e of fresh) names.set(e.ticket, body.names[e.key] ?? null);
      renderPresence();
    };

    const renderPresence = () => {
      if (countEl) countEl.textContent = form(Math.max(presence.size, 1), m.watching);
      const named: string[] = [];
      let anonymous = 0;
      const pending: { key: string; ticket: string }[] = [];
      for (const [k, metas] of presence.list()) {
        if (k === key) continue;
        const w = metas.find((x) => x['w'] === true);
        if (!w) continue;
        const t = typeof w['t'] === 'string' ? w['t'] : null;
        const name = t ? names.get(t) : null;
        if (t && !names.has(t)) pending.push({ key: k, ticket: t });
        if (name) named.push(name);
        else anonymous += 1;
      }
      if (pending.length) void resolve(pending);
      let text = '';
      if (named.length === 1 && anonymous === 0) text = fill(m.writingOne, { name: named[0]! });
      else if (named.length === 2 && anonymous === 0) text = fill(m.writingTwo, { first: named[0]!, second: named[1]! });
      else if (named.length > 2 && anonymous === 0) text = fill(m.writingMany, { names: named.slice(0, 2).join(', '), count: named.length - 2 });
      else if (named.length > 0) text = fill(m.named, { names: named.slice(0, 3).join(', '), count: anonymous });
      else if (anonymous > 0) text = form(anonymous, m.anonymous);
      // The region speaks only when who is writing changes.
      if (writingEl && text !== writingText) {
        writingText = text;
        writingEl.textContent = text;
      }
    };

    const channel = joinLiveChannel<DebateBroadcast>({
      supabaseUrl: props.supabaseUrl,
      supabaseKey: props.supabaseKey,
      topic: props.topic,
      event: 'debate',
      onMessage: setCounts,
      marker: presenceBox,
      presence: { key },
      onEvent: (event, payload) => {
        if (presence.apply(event, payload)) renderPresence();
      },
      onJoin: () => {
        joined = true;
        track();
      },
      onRejoin: () => void refreshState(),
    });

    const input = args.querySelector<HTMLTextAreaElement>('#argument-body');
    const stopWriting = () => {
      window.clearTimeout(idle);
      if (!writing) return;
      writing = false;
      track();
    };
    const onInput = () => {
      window.clearTimeout(idle);
      idle = window.setTimeout(stopWriting, WRITING_IDLE_MS);
      if (writing) return;
      writing = true;
      if (props.signedIn && (!ticket || ticket.expiresAt * 1000 - Date.now() < TICKET_MARGIN_MS)) void loadTicket().then(track);
      else track();
    };
    input?.addEventListener('input', onInput);
    input?.form?.addEventListener('submit', stopWriting);
    input?.addEventListener('blur', stopWriting);

    return () => {
      stopped = true;
      input?.removeEventListener('input', onInput);
      input?.removeEventListener('blur', stopWriting);
      window.clearTimeout(idle);
      leaveThread();
      channel();
    };
  }, [props.debateId]);

  return null;
}
