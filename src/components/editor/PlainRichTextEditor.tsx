import { Editor } from '@tiptap/core';
import { UndoRedo } from '@tiptap/extensions';
import { h } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { activeMarks, baseExtensions, toolbar, translator, type ButtonName } from './editor-core.ts';
import { beyondTheEditor, fillTextarea, focusFromLabel, textareaAttributes } from './form-editor.ts';
import type { EditorTexts } from './messages.ts';

/*
 * The rich-text editor on a form's <textarea> (admin texts: space descriptions, pages, answers):
 * the server renders the textarea, which keeps working without JavaScript; this island hides it
 * and writes the editor's HTML back into it at every change, so the form posts the same field and
 * the server sanitises it exactly as before. No collaboration, so no Yjs on these pages.
 *
 * A text holding markup the site renders but the editor does not (underline, code, rules: HTML
 * written before the editor existed) keeps its plain textarea, so an edit never drops any of it.
 */

export interface PlainRichTextEditorProps {
  /** The texts in the page's language (messages.ts, editorTexts). */
  texts: EditorTexts;
  /** The textarea the editor replaces (and keeps filled). */
  textareaId: string;
  /** The id of the textarea's label (found from the textarea when not given). */
  labelId?: string | undefined;
}

export default function PlainRichTextEditor(props: PlainRichTextEditorProps) {
  const t = translator(props.texts);
  const host = useRef<HTMLDivElement>(null);
  const editorRef = useRef<Editor | null>(null);
  const [active, setActive] = useState<Partial<Record<ButtonName, boolean>>>({});
  const [on, setOn] = useState(false);

  useEffect(() => {
    const element = host.current;
    const textarea = document.getElementById(props.textareaId) as HTMLTextAreaElement | null;
    if (!element || !textarea || beyondTheEditor(textarea.value)) return;
    const editor = new Editor({
      element,
      extensions: [...baseExtensions([2, 3, 4]), UndoRedo],
      content: textarea.value,
      editorProps: { attributes: textareaAttributes(textarea, props.labelId) },
      onUpdate: ({ editor: e }) => fillTextarea(textarea, e.isEmpty ? '' : e.getHTML()),
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

  const [bar, help] = toolbar(() => editorRef.current, active, t);
  return h('div', { class: 'rich-text-editor', 'data-editor-mode': 'plain' }, on ? bar : null, h('div', { ref: host, class: 'rich-text-editor__surface' }), on ? help : null);
}
