import { h } from 'preact';
import { Mark, mergeAttributes, type Editor, type Extensions } from '@tiptap/core';
import Blockquote from '@tiptap/extension-blockquote';
import Bold from '@tiptap/extension-bold';
import Document from '@tiptap/extension-document';
import HardBreak from '@tiptap/extension-hard-break';
import Heading from '@tiptap/extension-heading';
import Italic from '@tiptap/extension-italic';
import Paragraph from '@tiptap/extension-paragraph';
import Text from '@tiptap/extension-text';
import { BulletList, ListItem, OrderedList } from './lists.ts';
import type { EditorText, EditorTexts } from './messages.ts';
import './RichTextEditor.css';

/*
 * What the two editor islands share (the plain one in admin forms, the collaborative one): the
 * schema, the toolbar and its commands. Markup is written with `h`, not JSX, on purpose: importing
 * Preact's jsx-runtime from islands that only editing pages load makes the bundler regroup the
 * chunks it shares with the map islands (the proposal page then fetches a chunk of the map before
 * anybody asks for it).
 */

export type Translate = (key: EditorText, params?: Record<string, string>) => string;

/**
 * The islands get their texts, in the page's language, as a prop from the server (messages.ts):
 * the co-editing page's budget has no room for both languages' texts in its JavaScript.
 */
export function translator(texts: EditorTexts): Translate {
  return (key, params = {}) => texts[key].replace(/\{(\w+)\}/g, (_, k: string) => params[k] ?? '');
}

/**
 * Links as the site stores them (`<a href>`, http(s) and mailto only; the server's sanitiser has
 * the last word). Defined here rather than with @tiptap/extension-link, whose autolinking brings a
 * URL parser (linkifyjs) that would push a co-editing page past its 150 KB budget.
 */
export const Link = Mark.create({
  name: 'link',
  inclusive: false,
  addAttributes() {
    return { href: { default: null } };
  },
  parseHTML() {
    return [{ tag: 'a[href]', getAttrs: (el) => (/^(https?:\/\/|mailto:)/i.test((el as HTMLElement).getAttribute('href') ?? '') ? null : false) }];
  },
  renderHTML({ HTMLAttributes }) {
    return ['a', mergeAttributes(HTMLAttributes, { rel: 'nofollow noopener' }), 0];
  },
});

/**
 * What the site renders (src/lib/html/sanitize.ts): paragraphs, two heading levels, bold, italic,
 * lists, quotes, line breaks, links. Only these extensions, not the starter kit, to keep the
 * co-editing page within its budget (150 KB; whatever another island uses of a shared module, such
 * as the starter kit's link and its helpers in @tiptap/core, lands in the chunk that page loads).
 * The form editors allow h4 headings too (admin texts written as HTML before the editor may hold them).
 */
export function baseExtensions(headingLevels: (2 | 3 | 4)[] = [2, 3]): Extensions {
  return [
    Document,
    Paragraph,
    Text,
    Bold,
    Italic,
    Heading.configure({ levels: headingLevels }),
    BulletList,
    OrderedList,
    ListItem,
    Blockquote,
    HardBreak,
    Link,
  ];
}

export type ButtonName = 'bold' | 'italic' | 'heading2' | 'heading3' | 'bulletList' | 'orderedList' | 'blockquote' | 'link';
export const BUTTONS: readonly ButtonName[] = ['bold', 'italic', 'heading2', 'heading3', 'bulletList', 'orderedList', 'blockquote', 'link'];

export function activeMarks(editor: Editor): Record<ButtonName, boolean> {
  return {
    bold: editor.isActive('bold'),
    italic: editor.isActive('italic'),
    heading2: editor.isActive('heading', { level: 2 }),
    heading3: editor.isActive('heading', { level: 3 }),
    bulletList: editor.isActive('bulletList'),
    orderedList: editor.isActive('orderedList'),
    blockquote: editor.isActive('blockquote'),
    link: editor.isActive('link'),
  };
}

export function editorAttributes(labelId: string): Record<string, string> {
  return { role: 'textbox', 'aria-multiline': 'true', 'aria-labelledby': labelId, class: 'rich-text-editor__content prose' };
}

function runCommand(editor: Editor | null, name: Exclude<ButtonName, 'link'>) {
  if (!editor) return;
  const chain = editor.chain().focus();
  switch (name) {
    case 'bold': chain.toggleBold().run(); break;
    case 'italic': chain.toggleItalic().run(); break;
    case 'heading2': chain.toggleHeading({ level: 2 }).run(); break;
    case 'heading3': chain.toggleHeading({ level: 3 }).run(); break;
    case 'bulletList': chain.toggleBulletList().run(); break;
    case 'orderedList': chain.toggleOrderedList().run(); break;
    case 'blockquote': chain.toggleBlockquote().run(); break;
  }
}

/**
 * The link button opens the link dialog (link-dialog.ts), loaded the first time it is asked for:
 * the co-editing page's budget counts every byte its editor loads up front.
 */
function openLink(editor: () => Editor | null, t: Translate, button: HTMLButtonElement) {
  void import('./link-dialog.ts').then((m) => m.openLinkDialog(editor, t, button));
}

/** The toolbar (buttons say their state with aria-pressed; the link button opens the link dialog) and the list of keyboard shortcuts. */
export function toolbar(editor: () => Editor | null, active: Partial<Record<ButtonName, boolean>>, t: Translate, buttons: readonly ButtonName[] = BUTTONS) {
  const headings = buttons.includes('heading2');
  return [
    h(
      'div',
      { role: 'toolbar', 'aria-label': t('toolbar'), class: 'rich-text-editor__toolbar' },
      buttons.map((name) =>
        h(
          'button',
          {
            key: name,
            type: 'button',
            class: 'rich-text-editor__button',
            'aria-pressed': active[name] ? 'true' : 'false',
            'aria-haspopup': name === 'link' ? 'dialog' : undefined,
            'data-command': name,
            onMouseDown: (e: MouseEvent) => e.preventDefault(),
            onClick: (e: MouseEvent) => (name === 'link' ? openLink(editor, t, e.currentTarget as HTMLButtonElement) : runCommand(editor(), name)),
          },
          t(name),
        ),
      ),
    ),
    h('details', { class: 'rich-text-editor__help' }, h('summary', null, t('shortcuts')), h('p', null, t(headings ? 'shortcutList' : 'shortcutListNoHeadings'))),
  ];
}
