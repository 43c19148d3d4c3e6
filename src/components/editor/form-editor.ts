import type { Editor } from '@tiptap/core';
import { BUTTONS, editorAttributes, type ButtonName } from './editor-core.ts';

/*
 * What the editors on a form's textarea share (PlainRichTextEditor, MarkdownRichTextEditor), apart
 * from editor-core.ts so that the co-editing page does not load it.
 */

/** The buttons of a text without headings (participants' Markdown subset has none). */
export const BUTTONS_WITHOUT_HEADINGS: readonly ButtonName[] = BUTTONS.filter((b) => b !== 'heading2' && b !== 'heading3');

/**
 * The label of a form's textarea, given an id if it has none, for the editor's aria-labelledby;
 * and the textarea's hint, error and language, carried over to the editing surface.
 */
export function textareaAttributes(textarea: HTMLTextAreaElement, labelId?: string): Record<string, string> {
  let id = labelId;
  if (!id) {
    const label = textarea.labels?.[0];
    if (label) {
      label.id ||= `${textarea.id}-label`;
      id = label.id;
    }
  }
  const out: Record<string, string> = editorAttributes(id ?? '');
  for (const name of ['aria-describedby', 'aria-invalid', 'lang']) {
    const value = textarea.getAttribute(name);
    if (value) out[name] = value;
  }
  // The hidden textarea can no longer be required by the browser; the surface says it is, the server checks.
  if (textarea.required) {
    out['aria-required'] = 'true';
    textarea.required = false;
  }
  return out;
}

/** Writes the editor's text into the form's textarea, as if typed there (counters and scripts listening to it follow). */
export function fillTextarea(textarea: HTMLTextAreaElement, value: string) {
  textarea.value = value;
  textarea.dispatchEvent(new Event('input', { bubbles: true }));
}

/**
 * Markup the site renders but the editor's schema does not hold (underline, code, code blocks,
 * rules): a text written with it before the editor existed stays in its plain textarea, so that
 * opening the page and typing never drops any of it.
 */
export function beyondTheEditor(html: string): boolean {
  return /<(u|code|pre|hr)\b/i.test(html);
}

/**
 * The textarea's label, and the links to it (a form's error summary: `#<textarea id>`), lead to the
 * editor instead of the hidden textarea. Returns what undoes it.
 */
export function focusFromLabel(textarea: HTMLTextAreaElement, editor: Editor): () => void {
  const focus = (e: Event) => {
    e.preventDefault();
    editor.commands.focus();
  };
  const toTextarea = (e: Event) => {
    if ((e.target as Element | null)?.closest?.(`a[href="#${CSS.escape(textarea.id)}"]`)) focus(e);
  };
  const labels = [...(textarea.labels ?? [])];
  for (const l of labels) l.addEventListener('click', focus);
  document.addEventListener('click', toTextarea);
  return () => {
    for (const l of labels) l.removeEventListener('click', focus);
    document.removeEventListener('click', toTextarea);
  };
}
