import { useEffect } from 'preact/hooks';
import { interpolate } from '../../lib/i18n/catalog.ts';

/**
 * The census upload with its progress: with JavaScript the file is read in the browser and sent
 * to `/api/verifications/census` in batches of 2,000 numbered lines (each a transaction of its
 * own); the progress bar and its words move after each batch, and the refused lines come back
 * with their number and reason. Without JavaScript the form posts the whole file.
 */
interface Props {
  messages: {
    /** `{done}` and `{total}`. */
    progress: string;
    /** `{added}` and `{refused}`. */
    done: string;
    /** `{line}` and `{reason}`. */
    line: string;
    more: string;
    reasons: Record<string, string>;
    error: string;
  };
}

const BATCH = 2000;

export default function CensusUpload(props: Props) {
  useEffect(() => {
    const form = document.querySelector<HTMLFormElement>('form[data-census-form]');
    const box = form?.querySelector<HTMLElement>('[data-census-progress]');
    const bar = box?.querySelector<HTMLProgressElement>('progress');
    const text = box?.querySelector<HTMLElement>('[data-census-progress-text]');
    const result = box?.querySelector<HTMLElement>('[data-census-result]');
    if (!form || !box || !bar || !text || !result) return;
    const m = props.messages;
    // Numbers as the page's language writes them (4 499 in French, 4,499 in English).
    const number = new Intl.NumberFormat(document.documentElement.lang || undefined);
    const fill = (message: string, params: Record<string, string | number>) =>
      interpolate(message, Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === 'number' ? number.format(v) : v])));
    const onSubmit = (event: SubmitEvent) => {
      const input = form.querySelector<HTMLInputElement>('input[type="file"]');
      const file = input?.files?.[0];
      if (!file) return;
      event.preventDefault();
      void (async () => {
        const button = form.querySelector<HTMLButtonElement>('button[type="submit"]');
        button?.setAttribute('aria-busy', 'true');
        box.hidden = false;
        result.replaceChildren();
        const lines = (await file.text()).replace(/^\uFEFF/, '').split(/\r?\n/).map((t, i) => ({ line: i + 1, text: t }));
        const total = lines.length;
        bar.max = Math.max(1, total);
        let uploadId: string | null = null;
        let added = 0;
        const refused: { line: number; code: string }[] = [];
        try {
          for (let i = 0; i < total || uploadId === null; i += BATCH) {
            const batch = lines.slice(i, i + BATCH);
            const last = i + BATCH >= total;
            const res = await fetch('/api/verifications/census', {
              method: 'POST',
              credentials: 'same-origin',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ upload_id: uploadId, file_name: file.name.slice(0, 255), lines: batch, last, separator_line: lines[0]?.text ?? '' }),
            });
            if (!res.ok) throw new Error(String(res.status));
            const body = (await res.json()) as { uploadId: string; added: number; refused: { line: number; code: string }[] };
            uploadId = body.uploadId;
            added += body.added;
            refused.push(...body.refused);
            bar.value = Math.min(total, i + batch.length);
            text.textContent = fill(m.progress, { done: Math.min(total, i + batch.length), total });
            if (last) break;
          }
          const summary = document.createElement('p');
          summary.textContent = fill(m.done, { added, refused: refused.length });
          const list = document.createElement('ul');
          for (const r of refused.slice(0, 100)) {
            const li = document.createElement('li');
            li.textContent = fill(m.line, { line: String(r.line), reason: m.reasons[r.code] ?? m.reasons['invalid'] ?? r.code });
            list.append(li);
          }
          if (refused.length > 100) {
            const li = document.createElement('li');
            li.textContent = fill(m.more, { count: refused.length - 100 });
            list.append(li);
          }
          result.replaceChildren(summary, ...(refused.length ? [list] : []));
          text.textContent = summary.textContent;
          box.dataset['censusDone'] = 'true';
        } catch {
          text.textContent = m.error;
        } finally {
          button?.removeAttribute('aria-busy');
        }
      })();
    };
    form.addEventListener('submit', onSubmit);
    // Tells scripts and tests that a submit now goes batch by batch rather than as one post.
    form.dataset['censusEnhanced'] = 'true';
    return () => {
      form.removeEventListener('submit', onSubmit);
      delete form.dataset['censusEnhanced'];
    };
  }, []);
  return null;
}
