import { useEffect } from 'preact/hooks';
import { joinLiveChannel } from '../../../lib/supabase/live-channel.ts';

/**
 * Keeps the admin page's vote numbers live: the component's admin channel says a ballot started,
 * was emptied or checked out (in which budget, nothing more); the island reads the numbers back
 * (`/api/budgets/stats/<component>`, as the admin) at most once a second and sets the cells, per
 * budget and per district.
 */
interface Props {
  supabaseUrl: string;
  supabaseKey: string;
  componentId: string;
}

export default function VoteStatsLive(props: Props) {
  useEffect(() => {
    const root = document.querySelector<HTMLElement>('[data-vote-stats]');
    if (!root) return;
    let timer: number | undefined;
    let stopped = false;
    const refresh = async () => {
      const res = await fetch(`/api/budgets/stats/${encodeURIComponent(props.componentId)}`, { credentials: 'same-origin', cache: 'no-store' });
      if (!res.ok || stopped) return;
      type Counts = Record<string, { inProgress: number; checkedOut: number }>;
      const { totals, districts } = (await res.json()) as { totals: Counts; districts: Counts };
      const fill = (attribute: string, counts: Counts) =>
        root.querySelectorAll<HTMLElement>(`[${attribute}]`).forEach((cell) => {
          const [key, kind] = (cell.getAttribute(attribute) ?? '').split(':');
          const t = counts[key ?? ''];
          cell.textContent = String(t ? (kind === 'checked_out' ? t.checkedOut : t.inProgress) : 0);
        });
      fill('data-stat', totals);
      // A district's first ballot adds a row only when the page is read again.
      fill('data-stat-district', districts);
      root.dataset['statsVersion'] = String(Number(root.dataset['statsVersion'] ?? '0') + 1);
    };
    const leave = joinLiveChannel<{ budget_id?: string }>({
      supabaseUrl: props.supabaseUrl,
      supabaseKey: props.supabaseKey,
      topic: `budgets:admin:${props.componentId}`,
      event: 'stats',
      marker: root,
      onMessage: () => {
        window.clearTimeout(timer);
        timer = window.setTimeout(() => void refresh(), 1000);
      },
      onRejoin: () => void refresh(),
    });
    return () => {
      stopped = true;
      window.clearTimeout(timer);
      leave();
    };
  }, [props.componentId]);
  return null;
}
