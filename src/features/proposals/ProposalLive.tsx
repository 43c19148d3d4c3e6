import { actions } from 'astro:actions';
import { useEffect } from 'preact/hooks';
import { interpolate, type Params } from '../../lib/i18n/catalog.ts';
import { pluralForm, type PluralForms } from '../../lib/i18n/plural.ts';
import { joinLiveChannel } from '../../lib/supabase/live-channel.ts';
import { proposalsTopic, type ProposalBroadcast } from './proposals.ts';

/**
 * The live half of a proposal's page. The server rendered the page; this island joins the
 * component's private channel (authorised by RLS on realtime.messages) and, for the broadcasts
 * about this proposal (counts only, never text), updates the support and like counts and the
 * progress to the threshold in place; an answer, a state change or a withdrawal fetches the state
 * block again as this visitor sees it; a hidden proposal shows a notice. Each update is announced
 * in the page's polite live region. No form is re-rendered: nothing someone types is lost.
 *
 * It also enhances the participation forms (support, like, follow: `form[data-participate]`):
 * with JavaScript they call the same Astro action from here instead of posting the page, then
 * read the visitor's participation back from the server (`/api/proposals/<id>/participation`) and
 * update the buttons, the counts and the supports left in place; focus stays on the button. A
 * refusal shows its translated message in the page's alert area. Counts are absolute (in the
 * broadcasts and in the read-back), so the broadcast of one's own support is never added twice.
 */

/** The visitor's participation as the server reads it after a write. */
export interface ProposalParticipation {
  supports: number | null;
  likes: number;
  follows: number;
  supported: boolean;
  liked: boolean;
  following: boolean;
  supportsCast: number;
}

interface Props {
  supabaseUrl: string;
  supabaseKey: string;
  componentId: string;
  proposalId: string;
  locale: string;
  /** Counted messages (`{count}` placeholder; `{threshold}` filled here) and notices. */
  messages: {
    supports: PluralForms;
    likes: PluralForms;
    follows: PluralForms;
    liveSupports: string;
    liveLikes: string;
    answer: string;
    hidden: string;
    withdrawn: string;
  };
  /** The component's limits and the participation texts (absent when the page has no such form). */
  participation: {
    threshold: number;
    canAccumulate: boolean;
    voteLimit: number;
    minimum: number;
    remaining: PluralForms;
    /** `{max}` placeholder. */
    noneLeft: string;
    /** `{min}` and `{count}` placeholders. */
    minimumLine: string;
    thresholdReached: string;
    supported: string;
    labels: { support: string; unsupport: string; like: string; unlike: string; follow: string; unfollow: string };
    /** Status lines after a write, by action name. */
    statuses: Record<string, string>;
    /** Translated refusals by message key (placeholders kept), incl. `error.generic`. */
    errors: Record<string, string>;
  };
}

type Kind = 'support' | 'like' | 'follow';
const ACTIONS = {
  support: { on: 'supportProposal', off: 'unsupportProposal' },
  like: { on: 'likeProposal', off: 'unlikeProposal' },
  follow: { on: 'followProposal', off: 'unfollowProposal' },
} as const;
type ActionName = (typeof ACTIONS)[Kind]['on' | 'off'];

const call = (name: ActionName, form: FormData) => {
  switch (name) {
    case 'supportProposal':
      return actions.proposals.supportProposal(form);
    case 'unsupportProposal':
      return actions.proposals.unsupportProposal(form);
    case 'likeProposal':
      return actions.proposals.likeProposal(form);
    case 'unlikeProposal':
      return actions.proposals.unlikeProposal(form);
    case 'followProposal':
      return actions.proposals.followProposal(form);
    case 'unfollowProposal':
      return actions.proposals.unfollowProposal(form);
  }
};

const MARK = 'decidons-failure:';

