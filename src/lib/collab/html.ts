import * as Y from 'yjs';
import { escapeHtml } from '../html/sanitize.ts';

/**
 * The HTML of a co-edited rich text: the Y.XmlFragment TipTap's Collaboration extension writes
 * (`default`), walked node by node into the tags the site renders. Unknown nodes keep their text
 * only; the result still goes through the sanitiser before it is stored or shown.
 */

const BLOCKS: Record<string, (attrs: Record<string, unknown>) => string> = {
  paragraph: () => 'p',
  heading: (a) => `h${Math.min(4, Math.max(2, Number(a['level']) || 2))}`,
  bulletList: () => 'ul',
  orderedList: () => 'ol',
  listItem: () => 'li',
  blockquote: () => 'blockquote',
  codeBlock: () => 'pre',
};

const MARKS: [string, string][] = [
  ['bold', 'strong'],
  ['italic', 'em'],
  ['underline', 'u'],
  ['code', 'code'],
];

function textHtml(text: Y.XmlText): string {
  let out = '';
  for (const op of text.toDelta() as { insert: unknown; attributes?: Record<string, unknown> }[]) {
    if (typeof op.insert !== 'string') continue;
    let html = escapeHtml(op.insert);
    const attrs = op.attributes ?? {};
    for (const [mark, tag] of MARKS) if (attrs[mark] !== undefined) html = `<${tag}>${html}</${tag}>`;
    const link = attrs['link'] as { href?: unknown } | undefined;
    if (link && typeof link.href === 'string') html = `<a href="${escapeHtml(link.href)}">${html}</a>`;
    out += html;
  }
  return out;
}

function nodeHtml(node: Y.XmlElement | Y.XmlText | Y.XmlHook): string {
  if (node instanceof Y.XmlText) return textHtml(node);
  if (!(node instanceof Y.XmlElement)) return '';
  if (node.nodeName === 'hardBreak') return '<br>';
  if (node.nodeName === 'horizontalRule') return '<hr>';
  const inner = node.toArray().map((n) => nodeHtml(n as Y.XmlElement | Y.XmlText)).join('');
  const tag = BLOCKS[node.nodeName]?.(node.getAttributes() as Record<string, unknown>);
  return tag ? `<${tag}>${inner}</${tag}>` : inner;
}

export function fragmentHtml(fragment: Y.XmlFragment): string {
  return fragment.toArray().map((n) => nodeHtml(n as Y.XmlElement | Y.XmlText)).join('');
}

/** The HTML of a stored document state (one Yjs update), or '' for an empty or missing one. */
export function documentHtml(state: Uint8Array | null, field = 'default'): string {
  if (!state) return '';
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, state);
    return fragmentHtml(doc.getXmlFragment(field));
  } finally {
    doc.destroy();
  }
}
