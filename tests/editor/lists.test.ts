// @vitest-environment jsdom
import { Editor } from '@tiptap/core';
import { afterEach, describe, expect, it } from 'vitest';
import { baseExtensions } from '../../src/components/editor/editor-core.ts';
import { sanitizeHtml } from '../../src/lib/html/sanitize.ts';

/*
 * The editor's own lists (src/components/editor/lists.ts, in place of @tiptap/extension-list): the
 * HTML the site stores reads and writes back the same, the toolbar's commands and the keyboard
 * nest and split items, and typing "- " or "1. " starts a list as Markdown habits expect.
 */

// Every editor a test opens is destroyed after it: one left alive flushes its DOM observer after
// the environment is gone ("document is not defined", an unhandled error that fails the run).
const editors: Editor[] = [];
afterEach(() => {
  for (const e of editors.splice(0)) e.destroy();
});

function open(html: string): Editor {
  const e = new Editor({ element: document.createElement('div'), extensions: baseExtensions(), content: html });
  editors.push(e);
  return e;
}

/** Types `text` at the cursor as a person would (input rules run on typed text only). */
function type(e: Editor, text: string) {
  for (const ch of text) {
    const { from, to } = e.state.selection;
    const handled = e.view.someProp('handleTextInput', (f) => f(e.view, from, to, ch, () => e.state.tr.insertText(ch, from, to)));
    if (!handled) e.view.dispatch(e.state.tr.insertText(ch, from, to));
  }
}

describe('lists in the editor', () => {
  it('stored lists read and write back the same, as the site renders them', () => {
    const html = '<ul><li><p>le parc</p></li><li><p>la place</p><ul><li><p>la fontaine</p></li></ul></li></ul><ol><li><p>un</p></li></ol>';
    expect(open(html).getHTML()).toBe(html);
    expect(sanitizeHtml(html)).toBe(html);
    // Items without paragraphs (older HTML) get one; a start the site does not keep, neither does the editor.
    expect(open('<ol start="2"><li>deux</li></ol>').getHTML()).toBe('<ol><li><p>deux</p></li></ol>');
  });

  it('the toolbar’s commands make and unmake lists; Enter splits an item, Tab nests it, Shift-Tab lifts it', () => {
    const e = open('<p>un</p>');
    e.commands.setTextSelection(2);
    expect(e.commands.toggleBulletList()).toBe(true);
    expect(e.getHTML()).toBe('<ul><li><p>un</p></li></ul>');
    expect(e.isActive('bulletList')).toBe(true);
    e.commands.toggleOrderedList();
    expect(e.getHTML()).toBe('<ol><li><p>un</p></li></ol>');
    e.commands.setTextSelection(e.state.doc.content.size - 2);
    expect(e.commands.keyboardShortcut('Enter')).toBe(true);
    type(e, 'deux');
    expect(e.getHTML()).toBe('<ol><li><p>un</p></li><li><p>deux</p></li></ol>');
    expect(e.commands.keyboardShortcut('Tab')).toBe(true);
    expect(e.getHTML()).toBe('<ol><li><p>un</p><ol><li><p>deux</p></li></ol></li></ol>');
    expect(e.commands.keyboardShortcut('Shift-Tab')).toBe(true);
    expect(e.getHTML()).toBe('<ol><li><p>un</p></li><li><p>deux</p></li></ol>');
    e.commands.toggleOrderedList();
    expect(e.getHTML()).toBe('<ol><li><p>un</p></li></ol><p>deux</p>');
  });

  it('typing "- " starts a bulleted list, "1. " a numbered one', () => {
    const e = open('<p></p>');
    e.commands.setTextSelection(1);
    type(e, '- achats');
    expect(e.getHTML()).toBe('<ul><li><p>achats</p></li></ul>');
    const f = open('<p></p>');
    f.commands.setTextSelection(1);
    type(f, '1. un');
    expect(f.getHTML()).toBe('<ol><li><p>un</p></li></ol>');
  });
});
