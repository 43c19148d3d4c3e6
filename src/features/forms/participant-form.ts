/*
 * Browser side of the participant form (FormRenderer.astro): conditions apply as one answers
 * (a question whose conditions do not hold is hidden and its inputs disabled, so they are not
 * sent), and the page's answers are kept as a draft while one types (posted to the form's draft
 * endpoint, announced in a polite status). The rules are forms.ts's, the same the server and the
 * database apply; without this script the server applies them on each page.
 */
import { answersFromFields, fieldValues, validateAnswers, type Answers, type FormQuestion } from './forms.ts';

interface Rules {
  questions: FormQuestion[];
  page: string[];
  previous: Answers;
}

const DRAFT_DELAY_MS = 800;

function enhance(form: HTMLFormElement): void {
  const rules = JSON.parse(form.dataset['formRules'] ?? '{}') as Rules;
  const onPage = rules.questions.filter((q) => rules.page.includes(q.id));
  const wrappers = new Map<string, HTMLElement>();
  for (const el of form.querySelectorAll<HTMLElement>('[data-question]')) wrappers.set(el.dataset['question'] ?? '', el);

  const apply = () => {
    // The fields of shown questions only: disabled inputs are not in the FormData, as they would not be sent.
    const answers: Answers = { ...rules.previous, ...answersFromFields(onPage, fieldValues(new FormData(form) as unknown as URLSearchParams)) };
    const { shown } = validateAnswers(rules.questions, answers, { dropHidden: true });
    let changed = false;
    for (const q of onPage) {
      if (q.kind === 'title_and_description') continue;
      const el = wrappers.get(q.id);
      if (!el) continue;
      const hide = !shown.has(q.id);
      if (el.hidden !== hide) {
        el.hidden = hide;
        changed = true;
      }
      for (const input of el.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>('input, select, textarea')) input.disabled = hide;
    }
    // A question shown or hidden may change what the next ones read: settle in a few passes.
    return changed;
  };
  for (let i = 0; i < 10 && apply(); i++);

  const draftUrl = form.dataset['draftUrl'];
  const status = form.querySelector<HTMLElement>('[data-draft-status]');
  let timer: number | undefined;
  let inFlight: Promise<unknown> | undefined;
  const saveDraft = async () => {
    if (!draftUrl) return;
    const body = new FormData(form);
    body.set('intent', 'save');
    try {
      await inFlight;
      inFlight = fetch(draftUrl, { method: 'POST', body, credentials: 'same-origin', headers: { accept: 'application/json' } });
      const res = (await inFlight) as Response;
      if (res.ok && status) status.textContent = status.dataset['draftSavedText'] ?? '';
    } catch {
      // Offline: the next change or page will save it.
    }
  };
  const changed = () => {
    for (let i = 0; i < 10 && apply(); i++);
    if (status) status.textContent = '';
    window.clearTimeout(timer);
    timer = window.setTimeout(() => void saveDraft(), DRAFT_DELAY_MS);
  };
  form.addEventListener('input', changed);
  form.addEventListener('change', changed);
}

export function enhanceParticipantForms(): void {
  for (const form of document.querySelectorAll<HTMLFormElement>('form[data-form]')) enhance(form);
}
