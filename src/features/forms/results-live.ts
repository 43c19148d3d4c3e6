/*
 * Browser side of the results (ResultsView.astro): draws a bar chart per question with Chart.js
 * (its module is fetched when results are on the page, not with the page: read-only pages stay
 * light), and, for live results, joins the form's private channel and merges each broadcast's
 * counts (absolute, so a repeated or late message cannot count twice) into the tables, the
 * charts and the live region. After a reconnection, or when the answers are cleared, it reads
 * the whole results again; the managers' free texts are read again after new answers (at most
 * every few seconds). Everything arrives as counts: the channel's policy decides who joins.
 */
import { pluralForm, type PluralForms } from '../../lib/i18n/plural.ts';
import { joinLiveChannel } from '../../lib/supabase/live-channel.ts';
import { percent, questionResult, type FormQuestion, type FormResults, type QuestionKind } from './forms.ts';

interface Structure {
  id: string;
  kind: QuestionKind;
  title: string;
  scaleMax: number | null;
  options: { id: string; label: string }[];
  rows: { id: string; label: string }[];
}

interface ChartLike {
  data: { labels?: unknown[] | undefined; datasets: { label?: string | undefined; data: unknown[] }[] };
  update(mode: 'none'): void;
}

const TEXTS_EVERY_MS = 3000;
const ANNOUNCE_EVERY_MS = 5000;

/** The structure as forms.ts's `questionResult` reads it (labels as plain strings). */
function asQuestion(s: Structure): FormQuestion {
  return {
    id: s.id,
    position: 0,
    kind: s.kind,
    body: {},
    description: {},
    mandatory: false,
    maxChoices: null,
    maxCharacters: null,
    scaleMax: s.scaleMax,
    scaleMinLabel: {},
    scaleMaxLabel: {},
    resultsPublished: false,
    options: s.options.map((o, i) => ({ id: o.id, position: i, body: { fr: o.label }, freeText: false })),
    rows: s.rows.map((r, i) => ({ id: r.id, position: i, body: { fr: r.label } })),
    conditions: [],
  };
}

/** What a question's chart shows: labels and one or more series. */
function chartData(s: Structure, counts: Record<string, number>, countLabel: string, pointsLabel: string) {
  const r = questionResult(asQuestion(s), counts);
  if (r.matrix) {
    return {
      labels: s.rows.map((x) => x.label),
      datasets: s.options.map((o, i) => ({ label: o.label, data: r.matrix!.map((m) => m.cells[i]?.count ?? 0) })),
    };
  }
  const label = s.kind === 'sorting' ? pointsLabel : countLabel;
  const labels = s.kind === 'scale' ? r.rows.map((x) => String(x.label)) : s.options.map((o) => o.label);
  return { labels, datasets: [{ label, data: r.rows.map((x) => x.count) }] };
}

