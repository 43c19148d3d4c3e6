import { useEffect } from 'preact/hooks';
import { pluralForm, type PluralForms } from '../../lib/i18n/plural.ts';
import { joinLiveChannel } from '../../lib/supabase/live-channel.ts';
import { elapsedParts, type DebateBroadcast } from './debates.ts';

/**
 * The live half of the debates list: joins the component's private channel (counts and what
 * changed, from the database) and updates each card in place — its arguments per side and
 * "last argument X minutes ago", which also ages on its own every half minute. A new debate is
 * not pushed into the list under the reader: a notice offers the updated list. Nothing here is
 * announced at each count (that would be a stream of chatter); a new debate is, politely.
 */

interface Props {
  supabaseUrl: string;
  supabaseKey: string;
  topic: string;
  locale: string;
  messages: {
    arguments: string;
    noArgument: string;
    comments: PluralForms;
    likes: PluralForms;
    lastArgument: string;
    now: string;
    minutes: PluralForms;
    hours: PluralForms;
    days: PluralForms;
    newDebate: string;
  };
}

const fill = (text: string, params: Record<string, string | number>) => text.replace(/\{(\w+)\}/g, (w, k: string) => (k in params ? String(params[k]) : w));

export default function DebatesListLive(props: Props) {
  useEffect(() => {
    const section = document.getElementById('debates');
    const live = section?.querySelector<HTMLElement>('[data-debates-live-region]');
    if (!section || !live) return;
    const m = props.messages;

    const elapsed = (at: string) => {
      const e = elapsedParts(at);
      return e.unit === 'now' ? m.now : pluralForm(props.locale, m[e.unit], e.count);
    };
    const age = (el: HTMLElement) => {
      const at = el.dataset['at'];
      if (!at) return;
      el.hidden = false;
      el.textContent = fill(m.lastArgument, { elapsed: elapsed(at) });
    };
    const ageAll = () => section.querySelectorAll<HTMLElement>('[data-last-argument]').forEach(age);
    ageAll();
    const timer = window.setInterval(ageAll, 30_000);

    const onMessage = (b: DebateBroadcast) => {
      if (!b.debate_id) return;
      if (b.changes?.includes('created')) {
        const notice = section.querySelector<HTMLElement>('[data-debates-new]');
        if (notice?.hidden) {
          notice.hidden = false;
          live.textContent = m.newDebate;
        }
        return;
      }
      const card = section.querySelector<HTMLElement>(`[data-debate-id="${b.debate_id}"]`);
      if (!card) return;
      const counts = card.querySelector<HTMLElement>('[data-card-counts]');
      if (counts && typeof b.for === 'number' && typeof b.against === 'number' && typeof b.neutral === 'number') {
        const args = b.for + b.against + b.neutral > 0 ? fill(m.arguments, { for: b.for, against: b.against, neutral: b.neutral }) : m.noArgument;
        const extra = [
          typeof b.comments === 'number' ? pluralForm(props.locale, m.comments, b.comments) : null,
          typeof b.likes === 'number' ? pluralForm(props.locale, m.likes, b.likes) : null,
        ].filter(Boolean);
        counts.textContent = [args, ...extra].join(' · ');
      }
      const last = card.querySelector<HTMLElement>('[data-last-argument]');
      if (last && b.last_argument_at) {
        last.dataset['at'] = b.last_argument_at;
        age(last);
      }
    };

    const leave = joinLiveChannel<DebateBroadcast>({
      supabaseUrl: props.supabaseUrl,
      supabaseKey: props.supabaseKey,
      topic: props.topic,
      event: 'debate',
      onMessage,
      marker: section,
    });
    return () => {
      window.clearInterval(timer);
      leave();
    };
  }, [props.topic]);

  return null;
}