export default function ProposalLive(props: Props) {
  useEffect(() => {
    const root = document.querySelector<HTMLElement>(`[data-proposal-id="${props.proposalId}"]`);
    const live = root?.querySelector<HTMLElement>('[data-proposal-live-region]');
    if (!root || !live) return;
    let stopped = false;
    let lastSeen = '';
    const m = props.messages;
    const part = props.participation;
    const threshold = part.threshold;

    const announce = (text: string) => {
      live.textContent = '';
      window.setTimeout(() => {
        live.textContent = text;
      }, 50);
    };
    const count = (forms: PluralForms, n: number) => pluralForm(props.locale, forms, n, { threshold });

    /** Sets the support count (absolute), the progress and the threshold line; true when the text changed. */
    const setSupports = (n: number): boolean => {
      const el = root.querySelector<HTMLElement>('[data-proposal-supports]');
      if (!el) return false;
      const text = count(m.supports, n);
      const changed = el.textContent?.trim() !== text;
      if (changed) el.textContent = text;
      const progress = root.querySelector<HTMLProgressElement>('[data-proposal-progress]');
      if (progress && threshold > 0) progress.value = Math.min(n, threshold);
      const reached = root.querySelector<HTMLElement>('[data-threshold-reached]');
      if (reached && threshold > 0) {
        reached.hidden = n < threshold;
        reached.textContent = n < threshold ? '' : part.thresholdReached;
      }
      return changed;
    };
    const setText = (selector: string, text: string): boolean => {
      const el = root.querySelector<HTMLElement>(selector);
      if (!el || el.textContent?.trim() === text) return false;
      el.textContent = text;
      return true;
    };

    const refreshStatus = async (): Promise<boolean> => {
      const q = new URLSearchParams({ component: props.componentId, locale: props.locale });
      const res = await fetch(`/api/proposals/${encodeURIComponent(props.proposalId)}/status?${q.toString()}`, { credentials: 'same-origin' });
      if (stopped) return false;
      if (res.status === 404) return false;
      if (!res.ok) return true;
      const template = document.createElement('template');
      // Server-rendered markup of our own (escaped text, sanitised answer), not user HTML.
      template.innerHTML = (await res.text()).trim();
      const fresh = template.content.querySelector('[data-proposal-status]');
      const current = root.querySelector('[data-proposal-status]');
      if (fresh && current) current.replaceWith(fresh);
      return true;
    };

    const showNotice = (text: string) => {
      const notice = root.querySelector<HTMLElement>('[data-proposal-notice]');
      if (notice) {
        notice.textContent = text;
        notice.hidden = false;
      }
    };

    const onBroadcast = async (b: ProposalBroadcast) => {
      if (b.proposal_id !== props.proposalId) return;
      if (b.updated_at && b.updated_at < lastSeen) return;
      lastSeen = b.updated_at ?? lastSeen;
      const changes = b.changes ?? [];
      const said: string[] = [];
      if (typeof b.supports === 'number' && setSupports(b.supports) && changes.includes('supports')) {
        said.push(interpolate(m.liveSupports, { count: b.supports }));
      }
      if (typeof b.likes === 'number' && setText('[data-proposal-likes]', count(m.likes, b.likes)) && changes.includes('likes')) {
        said.push(interpolate(m.liveLikes, { count: b.likes }));
      }
      if (typeof b.follows === 'number') setText('[data-proposal-follows]', count(m.follows, b.follows));
      if (changes.includes('hidden')) {
        showNotice(m.hidden);
        said.push(m.hidden);
      } else if (changes.includes('answer') || changes.includes('withdrawn') || changes.includes('unhidden')) {
        const visible = await refreshStatus();
        if (!visible) {
          showNotice(m.hidden);
          said.push(m.hidden);
        } else if (changes.includes('withdrawn')) {
          said.push(m.withdrawn);
        } else if (changes.includes('answer')) {
          said.push(m.answer);
        }
      }
      if (said.length) announce(said.join(' — '));
      root.dataset['liveUpdatedAt'] = b.updated_at ?? '';
    };

    // --- Participation forms without reload ---

    const statusLine = root.querySelector<HTMLElement>('[data-proposal-js-status]');
    const alertBox = root.querySelector<HTMLElement>('[data-proposal-js-alert]');
    const feedback = (kind: 'status' | 'alert', text: string) => {
      // The lines the server rendered after a form posted without JavaScript are now stale.
      root.querySelectorAll<HTMLElement>('[data-proposal-server-feedback]').forEach((el) => el.remove());
      if (statusLine) {
        statusLine.textContent = kind === 'status' ? text : '';
        statusLine.hidden = kind !== 'status';
      }
      if (alertBox) {
        alertBox.textContent = kind === 'alert' ? text : '';
        alertBox.hidden = kind !== 'alert';
      }
    };

    const refusal = (error: { message?: string; status?: number } | undefined): string => {
      const message = error?.message ?? '';
      if (message.startsWith(MARK)) {
        try {
          const f = JSON.parse(message.slice(MARK.length)) as { message?: { key?: string; params?: Params } };
          const text = f.message?.key ? part.errors[f.message.key] : undefined;
          if (text) return interpolate(text, f.message?.params ?? {});
        } catch {
          // the generic message below
        }
      }
      const byStatus: Record<number, string> = { 401: 'error.unauthorized', 403: 'error.forbidden', 404: 'error.not_found', 429: 'error.rate_limited', 503: 'error.unavailable' };
      const key = error?.status ? byStatus[error.status] : undefined;
      return (key && part.errors[key]) || part.errors['error.generic'] || '';
    };

    const setToggle = (form: HTMLFormElement, kind: Kind, on: boolean) => {
      form.dataset['on'] = on ? 'true' : 'false';
      const names = ACTIONS[kind];
      form.setAttribute('action', (form.getAttribute('action') ?? '').replace(/proposals\.[a-zA-Z]+$/, `proposals.${on ? names.off : names.on}`));
      const button = form.querySelector<HTMLButtonElement>('button[type="submit"]');
      if (!button) return;
      const l = part.labels;
      if (kind === 'support') {
        button.textContent = on ? l.unsupport : l.support;
        button.dataset['supportButton'] = on ? 'withdraw' : 'support';
        button.classList.toggle('btn--primary', !on);
        button.classList.toggle('btn--secondary', on);
        const line = form.querySelector<HTMLElement>('[data-supported-line]');
        if (line) {
          line.textContent = on ? part.supported : '';
          line.hidden = !on;
        }
      } else {
        button.textContent = kind === 'like' ? (on ? l.unlike : l.like) : on ? l.unfollow : l.follow;
        button.setAttribute('aria-pressed', on ? 'true' : 'false');
      }
    };

    const applyParticipation = (s: ProposalParticipation) => {
      if (typeof s.supports === 'number') setSupports(s.supports);
      setText('[data-proposal-likes]', count(m.likes, s.likes));
      setText('[data-proposal-follows]', count(m.follows, s.follows));
      root.querySelectorAll<HTMLFormElement>('form[data-participate]').forEach((form) => {
        const kind = form.dataset['participate'] as Kind;
        if (kind === 'support') {
          setToggle(form, kind, s.supported);
          // Supports closed at the threshold: only a supporter keeps a button (to withdraw).
          const blocked = !s.supported && threshold > 0 && !part.canAccumulate && typeof s.supports === 'number' && s.supports >= threshold;
          form.hidden = blocked;
        } else if (kind === 'like') setToggle(form, kind, s.liked);
        else if (kind === 'follow') setToggle(form, kind, s.following);
      });
      if (part.voteLimit > 0) {
        const left = Math.max(0, part.voteLimit - s.supportsCast);
        setText('[data-supports-remaining]', left > 0 ? pluralForm(props.locale, part.remaining, left, { max: part.voteLimit }) : interpolate(part.noneLeft, { max: part.voteLimit }));
      }
      const minimum = root.querySelector<HTMLElement>('[data-supports-minimum]');
      if (minimum && part.minimum > 0) {
        minimum.hidden = s.supportsCast >= part.minimum;
        minimum.textContent = interpolate(part.minimumLine, { min: part.minimum, count: s.supportsCast });
      }
    };

    const readParticipation = async (): Promise<ProposalParticipation | null> => {
      const q = new URLSearchParams({ component: props.componentId });
      const res = await fetch(`/api/proposals/${encodeURIComponent(props.proposalId)}/participation?${q.toString()}`, { credentials: 'same-origin' });
      return res.ok ? ((await res.json()) as ProposalParticipation) : null;
    };

    const onSubmit = (event: SubmitEvent) => {
      const form = event.target;
      if (!(form instanceof HTMLFormElement) || !form.matches('form[data-participate]') || !root.contains(form)) return;
      event.preventDefault();
      if (form.dataset['busy'] === 'true') return;
      const kind = form.dataset['participate'] as Kind;
      if (!(kind in ACTIONS)) return;
      const on = form.dataset['on'] === 'true';
      const name = on ? ACTIONS[kind].off : ACTIONS[kind].on;
      const button = form.querySelector<HTMLButtonElement>('button[type="submit"]');
      // aria-busy rather than disabled: a disabled button would lose the focus.
      form.dataset['busy'] = 'true';
      button?.setAttribute('aria-busy', 'true');
      void (async () => {
        try {
          const result = await call(name, new FormData(form));
          if (stopped) return;
          if (result.error) feedback('alert', refusal(result.error));
          else feedback('status', part.statuses[name] ?? '');
          const state = await readParticipation();
          if (state && !stopped) applyParticipation(state);
        } catch {
          feedback('alert', part.errors['error.generic'] ?? '');
        } finally {
          delete form.dataset['busy'];
          button?.removeAttribute('aria-busy');
          root.dataset['participation'] = String(Number(root.dataset['participation'] ?? '0') + 1);
        }
      })();
    };
    root.addEventListener('submit', onSubmit);
    root.dataset['participationReady'] = 'true';

    const leave = joinLiveChannel<ProposalBroadcast>({
      supabaseUrl: props.supabaseUrl,
      supabaseKey: props.supabaseKey,
      topic: proposalsTopic(props.componentId),
      event: 'proposal',
      onMessage: (payload) => {
        if (payload && typeof payload.proposal_id === 'string') void onBroadcast(payload);
      },
      marker: root,
    });
    return () => {
      stopped = true;
      root.removeEventListener('submit', onSubmit);
      delete root.dataset['participationReady'];
      leave();
    };
  }, [props.componentId, props.proposalId]);

  return null;
}
