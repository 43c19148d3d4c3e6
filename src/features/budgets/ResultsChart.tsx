import { h } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

/**
 * The results as a bar chart (Chart.js). The page's table says the same in text: the canvas is
 * an image named after it (`aria-describedby` points to the table). Chart.js is fetched when the
 * chart is drawn (the island is `client:visible`), as a chunk of its own, never by a page without
 * results.
 */

interface Props {
  labels: string[];
  votes: number[];
  selected: boolean[];
  /** The canvas's accessible name. */
  label: string;
  /** The id of the table the chart repeats. */
  describedBy: string;
  /** The dataset's legend ("Votes"). */
  dataset: string;
}

export default function ResultsChart(props: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    let disposed = false;
    let chart: { destroy(): void } | undefined;
    void (async () => {
      const { Chart, BarController, BarElement, CategoryScale, LinearScale, Tooltip } = await import('chart.js');
      if (disposed || !canvas.current) return;
      Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip);
      chart = new Chart(canvas.current, {
        type: 'bar',
        data: {
          labels: props.labels.map((l) => (l.length > 40 ? `${l.slice(0, 39)}…` : l)),
          datasets: [
            {
              label: props.dataset,
              data: props.votes,
              // Winners in green, the others in the site's blue; the table says which is which in words.
              backgroundColor: props.selected.map((s) => (s ? '#18753c' : '#6a6af4')),
            },
          ],
        },
        options: {
          indexAxis: 'y',
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          plugins: { tooltip: { enabled: true } },
          scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
        },
      });
      canvas.current.parentElement?.setAttribute('data-chart-ready', 'true');
    })();
    return () => {
      disposed = true;
      chart?.destroy();
    };
  }, []);
  const height = Math.max(200, props.labels.length * 28 + 60);
  // h() rather than JSX: the JSX runtime would be one more module shared with the map's islands,
  // and the chunk that groups them would then carry the map's stylesheet name into this page.
  return h(
    'div',
    { class: 'results-chart', style: `height:${height}px` },
    h('canvas', { ref: canvas, role: 'img', 'aria-label': props.label, 'aria-describedby': props.describedBy }),
  );
}
