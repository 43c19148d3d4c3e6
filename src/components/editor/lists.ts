import { mergeAttributes, Node, wrappingInputRule } from '@tiptap/core';

/*
 * Lists as the site stores them (`ul`, `ol`, `li`: the sanitiser keeps no `start`, so neither does
 * the editor), on Tiptap's own list commands
 * (toggleList, splitListItem, sinkListItem, liftListItem in @tiptap/core). Defined here rather than
 * with @tiptap/extension-list: its ordered list alone brings Markdown list parsing, roman numerals
 * and paste heuristics (21 KB of the co-editing page's code, ~5 KB gzipped), which the editor never
 * uses and which pushed the page past its 150 KB budget. Same node names, so stored documents
 * (Yjs and HTML) read the same.
 */

declare module '@tiptap/core' {
  interface Commands<ReturnType> {
    decidonsBulletList: { toggleBulletList: () => ReturnType };
    decidonsOrderedList: { toggleOrderedList: () => ReturnType };
  }
}

export const ListItem = Node.create({
  name: 'listItem',
  content: 'paragraph block*',
  defining: true,
  parseHTML() {
    return [{ tag: 'li' }];
  },
  renderHTML({ HTMLAttributes }) {
    return ['li', mergeAttributes(HTMLAttributes), 0];
  },
  addKeyboardShortcuts() {
    return {
      Enter: () => this.editor.commands.splitListItem(this.name),
      Tab: () => this.editor.commands.sinkListItem(this.name),
      'Shift-Tab': () => this.editor.commands.liftListItem(this.name),
    };
  },
});

export const BulletList = Node.create({
  name: 'bulletList',
  group: 'block list',
  content: 'listItem+',
  parseHTML() {
    return [{ tag: 'ul' }];
  },
  renderHTML({ HTMLAttributes }) {
    return ['ul', mergeAttributes(HTMLAttributes), 0];
  },
  addCommands() {
    return { toggleBulletList: () => ({ commands }) => commands.toggleList(this.name, 'listItem') };
  },
  addKeyboardShortcuts() {
    return { 'Mod-Shift-8': () => this.editor.commands.toggleBulletList() };
  },
  addInputRules() {
    return [wrappingInputRule({ find: /^\s*([-+*])\s$/, type: this.type })];
  },
});

export const OrderedList = Node.create({
  name: 'orderedList',
  group: 'block list',
  content: 'listItem+',
  parseHTML() {
    return [{ tag: 'ol' }];
  },
  renderHTML({ HTMLAttributes }) {
    return ['ol', mergeAttributes(HTMLAttributes), 0];
  },
  addCommands() {
    return { toggleOrderedList: () => ({ commands }) => commands.toggleList(this.name, 'listItem') };
  },
  addKeyboardShortcuts() {
    return { 'Mod-Shift-7': () => this.editor.commands.toggleOrderedList() };
  },
  addInputRules() {
    return [
      wrappingInputRule({ find: /^\d+\.\s$/, type: this.type }),
    ];
  },
});
