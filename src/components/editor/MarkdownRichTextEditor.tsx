import { Editor } from '@tiptap/core';
import { UndoRedo } from '@tiptap/extensions';
import { h } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { markdownFromHtml } from '../../lib/markdown/from-html.ts';
import { activeMarks, baseExtensions, toolbar, translator, type ButtonName } from './editor-core.ts';
import { beyondTheEditor, BUTTONS_WITHOUT_HEADINGS, fillTextarea, focusFromLabel, textareaAttributes } from './form-editor.ts';
import type { EditorTexts } from './messages.ts';

/*
 * The rich-text editor on a participant's long text (a proposal's body where the component's
 * `rich_text_editor_in_public_views` is on). Those texts are written in the site's Markdown
 * subset, which the server renders and sanitises (src/lib/markdown): the island edits the
 * rendered HTML and writes it back into the textarea as Markdown (turndown, the rules the edit
 * forms use), so the form posts what it always posted, the server renders exactly the HTML it
 * would have rendered, and the form works the same without JavaScript. No headings: the subset
 * has none. Only pages with such a form load it (turndown in the browser uses the browser's DOM).
 */

export interface MarkdownRichTextEditorProps {
  /** The texts in the page's language (messages.ts, editorTexts). */
  texts: EditorTexts;
  /** The textarea the editor replaces (and keeps filled with Markdown). */
  textareaId: string;
  /** The textarea's text rendered by the server (the editor's starting content). */
  initialHtml: string;
}

/**
 * The editor wraps every list item's text in a paragraph, which Markdown writes as a loose list
 * (a blank line between items, rendered `<li><p>…</p></li>`): an item that is one paragraph is
 * unwrapped first, so a list typed as a list comes back as the tight list the subset renders.
 */
export function tightLists(html: string): string {
  return html.replace(/<li><p>((?:(?!<\/?p>|<\/?li>).)*)<\/p><\/li>/g, '<li>$1</li>');
}

export default function MarkdownRichTextEditor(props: MarkdownRichTextEditorProps) {
  const t = translator(props.texts);
  const host = useRef<HTMLDivElement>(null);
  const editorRef = useRef<Editor | null>(null);
  const [active, setActive] = useState<Partial<Record<ButtonName, boolean>>>({});
  const [on, setOn] = useState(false);

  useEffect(() => {
    const element = host.current;
    const textarea = document.getElementById(props.textareaId) as HTMLTextAreaElement | null;
    // A text with code (which the editor does not hold) keeps its plain textarea.
    if (!element || !textarea || beyondTheEditor(props.initialHtml)) return;
    const editor = new Editor({
      element,
      extensions: [...baseExtensions().filter((e) => e.name !== 'heading'), UndoRedo],
      content: props.initialHtml,
      editorProps: { attributes: textareaAttributes(textarea) },
      onUpdate: ({ editor: e }) => fillTextarea(textarea, e.isEmpty ? '' : markdownFromHtml(tightLists(e.getHTML()))),
      onTransaction: ({ editor: e }) => setActive(activeMarks(e)),
    });
    textarea.hidden = true;
    editorRef.current = editor;
    setOn(true);
    const unfocus = focusFromLabel(textarea, editor);
    return () => {
      unfocus();
      editor.destroy();
      textarea.hidden = false;
    };
  }, []);

  const [bar, help] = toolbar(() => editorRef.current, active, t, BUTTONS_WITHOUT_HEADINGS);
  return h('div', { class: 'rich-text-editor', 'data-editor-mode': 'markdown' }, on ? bar : null, h('div', { ref: host, class: 'rich-text-editor__surface' }), on ? help : null);
}
