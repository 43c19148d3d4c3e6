/*
 * Chart.js, registered with only what bar charts need (tree-shaken: the controller, bars, two
 * scales, the legend and tooltips), in a chunk of its own that results-live.ts imports when
 * results are on the page. Colours: the palette's blue first, then hues at 3:1 or more against
 * white (WCAG 1.4.11); no animation when the reader asks for reduced motion.
 */
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

const COLOURS = ['#000091', '#b34000', '#18753c', '#6a6af4', '#ce0500', '#0063cb', '#716043', '#a94645'];

export function drawBarChart(
  canvas: HTMLCanvasElement,
  data: { labels: string[]; datasets: { label: string; data: number[] }[] },
  opts: { stacked: boolean; horizontal: boolean },
): Chart<'bar'> {
  const reduced = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  return new Chart(canvas, {
    type: 'bar',
    data: {
      labels: data.labels,
      datasets: data.datasets.map((d, i) => ({ ...d, backgroundColor: COLOURS[i % COLOURS.length], borderWidth: 0 })),
    },
    options: {
      indexAxis: opts.horizontal ? 'y' : 'x',
      responsive: true,
      maintainAspectRatio: false,
      animation: reduced ? false : { duration: 300 },
      plugins: { legend: { display: data.datasets.length > 1 } },
      scales: {
        x: { stacked: opts.stacked, beginAtZero: true, ticks: { precision: 0 } },
        y: { stacked: opts.stacked, beginAtZero: true, ticks: { precision: 0 } },
      },
    },
  });
}
