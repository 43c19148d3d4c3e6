import { Editor } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import { h } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { activeMarks, fillTextarea, Link, textareaAttributes, toolbar, translator, type ButtonName } from './editor-core.ts';
import type { EditorLocale } from './messages.ts';

/*
 * The rich-text editor on a form's <textarea> (admin texts: space descriptions, pages, answers):
 * the server renders the textarea, which keeps working without JavaScript; this island hides it
 * and writes the editor's HTML back into it at every change, so the form posts the same field and
 * the server sanitises it exactly as before. No collaboration, so no Yjs on these pages.
 *
 * The schema is the starter kit's (less what the sanitiser drops: strike-through, and its link,
 * replaced by ours), wider than the toolbar's: texts written as HTML before the editor existed may
 * hold underlines, code, rules or h4 headings, which the site renders and an edit must not lose.
 * Admin pages only, so the starter kit's extra weight never reaches a co-editing or public page.
 */

export interface PlainRichTextEditorProps {
  locale: EditorLocale;
  /** The textarea the editor replaces (and keeps filled). */
  textareaId: string;
  /** The id of the textarea's label (found from the textarea when not given). */
  labelId?: string | undefined;
}

export default function PlainRichTextEditor(props: PlainRichTextEditorProps) {
  const t = translator(props.locale);
  const host = useRef<HTMLDivElement>(null);
  const editorRef = useRef<Editor | null>(null);
  const [active, setActive] = useState<Partial<Record<ButtonName, boolean>>>({});

  useEffect(() => {
    const element = host.current;
    const textarea = document.getElementById(props.textareaId) as HTMLTextAreaElement | null;
    if (!element || !textarea) return;
    const editor = new Editor({
      element,
      extensions: [
        StarterKit.configure({ heading: { levels: [2, 3, 4] }, link: false, strike: false, dropcursor: false, gapcursor: false, trailingNode: false }),
        Link,
      ],
      content: textarea.value,
      editorProps: { attributes: textareaAttributes(textarea, props.labelId) },
      onUpdate: ({ editor: e }) => fillTextarea(textarea, e.isEmpty ? '' : e.getHTML()),
      onTransaction: ({ editor: e }) => setActive(activeMarks(e)),
    });
    textarea.hidden = true;
    editorRef.current = editor;
    return () => {
      editor.destroy();
      textarea.hidden = false;
    };
  }, []);

  const [bar, help] = toolbar(() => editorRef.current, active, t);
  return h('div', { class: 'rich-text-editor', 'data-editor-mode': 'plain' }, bar, h('div', { ref: host, class: 'rich-text-editor__surface' }), help);
}