function enhance(root: HTMLElement): void {
  const structure = JSON.parse(root.dataset['structure'] ?? '[]') as Structure[];
  let counts = JSON.parse(root.dataset['counts'] ?? '{}') as Record<string, number>;
  let responses = Number(root.dataset['responses'] ?? '0');
  const locale = root.dataset['locale'] ?? 'fr';
  const number = new Intl.NumberFormat(locale);
  const share = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
  const pluralResponses = JSON.parse(root.dataset['pluralResponses'] ?? '{}') as PluralForms;
  const pluralAnswered = JSON.parse(root.dataset['pluralAnswered'] ?? '{}') as PluralForms;
  const countLabel = root.dataset['chartLabel'] ?? '';
  const pointsLabel = root.dataset['pointsLabel'] ?? '';
  const region = root.querySelector<HTMLElement>('[data-results-live-region]');
  const charts = new Map<string, ChartLike>();
  // The numbers a chart shows, on its canvas (what tests and tools can read; the table says the same).
  const marked = (id: string, d: { datasets: { data: number[] }[] }) => {
    const canvas = root.querySelector<HTMLCanvasElement>(`canvas[data-chart="${id}"]`);
    if (canvas) canvas.dataset['values'] = JSON.stringify(d.datasets.map((x) => x.data));
  };

  const render = () => {
    root.querySelector('[data-responses-text]')!.textContent = pluralForm(locale, pluralResponses, responses, { count: number.format(responses) });
    const derived: Record<string, number> = { ...counts };
    for (const s of structure) {
      const r = questionResult(asQuestion(s), counts);
      for (const o of r.ranking ?? []) derived[`${s.id}:${o.option.id}:points`] = o.points;
      const answered = root.querySelector(`[data-answered="${s.id}"]`);
      if (answered) answered.textContent = pluralForm(locale, pluralAnswered, r.answered, { count: number.format(r.answered) });
      const chart = charts.get(s.id);
      if (chart) {
        const d = chartData(s, counts, countLabel, pointsLabel);
        d.datasets.forEach((ds, i) => {
          if (chart.data.datasets[i]) chart.data.datasets[i].data = ds.data;
        });
        chart.update('none');
        marked(s.id, d);
      }
    }
    for (const el of root.querySelectorAll<HTMLElement>('[data-count]')) el.textContent = number.format(derived[el.dataset['count'] ?? ''] ?? 0);
    for (const el of root.querySelectorAll<HTMLElement>('[data-percent]')) {
      const whole = counts[el.dataset['of'] ?? ''] ?? 0;
      el.textContent = share.format(percent(counts[el.dataset['percent'] ?? ''] ?? 0, whole) / 100);
    }
  };

  // Charts: Chart.js only now, in its own chunk.
  void import('./charts.ts').then(({ drawBarChart }) => {
    for (const s of structure) {
      const canvas = root.querySelector<HTMLCanvasElement>(`canvas[data-chart="${s.id}"]`);
      if (!canvas) continue;
      const d = chartData(s, counts, countLabel, pointsLabel);
      charts.set(s.id, drawBarChart(canvas, d, { stacked: false, horizontal: s.kind !== 'scale' }));
      marked(s.id, d);
    }
    root.dataset['charts'] = 'on';
  });

  const topic = root.dataset['topic'];
  const supabaseUrl = root.dataset['supabaseUrl'];
  const supabaseKey = root.dataset['supabaseKey'];
  if (!topic || !supabaseUrl || !supabaseKey) return;

  const reload = async () => {
    try {
      const res = await fetch(root.dataset['resultsUrl'] ?? '', { credentials: 'same-origin', headers: { accept: 'application/json' }, cache: 'no-store' });
      if (!res.ok) return;
      const r = (await res.json()) as FormResults | null;
      if (!r) return;
      counts = r.counts;
      responses = r.responses;
      render();
      void reloadTexts();
    } catch {
      /* the next message or reconnection tries again */
    }
  };

  // The managers' free texts, read again (at most every few seconds) after new answers.
  const textsUrl = root.dataset['textsUrl'];
  let textsTimer: number | undefined;
  let textsDue = false;
  const reloadTexts = async () => {
    if (!textsUrl) return;
    const res = await fetch(textsUrl, { credentials: 'same-origin', headers: { accept: 'text/html' }, cache: 'no-store' }).catch(() => null);
    if (!res?.ok) return;
    const html = new DOMParser().parseFromString(await res.text(), 'text/html');
    for (const fresh of html.querySelectorAll<HTMLElement>('[data-texts]')) {
      const here = root.querySelector<HTMLElement>(`[data-texts="${fresh.dataset['texts']}"]`);
      if (here) here.replaceChildren(...[...fresh.childNodes].map((n) => document.importNode(n, true)));
    }
  };
  const scheduleTexts = () => {
    if (!textsUrl || textsTimer !== undefined) {
      textsDue = true;
      return;
    }
    void reloadTexts();
    textsTimer = window.setTimeout(() => {
      textsTimer = undefined;
      if (textsDue) {
        textsDue = false;
        scheduleTexts();
      }
    }, TEXTS_EVERY_MS);
  };

  let lastAnnounce = 0;
  let announceTimer: number | undefined;
  const announce = () => {
    if (!region) return;
    const say = () => {
      lastAnnounce = Date.now();
      announceTimer = undefined;
      region.textContent = (root.dataset['liveText'] ?? '').replace('{responses}', pluralForm(locale, pluralResponses, responses, { count: number.format(responses) }));
    };
    const wait = ANNOUNCE_EVERY_MS - (Date.now() - lastAnnounce);
    if (wait <= 0) say();
    else announceTimer ??= window.setTimeout(say, wait);
  };

  joinLiveChannel<{ counts?: Record<string, number>; cleared?: boolean }>({
    supabaseUrl,
    supabaseKey,
    topic,
    event: 'tally',
    marker: root,
    onMessage: (payload) => {
      if (payload.cleared) {
        void reload();
        return;
      }
      for (const [key, value] of Object.entries(payload.counts ?? {})) {
        if (typeof value !== 'number') continue;
        if (key === 'responses') responses = Math.max(responses, value);
        else counts[key] = Math.max(counts[key] ?? 0, value);
      }
      render();
      announce();
      scheduleTexts();
    },
    onRejoin: () => void reload(),
  });
}

export function enhanceResults(): void {
  for (const root of document.querySelectorAll<HTMLElement>('[data-form-results]')) enhance(root);
}
