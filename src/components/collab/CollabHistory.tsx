import { useEffect, useRef, useState } from 'preact/hooks';
import { historyTranslator, type HistoryLocale } from './messages.ts';
import './CollabHistory.css';

/*
 * The history panel of a co-edited document: its versions (automatic ones the co-editing service
 * keeps, named ones, restores) with their time in the organization's zone and who wrote them; any
 * version shown read-only; the differences between two (<ins>/<del>, each also said in words, so
 * nothing rests on colour); naming the current text and restoring a version for those who write
 * it. The server (/api/collab/history) decides every right; the buttons only spare a refusal.
 * Kept small and free of the editor's code: it loads next to the editor on a co-editing page.
 */

export interface CollabHistoryProps {
  locale: HistoryLocale;
  /** `<feature>/<resource id>/<field>` */
  document: string;
  /** Whether the visitor writes the text (the server checks again). */
  canWrite: boolean;
  /**
   * The id of the page's own heading for the panel (the summary of the disclosure it sits in, so
   * its code loads only once opened); without it the panel has its own heading.
   */
  headingId?: string;
}

interface Version {
  id: string;
  kind: 'auto' | 'named' | 'restore';
  name: string | null;
  time: string;
  authors: string[];
  createdBy: string | null;
  restoredFrom: string | null;
}

type Part = { op: 'equal' | 'insert' | 'delete'; text: string };

const API = '/api/collab/history';
const REFRESH_MS = 30_000;

