import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { restoreUpdate } from '../../realtime/history.ts';
import { documentText, textDiff } from '../../src/lib/collab/history.ts';
import { documentHtml } from '../../src/lib/collab/html.ts';

/* The pure parts of history: a rich text as lines, word differences, and a restore as a new change. */

function richText(build: (f: Y.XmlFragment) => void, clientID?: number): Y.Doc {
  const doc = new Y.Doc();
  if (clientID) doc.clientID = clientID;
  build(doc.getXmlFragment('default'));
  return doc;
}

function block(name: string, text: string, attrs: Record<string, string> = {}): Y.XmlElement {
  const e = new Y.XmlElement(name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.insert(0, [new Y.XmlText(text)]);
  return e;
}

describe('history of a rich text', () => {
  it('reads a version as one line per block, list items marked', () => {
    const doc = richText((f) => {
      const list = new Y.XmlElement('bulletList');
      const item = new Y.XmlElement('listItem');
      item.insert(0, [block('paragraph', 'des pommiers')]);
      list.insert(0, [item]);
      f.insert(0, [block('heading', 'Un verger', { level: '2' }), block('paragraph', 'Planter :'), list]);
    });
    expect(documentText(Y.encodeStateAsUpdate(doc))).toBe('Un verger\nPlanter :\n• des pommiers');
    expect(documentText(null)).toBe('');
  });

  it('marks insertions and deletions word by word, keeping the rest', () => {
    expect(textDiff('Planter des pommiers.\nVite.', 'Planter des poiriers.\nVite.')).toEqual([
      { op: 'equal', text: 'Planter des ' },
      { op: 'delete', text: 'pommiers' },
      { op: 'insert', text: 'poiriers' },
      { op: 'equal', text: '.\nVite.' },
    ]);
    expect(textDiff('', 'Tout neuf')).toEqual([{ op: 'insert', text: 'Tout neuf' }]);
  });

  it('restores as a new change on top, which a copy that edited meanwhile applies like any edit', () => {
    const base = richText((f) => f.insert(0, [block('paragraph', 'Premier jet.')]), 11);
    const version = Y.encodeStateAsUpdate(base);
    base.getXmlFragment('default').insert(1, [block('paragraph', 'Ajout.')]);
    const current = Y.encodeStateAsUpdate(base);
    const update = restoreUpdate(current, version);
    // Somebody else typed meanwhile, in a copy that has not seen the restore.
    const other = new Y.Doc();
    Y.applyUpdate(other, current);
    ((other.getXmlFragment('default').get(1) as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'Encore. ');
    Y.applyUpdate(other, update);
    Y.applyUpdate(base, update);
    expect(documentHtml(Y.encodeStateAsUpdate(base))).toBe('<p>Premier jet.</p>');
    // The restore deleted what it saw; the concurrent paragraph edit was inside a deleted paragraph, so it goes too,
    // but every struct of the old state is still known (a new change, not a rewrite).
    const sv = Y.decodeStateVector(Y.encodeStateVector(base));
    expect(sv.get(11)).toBe(Y.decodeStateVector(Y.encodeStateVectorFromUpdate(current)).get(11));
    expect(documentHtml(Y.encodeStateAsUpdate(other))).toBe('<p>Premier jet.</p>');
  });
});
