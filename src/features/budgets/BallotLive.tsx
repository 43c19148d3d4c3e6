import { actions } from 'astro:actions';
import { useEffect } from 'preact/hooks';
import { interpolate, type Params } from '../../lib/i18n/catalog.ts';
import { pluralForm, type PluralForms } from '../../lib/i18n/plural.ts';
import { joinLiveChannel } from '../../lib/supabase/live-channel.ts';
import { addRefusal, budgetsTopic, formatEuros, progressOf, ruleMet, voterTopic, type BallotState, type BudgetRule } from './rules.ts';
import { progressSentence, ruleStatus, type BallotTexts } from './texts.ts';

/**
 * The live half of a budget's pages (its projects list, a project's page). The server rendered
 * the ballot and the add/remove buttons; this island:
 *
 * - sends the ballot's forms (add, remove, checkout, empty: `form[data-ballot-toggle]`,
 *   `form[data-ballot-form]`) through the same Astro actions without reloading, focus kept on the
 *   button, a refusal shown in the ballot's alert line;
 * - joins the person's own private channel (`budgets:voter:<id>`, authorised by RLS on
 *   realtime.messages for them alone): whatever they do in another tab or on another device,
 *   this page reads their ballot back (`/api/budgets/ballot/<budget>`) and redraws it — the
 *   progress bar and its words, the rule's status, the projects chosen, every button — and says
 *   what changed in the polite live region;
 * - where the phase shows votes, joins the component's channel and updates the projects' counts.
 *
 * Nothing the person types is ever re-rendered: the island only sets texts, attributes and the
 * list of chosen projects.
 */

interface BallotLine {
  id: string;
  title: string;
  cost: number;
}

interface Props {
  supabaseUrl: string;
  supabaseKey: string;
  componentId: string;
  budgetId: string;
  /** Signed-in person's id: their ballot channel (absent for visitors). */
  userId: string | null;
  locale: string;
  rule: BudgetRule;
  showVotes: boolean;
  /** Where a project's page is: `{id}` replaced. */
  projectHref: string;
  texts: BallotTexts;
  messages: {
    add: string;
    remove: string;
    added: string;
    removed: string;
    checkedOut: string;
    emptied: string;
    votes: PluralForms;
    /** Translated refusals by message key, incl. `error.generic`. */
    errors: Record<string, string>;
  };
}

interface BallotBroadcast {
  budget_id?: string;
  change?: string;
  project_id?: string;
}

interface VotesBroadcast {
  budget_id?: string;
  projects?: { id: string; votes: number }[];
}

const MARK = 'decidons-failure:';

type Name = 'addProject' | 'removeProject' | 'checkout' | 'emptyBallot';
const call = (name: Name, form: FormData) => {
  switch (name) {
    case 'addProject':
      return actions.budgets.addProject(form);
    case 'removeProject':
      return actions.budgets.removeProject(form);
    case 'checkout':
      return actions.budgets.checkout(form);
    case 'emptyBallot':
      return actions.budgets.emptyBallot(form);
  }
};