export default function CollabHistory(props: CollabHistoryProps) {
  const t = historyTranslator(props.locale);
  const [versions, setVersions] = useState<Version[] | null>(null);
  const [status, setStatus] = useState('');
  const [nameError, setNameError] = useState('');
  const [shown, setShown] = useState<{ time: string; html: string } | null>(null);
  const [diff, setDiff] = useState<{ from: string; to: string; parts: Part[] } | null>(null);
  const [confirming, setConfirming] = useState<Version | null>(null);
  const [busy, setBusy] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLElement | null>(null);
  const shownHeading = useRef<HTMLHeadingElement>(null);
  const diffHeading = useRef<HTMLHeadingElement>(null);
  // Rendered on the server too: until this runs in the browser, no form or button that would do nothing.
  const [ready, setReady] = useState(false);
  const q = `document=${encodeURIComponent(props.document)}`;

  const timeOf = (id: string) => versions?.find((v) => v.id === id)?.time ?? id;

  async function load(): Promise<void> {
    try {
      const res = await fetch(`${API}?${q}&locale=${props.locale}`, { credentials: 'same-origin', cache: 'no-store' });
      if (!res.ok) throw new Error(String(res.status));
      setVersions(((await res.json()) as { versions: Version[] }).versions);
    } catch {
      setStatus(t('error'));
    }
  }

  useEffect(() => {
    setReady(true);
    void load();
    const timer = window.setInterval(() => document.visibilityState === 'visible' && void load(), REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [props.document]);

  useEffect(() => shownHeading.current?.focus(), [shown]);
  useEffect(() => diffHeading.current?.focus(), [diff]);
  useEffect(() => {
    const d = dialog.current;
    if (confirming && d && !d.open) d.showModal();
  }, [confirming]);

  async function post(body: Record<string, string>): Promise<{ ok: boolean; status: number; error?: string }> {
    const res = await fetch(API, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ document: props.document, ...body }),
    });
    const json = (await res.json().catch(() => ({}))) as { error?: string };
    return { ok: res.ok, status: res.status, ...(json.error ? { error: json.error } : {}) };
  }

  async function show(v: Version, button: HTMLElement) {
    opener.current = button;
    const res = await fetch(`${API}?${q}&version=${v.id}`, { credentials: 'same-origin', cache: 'no-store' });
    if (!res.ok) return setStatus(t('error'));
    setShown({ time: v.time, html: ((await res.json()) as { html: string }).html });
  }

  async function compare(e: Event) {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const from = (form.elements.namedItem('from') as HTMLSelectElement).value;
    const to = (form.elements.namedItem('to') as HTMLSelectElement).value;
    const res = await fetch(`${API}?${q}&from=${from}&to=${to}`, { credentials: 'same-origin', cache: 'no-store' });
    if (!res.ok) return setStatus(t('error'));
    setDiff({ from: timeOf(from), to: to === 'current' ? t('current').toLowerCase() : timeOf(to), parts: ((await res.json()) as { parts: Part[] }).parts });
  }

  async function name(e: Event) {
    e.preventDefault();
    const input = (e.currentTarget as HTMLFormElement).elements.namedItem('version_name') as HTMLInputElement;
    const value = input.value.trim();
    if (!value || value.length > 100) {
      setNameError(t('nameInvalid'));
      input.focus();
      return;
    }
    setBusy(true);
    try {
      const r = await post({ action: 'name', name: value });
      if (r.ok) {
        setNameError('');
        input.value = '';
        setStatus(t('named_ok', { name: value }));
        await load();
      } else if (r.error === 'name_invalid') {
        setNameError(t('nameInvalid'));
        input.focus();
      } else setStatus(t(r.status === 403 ? 'forbidden' : r.status === 429 ? 'tooMany' : 'error'));
    } catch {
      setStatus(t('error'));
    } finally {
      setBusy(false);
    }
  }

  function closeDialog() {
    dialog.current?.close();
    setConfirming(null);
    opener.current?.focus();
  }

  async function restore() {
    const v = confirming;
    closeDialog();
    if (!v) return;
    setBusy(true);
    try {
      const r = await post({ action: 'restore', version: v.id });
      setStatus(r.ok ? t('restored', { time: v.time }) : t(r.status === 403 ? 'forbidden' : 'error'));
      if (r.ok) await load();
    } catch {
      setStatus(t('error'));
    } finally {
      setBusy(false);
    }
  }

  const label = (v: Version) =>
    v.kind === 'named' ? t('named', { name: v.name ?? '' }) : v.kind === 'restore' ? (v.restoredFrom && versions?.some((o) => o.id === v.restoredFrom) ? t('restore', { time: timeOf(v.restoredFrom) }) : t('restoreOf')) : t('auto');
  const by = (v: Version) => (v.createdBy ? ` (${t(v.kind === 'named' ? 'namedBy' : 'restoredBy', { name: v.createdBy })})` : '');

  return (
    <section class="collab-history" aria-labelledby={props.headingId ?? 'collab-history-heading'} data-collab-history>
      {!props.headingId && <h2 id="collab-history-heading">{t('heading')}</h2>}
      <p class="collab-history__intro">{t('intro')}</p>
      <p role="status" aria-live="polite" class="collab-history__status" data-history-status>
        {status}
      </p>

      {!ready && <p>{t('needsScript')}</p>}

      {ready && props.canWrite && (
        <form class="collab-history__name" onSubmit={name} data-name-version noValidate>
          <label for="collab-history-name">{t('nameLabel')}</label>
          <p id="collab-history-name-hint" class="collab-history__hint">{t('nameHint')}</p>
          <input
            id="collab-history-name"
            name="version_name"
            type="text"
            maxLength={100}
            required
            aria-invalid={nameError ? 'true' : undefined}
            aria-describedby={nameError ? 'collab-history-name-hint collab-history-name-error' : 'collab-history-name-hint'}
          />
          {nameError && (
            <p id="collab-history-name-error" class="collab-history__error">
              {nameError}
            </p>
          )}
          <button type="submit" class="btn btn--secondary btn--sm" disabled={busy}>
            {t('nameSubmit')}
          </button>
        </form>
      )}

      {ready && (
        <button type="button" class="btn btn--tertiary btn--sm" onClick={() => void load()}>
          {t('refresh')}
        </button>
      )}

      {!ready ? null : versions === null ? (
        <p>{t('loading')}</p>
      ) : versions.length === 0 ? (
        <p data-history-empty>{t('empty')}</p>
      ) : (
        <>
          <table class="collab-history__table">
            <caption>{t('caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('when')}</th>
                <th scope="col">{t('version')}</th>
                <th scope="col">{t('authors')}</th>
                <th scope="col">{t('actions')}</th>
              </tr>
            </thead>
            <tbody>
              {versions.map((v) => (
                <tr key={v.id} data-version-id={v.id} data-version-kind={v.kind}>
                  <td>{v.time}</td>
                  <th scope="row">
                    {label(v)}
                    {by(v)}
                  </th>
                  <td>{v.authors.length > 0 ? v.authors.join(', ') : t('nobody')}</td>
                  <td class="collab-history__actions">
                    <button type="button" class="btn btn--tertiary btn--sm" aria-label={t('showLabel', { time: v.time })} onClick={(e) => void show(v, e.currentTarget)} data-show-version>
                      {t('show')}
                    </button>
                    {props.canWrite && (
                      <button
                        type="button"
                        class="btn btn--secondary btn--sm"
                        aria-label={t('restoreLabel', { time: v.time })}
                        disabled={busy}
                        onClick={(e) => {
                          opener.current = e.currentTarget;
                          setConfirming(v);
                        }}
                        data-restore-version
                      >
                        {t('restoreButton')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>

          <form class="collab-history__compare" onSubmit={compare} data-compare-versions>
            <fieldset>
              <legend>{t('compare')}</legend>
              <label for="collab-history-from">{t('from')}</label>
              <select id="collab-history-from" name="from">
                {versions.map((v, i) => (
                  <option key={v.id} value={v.id} selected={i === Math.min(1, versions.length - 1)}>
                    {v.time} — {label(v)}
                  </option>
                ))}
              </select>
              <label for="collab-history-to">{t('to')}</label>
              <select id="collab-history-to" name="to">
                <option value="current">{t('current')}</option>
                {versions.map((v) => (
                  <option key={v.id} value={v.id}>
                    {v.time} — {label(v)}
                  </option>
                ))}
              </select>
              <button type="submit" class="btn btn--secondary btn--sm">
                {t('compareSubmit')}
              </button>
            </fieldset>
          </form>
        </>
      )}

      {shown && (
        <section class="collab-history__view" aria-labelledby="collab-history-view-heading" data-history-version>
          <h3 id="collab-history-view-heading" tabIndex={-1} ref={shownHeading}>
            {t('versionHeading', { time: shown.time })}
          </h3>
          <div class="collab-history__text" dangerouslySetInnerHTML={{ __html: shown.html }} />
          <button
            type="button"
            class="btn btn--tertiary btn--sm"
            onClick={() => {
              setShown(null);
              opener.current?.focus();
            }}
          >
            {t('close')}
          </button>
        </section>
      )}

      {diff && (
        <section class="collab-history__view" aria-labelledby="collab-history-diff-heading" data-history-diff>
          <h3 id="collab-history-diff-heading" tabIndex={-1} ref={diffHeading}>
            {t('diffHeading', { from: diff.from, to: diff.to })}
          </h3>
          <p class="collab-history__hint">{t('diffLegend')}</p>
          {diff.parts.every((p) => p.op === 'equal') ? (
            <p>{t('unchanged')}</p>
          ) : (
            <div class="collab-history__diff">
              {diff.parts.map((p, i) =>
                p.op === 'equal' ? (
                  p.text
                ) : p.op === 'insert' ? (
                  <ins key={i}>
                    <span class="visually-hidden">{t('added')} </span>
                    {p.text}
                  </ins>
                ) : (
                  <del key={i}>
                    <span class="visually-hidden">{t('removed')} </span>
                    {p.text}
                  </del>
                ),
              )}
            </div>
          )}
          <button type="button" class="btn btn--tertiary btn--sm" onClick={() => setDiff(null)}>
            {t('close')}
          </button>
        </section>
      )}

      <dialog ref={dialog} aria-labelledby="collab-history-confirm-title" aria-describedby="collab-history-confirm-text" onCancel={closeDialog} data-history-confirm>
        <h3 id="collab-history-confirm-title">{t('confirmTitle')}</h3>
        <p id="collab-history-confirm-text">{t('confirmText', { time: confirming?.time ?? '' })}</p>
        <div class="collab-history__dialog-actions">
          <button type="button" class="btn btn--secondary btn--sm" onClick={closeDialog} autoFocus>
            {t('cancel')}
          </button>
          <button type="button" class="btn btn--primary btn--sm" onClick={() => void restore()} data-confirm-restore>
            {t('restoreButton')}
          </button>
        </div>
      </dialog>
    </section>
  );
}
