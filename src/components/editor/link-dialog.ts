import type { Editor } from '@tiptap/core';
import type { Translate } from './editor-core.ts';

/*
 * The toolbar's link dialog (both editors), loaded on first use: a modal <dialog> (the browser
 * keeps focus inside it and closes it on Escape) with a labelled address field, a translated
 * error next to it, and focus back on the link button when it closes without a change (on the
 * text when a link was set). No <form> inside: the editor sits in the page's own form, and forms
 * cannot nest, so Enter in the field is handled here and the field has no name (never posted).
 * Plain DOM, not Preact: it is built on first use, after the island rendered.
 */

/**
 * What the link dialog accepts: http(s) and mailto addresses (the Link mark's and the server
 * sanitiser's rule); a bare host such as `example.org/page` gets `https://`. Anything else, or
 * an address with spaces or control characters, is refused with a message next to the field.
 */
export function normaliseLink(raw: string): string | null {
  const value = raw.trim();
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (!value || /[\u0000-\u0020\u007f\\]/.test(value)) return null;
  if (/^https?:\/\/[^/?#.]+\.[^/?#]+/i.test(value) || /^https?:\/\/localhost(:\d+)?(\/|$)/i.test(value)) return value;
  if (/^mailto:[^@\s]+@[^@\s]+\.[^@\s]+$/i.test(value)) return value;
  if (/^[a-z0-9-]+(\.[a-z0-9-]+)+(:\d+)?([/?#].*)?$/i.test(value)) return `https://${value}`;
  return null;
}

/** Applies (or, with null, removes) the link on the selection; an empty selection gets the address as its text. */
function applyLink(editor: Editor, href: string | null) {
  const chain = editor.chain().focus().extendMarkRange('link');
  if (href === null) {
    chain.unsetMark('link').run();
    return;
  }
  if (editor.state.selection.empty && !editor.isActive('link')) {
    chain.insertContent({ type: 'text', text: href, marks: [{ type: 'link', attrs: { href } }] }).run();
    return;
  }
  chain.setMark('link', { href }).run();
}

let dialogCount = 0;
const dialogs = new WeakMap<HTMLButtonElement, HTMLDialogElement>();

/**
 * Opens the link dialog for the editor whose link button is `button`: built once per button, in
 * plain DOM at the end of the page (a modal dialog shows above everything wherever it is; outside
 * the island, whose elements Preact owns, and outside the page's form).
 */
export function openLinkDialog(editor: () => Editor | null, t: Translate, button: HTMLButtonElement) {
  const e = editor();
  if (!e) return;
  let dialog = dialogs.get(button);
  if (!dialog) {
    dialog = buildDialog(t);
    document.body.append(dialog);
    dialogs.set(button, dialog);
  }
  const d = dialog;
  const input = d.querySelector('input')!;
  const error = d.querySelector<HTMLElement>('[data-link-error]')!;
  const remove = d.querySelector<HTMLButtonElement>('[data-link-remove]')!;
  const showError = (on: boolean) => {
    error.hidden = !on;
    if (on) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
    input.setAttribute('aria-describedby', on ? `${error.id} ${input.id}-hint` : `${input.id}-hint`);
  };
  const previous = (e.getAttributes('link') as { href?: string }).href ?? '';
  input.value = previous;
  remove.hidden = previous === '';
  showError(false);

  const close = (focusButton: boolean) => {
    d.close();
    d.onkeydown = null;
    d.onclick = null;
    d.oncancel = null;
    if (focusButton) button.focus();
  };
  const submit = () => {
    const href = normaliseLink(input.value);
    if (href === null) {
      showError(true);
      input.focus();
      return;
    }
    close(false);
    applyLink(e, href);
  };
  // Escape: the browser would close the dialog; focus goes back to the button that opened it.
  d.oncancel = (ev) => {
    ev.preventDefault();
    close(true);
  };
  // Enter in the field applies (the page's form around the editor must not be submitted).
  d.onkeydown = (ev) => {
    if (ev.key === 'Enter' && ev.target === input) {
      ev.preventDefault();
      submit();
    }
  };
  d.onclick = (ev) => {
    const action = (ev.target as HTMLElement).closest('button')?.dataset;
    if (!action) return;
    if ('linkApply' in action) submit();
    else if ('linkRemove' in action) {
      close(false);
      applyLink(e, null);
    } else if ('linkCancel' in action) close(true);
  };
  d.showModal();
  input.focus();
  input.select();
}

function buildDialog(t: Translate): HTMLDialogElement {
  const id = `rte-link-${++dialogCount}`;
  const el = <K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string>, text?: string): HTMLElementTagNameMap[K] => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const dialog = el('dialog', { class: 'rich-text-editor__dialog', 'aria-labelledby': `${id}-title`, 'data-link-dialog': '' });
  const error = el('p', { id: `${id}-error`, class: 'rich-text-editor__dialog-error', 'data-link-error': '' }, t('linkInvalid'));
  error.hidden = true;
  const actions = el('div', { class: 'rich-text-editor__dialog-actions' });
  actions.append(
    el('button', { type: 'button', class: 'rich-text-editor__button', 'data-link-apply': '' }, t('linkApply')),
    el('button', { type: 'button', class: 'rich-text-editor__button', 'data-link-remove': '' }, t('linkRemove')),
    el('button', { type: 'button', class: 'rich-text-editor__button', 'data-link-cancel': '' }, t('linkCancel')),
  );
  dialog.append(
    el('h2', { id: `${id}-title`, class: 'rich-text-editor__dialog-title' }, t('linkTitle')),
    el('label', { for: `${id}-url`, class: 'rich-text-editor__dialog-label' }, t('linkUrl')),
    el('p', { id: `${id}-url-hint`, class: 'rich-text-editor__dialog-hint' }, t('linkHint')),
    error,
    // No name: never posted with the page's form.
    el('input', { id: `${id}-url`, type: 'text', inputmode: 'url', autocomplete: 'url', spellcheck: 'false', class: 'rich-text-editor__dialog-input', 'aria-describedby': `${id}-url-hint` }),
    actions,
  );
  return dialog;
}