export default function BallotLive(props: Props) {
  useEffect(() => {
    const panel = document.querySelector<HTMLElement>(`[data-ballot][data-budget-id="${props.budgetId}"]`);
    const live = panel?.querySelector<HTMLElement>('[data-ballot-live-region]');
    if (!panel || !live) return;
    let stopped = false;
    let titles = new Map<string, string>();
    const m = props.messages;
    const rule = props.rule;

    const announce = (text: string) => {
      if (!text) return;
      live.textContent = '';
      window.setTimeout(() => (live.textContent = text), 50);
    };
    const alertLine = panel.querySelector<HTMLElement>('[data-ballot-js-alert]');
    const showAlert = (text: string) => {
      panel.querySelectorAll('[data-ballot-server-error]').forEach((el) => el.closest('.alert')?.remove());
      if (!alertLine) return;
      alertLine.textContent = text;
      alertLine.hidden = text === '';
    };
    const refusal = (error: { message?: string; status?: number } | undefined): string => {
      const message = error?.message ?? '';
      if (message.startsWith(MARK)) {
        try {
          const f = JSON.parse(message.slice(MARK.length)) as { message?: { key?: string; params?: Params } };
          const text = f.message?.key ? m.errors[f.message.key] : undefined;
          if (text) return interpolate(text, f.message?.params ?? {});
        } catch {
          // the generic message below
        }
      }
      const byStatus: Record<number, string> = { 401: 'error.unauthorized', 403: 'error.forbidden', 404: 'error.not_found' };
      const key = error?.status ? byStatus[error.status] : undefined;
      return (key && m.errors[key]) || m.errors['error.generic'] || '';
    };

    const setToggle = (form: HTMLFormElement, on: boolean, state: BallotState) => {
      form.dataset['on'] = on ? 'true' : 'false';
      form.setAttribute('action', (form.getAttribute('action') ?? '').replace(/budgets\.(addProject|removeProject)$/, `budgets.${on ? 'removeProject' : 'addProject'}`));
      const text = form.querySelector<HTMLElement>('[data-ballot-toggle-text]');
      if (text) text.textContent = on ? m.remove : m.add;
      const button = form.querySelector<HTMLButtonElement>('[data-ballot-toggle-button]');
      if (button && !form.hasAttribute('data-ballot-line-form')) {
        button.classList.toggle('btn--primary', !on);
        button.classList.toggle('btn--secondary', on);
      }
      const marker = form.querySelector<HTMLElement>('[data-ballot-in]');
      if (marker) marker.hidden = !on;
      const tooExpensive = form.querySelector<HTMLElement>('[data-ballot-too-expensive]');
      if (tooExpensive) tooExpensive.hidden = on || addRefusal(rule, state, Number(form.dataset['cost'] ?? '0')) !== 'envelope';
      // Checked out: nothing more to add or remove; the marker stays.
      if (button) button.hidden = state.checkedOut;
    };

    const template = panel.querySelector<HTMLTemplateElement>('template[data-ballot-line-template]');
    const renderLines = (lines: BallotLine[], checkedOut: boolean) => {
      const list = panel.querySelector<HTMLElement>('[data-ballot-lines]');
      if (!list) return;
      list.replaceChildren(
        ...lines.map((l) => {
          const li = (template?.content.firstElementChild?.cloneNode(true) as HTMLElement | undefined) ?? document.createElement('li');
          li.dataset['ballotLine'] = l.id;
          const link = li.querySelector<HTMLAnchorElement>('[data-line-link]');
          if (link) {
            link.href = props.projectHref.replace('{id}', l.id);
            link.textContent = l.title;
          } else li.textContent = l.title;
          const cost = li.querySelector<HTMLElement>('[data-line-cost]');
          if (cost) cost.textContent = formatEuros(l.cost, props.locale);
          const form = li.querySelector<HTMLFormElement>('form');
          if (form) {
            if (checkedOut) form.remove();
            else {
              form.dataset['projectId'] = l.id;
              form.dataset['cost'] = String(l.cost);
              const input = form.querySelector<HTMLInputElement>('input[name="project_id"]');
              if (input) input.value = l.id;
              const name = form.querySelector<HTMLElement>('[data-line-name]');
              if (name) name.textContent = ` : ${l.title}`;
            }
          }
          return li;
        }),
      );
      const none = panel.querySelector<HTMLElement>('[data-ballot-none]');
      if (none) none.hidden = lines.length > 0;
    };

    const apply = (state: BallotState, lines: BallotLine[]) => {
      titles = new Map(lines.map((l) => [l.id, l.title]));
      const p = progressOf(rule, state);
      const met = ruleMet(rule, state.total, state.count);
      const sentence = progressSentence(props.texts, rule, state, props.locale);
      const bar = panel.querySelector<HTMLProgressElement>('[data-ballot-progress]');
      if (bar) {
        bar.max = p.max;
        bar.value = p.value;
        bar.setAttribute('aria-valuetext', sentence);
      }
      const set = (selector: string, text: string, hidden = false) => {
        const el = panel.querySelector<HTMLElement>(selector);
        if (!el) return;
        el.textContent = text;
        el.hidden = hidden;
      };
      set('[data-ballot-sentence]', sentence);
      set('[data-ballot-rule-status]', ruleStatus(props.texts, rule, state, props.locale, met), state.checkedOut);
      const done = panel.querySelector<HTMLElement>('[data-ballot-done]');
      if (done) done.hidden = !state.checkedOut;
      const pending = panel.querySelector<HTMLElement>('[data-ballot-pending]');
      if (pending) pending.hidden = state.checkedOut || state.count === 0;
      const checkout = panel.querySelector<HTMLFormElement>('form[data-ballot-form="checkout"]');
      if (checkout) checkout.hidden = state.checkedOut || !met;
      const empty = panel.querySelector<HTMLFormElement>('form[data-ballot-form="empty"]');
      if (empty) empty.hidden = state.checkedOut || state.count === 0;
      panel.dataset['checkedOut'] = state.checkedOut ? 'true' : 'false';
      renderLines(lines, state.checkedOut);
      const chosen = new Set(state.projectIds);
      document.querySelectorAll<HTMLFormElement>('form[data-ballot-toggle]:not([data-ballot-line-form])').forEach((form) => {
        setToggle(form, chosen.has(form.dataset['projectId'] ?? ''), state);
      });
      // The space's notice about this ballot goes once it is checked out or emptied.
      if (state.checkedOut || state.count === 0) {
        document.querySelectorAll<HTMLElement>(`[data-ballot-notice-budget="${props.budgetId}"]`).forEach((el) => el.remove());
        const notice = document.querySelector<HTMLElement>('[data-ballot-notice]');
        if (notice && !notice.querySelector('[data-ballot-notice-budget]')) notice.remove();
      }
      panel.dataset['ballotVersion'] = String(Number(panel.dataset['ballotVersion'] ?? '0') + 1);
    };

    const refresh = async (): Promise<boolean> => {
      const res = await fetch(`/api/budgets/ballot/${encodeURIComponent(props.budgetId)}?locale=${encodeURIComponent(props.locale)}`, {
        credentials: 'same-origin',
        cache: 'no-store',
      });
      if (!res.ok || stopped) return false;
      const body = (await res.json()) as { ballot: BallotState; lines: BallotLine[] };
      apply(body.ballot, body.lines);
      return true;
    };

    const onSubmit = (event: SubmitEvent) => {
      const form = event.target;
      if (!(form instanceof HTMLFormElement) || !(form.matches('form[data-ballot-toggle]') || form.matches('form[data-ballot-form]'))) return;
      const action = /_action=budgets\.(addProject|removeProject|checkout|emptyBallot)$/.exec(form.getAttribute('action') ?? '');
      if (!action || event.defaultPrevented) return;
      // A checkout or an emptying is sent once the person confirmed it (ConfirmSubmit ticks the box).
      const check = form.querySelector<HTMLInputElement>('[data-confirm-check]');
      if (check && !check.checked) return;
      event.preventDefault();
      if (form.dataset['busy'] === 'true') return;
      const name = action[1] as Name;
      const button = form.querySelector<HTMLButtonElement>('button[type="submit"]');
      form.dataset['busy'] = 'true';
      button?.setAttribute('aria-busy', 'true');
      const projectId = form.dataset['projectId'] ?? '';
      void (async () => {
        try {
          const result = await call(name, new FormData(form));
          if (stopped) return;
          if (result.error) {
            showAlert(refusal(result.error));
          } else {
            showAlert('');
            const title = titles.get(projectId) ?? form.querySelector('.visually-hidden')?.textContent?.replace(/^\s*:\s*/, '') ?? '';
            await refresh();
            if (name === 'addProject') announce(interpolate(m.added, { title: titles.get(projectId) ?? title }));
            else if (name === 'removeProject') announce(interpolate(m.removed, { title }));
            else if (name === 'checkout') announce(m.checkedOut);
            else announce(m.emptied);
          }
        } catch {
          showAlert(m.errors['error.generic'] ?? '');
        } finally {
          delete form.dataset['busy'];
          button?.removeAttribute('aria-busy');
          if (button?.isConnected && !button.hidden) button.focus();
        }
      })();
    };
    document.addEventListener('submit', onSubmit);
    panel.dataset['ballotReady'] = 'true';

    const leaves: (() => void)[] = [];
    if (props.userId) {
      leaves.push(
        joinLiveChannel<BallotBroadcast>({
          supabaseUrl: props.supabaseUrl,
          supabaseKey: props.supabaseKey,
          topic: voterTopic(props.userId),
          event: 'ballot',
          marker: panel,
          onMessage: (b) => {
            if (b.budget_id !== props.budgetId) return;
            const before = titles.get(b.project_id ?? '');
            void refresh().then((ok) => {
              if (!ok) return;
              if (b.change === 'added') announce(interpolate(m.added, { title: titles.get(b.project_id ?? '') ?? '' }));
              else if (b.change === 'removed') announce(interpolate(m.removed, { title: before ?? '' }));
              else if (b.change === 'checked_out') announce(m.checkedOut);
              else if (b.change === 'emptied') announce(m.emptied);
            });
          },
          // After a disconnection: whatever changed meanwhile.
          onRejoin: () => void refresh(),
        }),
      );
    }
    if (props.showVotes) {
      const counts = document.querySelector<HTMLElement>('[data-project-votes-live]') ?? panel;
      leaves.push(
        joinLiveChannel<VotesBroadcast>({
          supabaseUrl: props.supabaseUrl,
          supabaseKey: props.supabaseKey,
          topic: budgetsTopic(props.componentId),
          event: 'votes',
          marker: counts,
          onMessage: (v) => {
            if (v.budget_id !== props.budgetId || !Array.isArray(v.projects)) return;
            for (const p of v.projects) {
              document.querySelectorAll<HTMLElement>(`[data-project-votes="${p.id}"]`).forEach((el) => {
                el.textContent = pluralForm(props.locale, m.votes, p.votes);
              });
            }
          },
        }),
      );
    }
    // A page restored from the back-forward cache may be stale.
    if (props.userId) void refresh();
    return () => {
      stopped = true;
      document.removeEventListener('submit', onSubmit);
      delete panel.dataset['ballotReady'];
      for (const leave of leaves) leave();
    };
  }, [props.budgetId]);

  return null;
}
