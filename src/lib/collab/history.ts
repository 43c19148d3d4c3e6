import { diffWordsWithSpace } from 'diff';
import * as Y from 'yjs';

/**
 * What a version of a co-edited rich text says, as plain text (one line per paragraph, heading or
 * list item), and the differences between two such texts, word by word (the `diff` library).
 * Pure: no server imports.
 */

function blockLines(node: Y.XmlElement | Y.XmlText, out: string[], prefix = ''): void {
  if (node instanceof Y.XmlText) {
    out.push(prefix + node.toString().replace(/<[^>]*>/g, ''));
    return;
  }
  const children = node.toArray() as (Y.XmlElement | Y.XmlText)[];
  if (children.every((c) => c instanceof Y.XmlText)) {
    const text = children
      .map((c) => (c as Y.XmlText).toDelta() as { insert: unknown }[])
      .flat()
      .map((op) => (typeof op.insert === 'string' ? op.insert : ''))
      .join('');
    out.push(prefix + text);
    return;
  }
  const bullet = node.nodeName === 'listItem' ? '• ' : '';
  for (const c of children) blockLines(c, out, bullet || prefix);
}

/** The plain text of a stored state's rich text (`default`, TipTap's), one line per block. */
export function documentText(state: Uint8Array | null, field = 'default'): string {
  if (!state) return '';
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, state);
    const lines: string[] = [];
    for (const n of doc.getXmlFragment(field).toArray()) blockLines(n as Y.XmlElement | Y.XmlText, lines);
    return lines.join('\n');
  } finally {
    doc.destroy();
  }
}

export type DiffPart = { op: 'equal' | 'insert' | 'delete'; text: string };

/** Past this, two texts too different to compare word by word in time are shown as replaced whole. */
const DIFF_TIMEOUT_MS = 1500;

/** Word-level differences; whitespace and line breaks count, so paragraphs stay where they were. */
export function textDiff(before: string, after: string): DiffPart[] {
  const changes = diffWordsWithSpace(before, after, { timeout: DIFF_TIMEOUT_MS });
  if (!changes) {
    return [
      ...(before ? [{ op: 'delete' as const, text: before }] : []),
      ...(after ? [{ op: 'insert' as const, text: after }] : []),
    ];
  }
  return changes.map((c) => ({ op: c.added ? 'insert' : c.removed ? 'delete' : 'equal', text: c.value }));
}
