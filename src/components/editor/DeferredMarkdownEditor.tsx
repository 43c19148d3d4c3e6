import { h, type ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { MarkdownRichTextEditorProps } from './MarkdownRichTextEditor.tsx';

/*
 * The Markdown field's rich-text editor, fetched only once its field is shown: a form that most
 * visitors never open (a proposal's amendment form, folded in its <details>) would otherwise make
 * every page of that kind load the editor. The island hydrates when its slot becomes visible
 * (client:visible: a closed <details> shows nothing), then imports the editor, which takes the
 * textarea's place as it does anywhere else.
 */
export default function DeferredMarkdownEditor(props: MarkdownRichTextEditorProps) {
  const [Editor, setEditor] = useState<ComponentType<MarkdownRichTextEditorProps> | null>(null);
  useEffect(() => {
    let live = true;
    void import('./MarkdownRichTextEditor.tsx').then((m) => live && setEditor(() => m.default));
    return () => {
      live = false;
    };
  }, []);
  // A box the browser can see intersect once the field is shown (an empty island has none).
  return Editor ? h(Editor, props) : h('div', { class: 'markdown-field__editor-slot', 'aria-hidden': 'true', style: 'min-height: 1px' });
}
