import { useEffect } from 'preact/hooks';
import { joinLiveChannel } from '../../lib/supabase/live-channel.ts';
import { proposalsTopic, type ProposalBroadcast } from './proposals.ts';

/**
 * The live half of a proposal's page. The server rendered the page; this island joins the
 * component's private channel (authorised by RLS on realtime.messages) and, for the broadcasts
 * about this proposal (counts only, never text), updates the support and like counts and the
 * progress to the threshold in place; an answer, a state change or a withdrawal fetches the state
 * block again as this visitor sees it; a hidden proposal shows a notice. Each update is announced
 * in the page's polite live region. No form is re-rendered: nothing someone types is lost.
 */

interface Props {
  supabaseUrl: string;
  supabaseKey: string;
  componentId: string;
  proposalId: string;
  locale: string;
  /** Templates with a `{count}` placeholder, and notices. */
  messages: {
    supports: string;
    likes: string;
    follows: string;
    liveSupports: string;
    liveLikes: string;
    answer: string;
    hidden: string;
    withdrawn: string;
  };
}

export default function ProposalLive(props: Props) {
  useEffect(() => {
    const root = document.querySelector<HTMLElement>(`[data-proposal-id="${props.proposalId}"]`);
    const live = root?.querySelector<HTMLElement>('[data-proposal-live-region]');
    if (!root || !live) return;
    let stopped = false;
    let lastSeen = '';

    const announce = (text: string) => {
      live.textContent = '';
      window.setTimeout(() => {
        live.textContent = text;
      }, 50);
    };
    const fill = (template: string, n: number) => template.replace('{count}', String(n));

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
      if (typeof b.supports === 'number') {
        const el = root.querySelector<HTMLElement>('[data-proposal-supports]');
        if (el) {
          const text = fill(props.messages.supports, b.supports);
          if (el.textContent?.trim() !== text) {
            el.textContent = text;
            if (changes.includes('supports')) said.push(fill(props.messages.liveSupports, b.supports));
          }
          const threshold = Number(el.dataset['threshold'] ?? '0');
          const progress = root.querySelector<HTMLProgressElement>('[data-proposal-progress]');
          if (progress && threshold > 0) progress.value = Math.min(b.supports, threshold);
        }
      }
      const likes = root.querySelector<HTMLElement>('[data-proposal-likes]');
      if (likes && typeof b.likes === 'number') {
        const text = fill(props.messages.likes, b.likes);
        if (likes.textContent?.trim() !== text) {
          likes.textContent = text;
          if (changes.includes('likes')) said.push(fill(props.messages.liveLikes, b.likes));
        }
      }
      const follows = root.querySelector<HTMLElement>('[data-proposal-follows]');
      if (follows && typeof b.follows === 'number') follows.textContent = fill(props.messages.follows, b.follows);
      if (changes.includes('hidden')) {
        showNotice(props.messages.hidden);
        said.push(props.messages.hidden);
      } else if (changes.includes('answer') || changes.includes('withdrawn') || changes.includes('unhidden')) {
        const visible = await refreshStatus();
        if (!visible) {
          showNotice(props.messages.hidden);
          said.push(props.messages.hidden);
        } else if (changes.includes('withdrawn')) {
          said.push(props.messages.withdrawn);
        } else if (changes.includes('answer')) {
          said.push(props.messages.answer);
        }
      }
      if (said.length) announce(said.join(' — '));
      root.dataset['liveUpdatedAt'] = b.updated_at ?? '';
    };

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
      leave();
    };
  }, [props.componentId, props.proposalId]);

  return null;
}
