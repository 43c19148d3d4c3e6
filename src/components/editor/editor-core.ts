import { Fragment, h } from 'preact';
import { useRef, useState } from 'preact/hooks';
import { Mark, mergeAttributes, type Editor, type Extensions } from '@tiptap/core';
import Blockquote from '@tiptap/extension-blockquote';
import Bold from '@tiptap/extension-bold';
import Document from '@tiptap/extension-document';
import HardBreak from '@tiptap/extension-hard-break';
import Heading from '@tiptap/extension-heading';
import Italic from '@tiptap/extension-italic';
import { BulletList, ListItem, ListKeymap, OrderedList } from '@tiptap/extension-list';
import Paragraph from '@tiptap/extension-paragraph';
import Text from '@tiptap/extension-text';
import { EDITOR_TEXTS, type EditorLocale, type EditorText } from './messages.ts';
import './RichTextEditor.css';

/*
 * What the two editor islands share (the plain one in admin forms, the collaborative one): the
 * schema, the toolbar and its commands. Markup is written with `h`, not JSX, on purpose: importing
 * Preact's jsx-runtime from islands that only editing pages load makes the bundler regroup the
 * chunks it shares with the map islands (the proposal page then fetches a chunk of the map before
 * anybody asks for it).
 */

export type Translate = (key: EditorText, params?: Record<string, string>) => string;

export function translator(locale: EditorLocale): Translate {
  return (key, params = {}) => EDITOR_TEXTS[locale][key].replace(/\{(\w+)\}/g, (_, k: string) => params[k] ?? '');
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
 * bundle small.
 */
export function baseExtensions(): Extensions {
  return [
    Document,
    Paragraph,
    Text,
    Bold,
    Italic,
    Heading.configure({ levels: [2, 3] }),
    BulletList,
    OrderedList,
    ListItem,
    ListKeymap,
    Blockquote,
    HardBreak,
    Link,
  ];
}

export type ButtonName = 'bold' | 'italic' | 'heading2' | 'heading3' | 'bulletList' | 'orderedList' | 'blockquote' | 'link';
const BUTTONS: ButtonName[] = ['bold', 'italic', 'heading2', 'heading3', 'bulletList', 'orderedList', 'blockquote', 'link'];

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

interface ToolbarProps {
  editor: () => Editor | null;
  active: Partial<Record<ButtonName, boolean>>;
  t: Translate;
  buttons: readonly ButtonName[];
}

/**
 * The toolbar (buttons say their state with aria-pressed) and the link dialog: a modal <dialog>
 * (the browser keeps focus inside it and closes it on Escape) with a labelled address field, a
 * translated error next to it, and focus back on the link button when it closes without a change
 * (on the text when a link was set). No <form> inside: the editor sits in the page's own form, and
 * forms cannot nest, so Enter in the field is handled here and the field has no name (never posted).
 */
function Toolbar({ editor, active, t, buttons }: ToolbarProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const [ids] = useState(() => `rte-link-${++dialogCount}`);
  const [error, setError] = useState(false);
  const [hadLink, setHadLink] = useState(false);

  const open = () => {
    const e = editor();
    if (!e || !dialog.current || !input.current) return;
    const previous = (e.getAttributes('link') as { href?: string }).href ?? '';
    input.current.value = previous;
    setHadLink(previous !== '');
    setError(false);
    dialog.current.showModal();
    input.current.focus();
    input.current.select();
  };
  const close = (backTo: 'button' | 'text') => {
    dialog.current?.close();
    if (backTo === 'text') editor()?.commands.focus();
    else opener.current?.focus();
  };
  const submit = () => {
    const e = editor();
    const href = normaliseLink(input.current?.value ?? '');
    if (!e) return;
    if (href === null) {
      setError(true);
      input.current?.focus();
      return;
    }
    dialog.current?.close();
    applyLink(e, href);
  };
  const remove = () => {
    const e = editor();
    dialog.current?.close();
    if (e) applyLink(e, null);
  };

  return h(
    Fragment,
    null,
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
            'data-command': name,
            ...(name === 'link' ? { ref: opener, 'aria-haspopup': 'dialog' } : {}),
            onMouseDown: (e: MouseEvent) => e.preventDefault(),
            onClick: () => (name === 'link' ? open() : runCommand(editor(), name)),
          },
          t(name),
        ),
      ),
    ),
    h(
      'dialog',
      {
        ref: dialog,
        class: 'rich-text-editor__dialog',
        'aria-labelledby': `${ids}-title`,
        'data-link-dialog': true,
        // Escape: the browser closes the dialog; focus goes back to the button that opened it.
        onCancel: (e: Event) => {
          e.preventDefault();
          close('button');
        },
      },
      h('h2', { id: `${ids}-title`, class: 'rich-text-editor__dialog-title' }, t('linkTitle')),
      h('label', { for: `${ids}-url`, class: 'rich-text-editor__dialog-label' }, t('linkUrl')),
      h('p', { id: `${ids}-hint`, class: 'rich-text-editor__dialog-hint' }, t('linkHint')),
      error ? h('p', { id: `${ids}-error`, class: 'rich-text-editor__dialog-error', 'data-link-error': true }, t('linkInvalid')) : null,
      h('input', {
        ref: input,
        id: `${ids}-url`,
        type: 'text',
        inputMode: 'url',
        autoComplete: 'url',
        spellcheck: false,
        class: 'rich-text-editor__dialog-input',
        'aria-describedby': error ? `${ids}-error ${ids}-hint` : `${ids}-hint`,
        'aria-invalid': error ? 'true' : undefined,
        onKeyDown: (e: KeyboardEvent) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            submit();
          }
        },
      }),
      h(
        'div',
        { class: 'rich-text-editor__dialog-actions' },
        h('button', { type: 'button', class: 'rich-text-editor__button', 'data-link-apply': true, onClick: submit }, t('linkApply')),
        hadLink ? h('button', { type: 'button', class: 'rich-text-editor__button', 'data-link-remove': true, onClick: remove }, t('linkRemove')) : null,
        h('button', { type: 'button', class: 'rich-text-editor__button', 'data-link-cancel': true, onClick: () => close('button') }, t('linkCancel')),
      ),
    ),
  );
}

/** The buttons of a text without headings (participants' Markdown subset has none). */
export const BUTTONS_WITHOUT_HEADINGS: readonly ButtonName[] = BUTTONS.filter((b) => b !== 'heading2' && b !== 'heading3');

/** The toolbar with its link dialog, and the list of keyboard shortcuts. */
export function toolbar(editor: () => Editor | null, active: Partial<Record<ButtonName, boolean>>, t: Translate, buttons: readonly ButtonName[] = BUTTONS) {
  const headings = buttons.includes('heading2');
  return [
    h(Toolbar, { editor, active, t, buttons }),
    h('details', { class: 'rich-text-editor__help' }, h('summary', null, t('shortcuts')), h('p', null, t(headings ? 'shortcutList' : 'shortcutListNoHeadings'))),
  ];
}

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
