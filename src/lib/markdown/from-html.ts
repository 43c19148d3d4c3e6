/**
 * Stored HTML back to the Markdown subset (src/lib/markdown), for forms that edit a text: a
 * participant's long text may be stored as the sanitised HTML rendered from its Markdown (see the README,
 * Architecture), so the edit form shows Markdown again. `turndown` does the conversion; the rules
 * below keep it inside the subset, so that rendering its output gives the same HTML back.
 * Also used in the browser by the rich-text editor on Markdown fields, where turndown's browser
 * build uses the page's own DOM.
 */
import TurndownService from 'turndown';

const turndown = new TurndownService({
  headingStyle: 'atx',
  bulletListMarker: '-',
  codeBlockStyle: 'fenced',
  emDelimiter: '*',
  strongDelimiter: '**',
});

// The subset renders a single newline as a line break (marked's `breaks`): a <br> is one newline.
turndown.addRule('lineBreak', { filter: 'br', replacement: () => '\n' });
// Mentions are text in the source: `@camille`.
turndown.addRule('mention', {
  filter: (node) => node.nodeName === 'SPAN',
  replacement: (content) => content,
});
// Links: only what the sanitiser kept (href checked); a link whose label is its address stays bare.
turndown.addRule('link', {
  filter: (node) => node.nodeName === 'A',
  replacement: (content, node) => {
    const href = (node as HTMLElement).getAttribute('href') ?? '';
    if (!href) return content;
    if (content === href) return href;
    // Unbalanced parentheses would end the destination early: `<…>` keeps it whole.
    const balanced = (href.match(/\(/g) ?? []).length === (href.match(/\)/g) ?? []).length;
    return balanced && !/[<>\s]/.test(href) ? `[${content}](${href})` : `[${content}](<${href.replace(/[<>\s]/g, encodeURIComponent)}>)`;
  },
});
// Bodies stored before the subset may have headings (the subset has none): bold paragraphs keep them
// apart. Other tags outside the subset (underline…) keep their text, turndown's default.
turndown.addRule('heading', { filter: ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'], replacement: (content) => `\n\n**${content}**\n\n` });

/** Markdown of stored HTML (a participant's long text), to put back in a textarea. */
export function markdownFromHtml(html: string): string {
  if (html.trim() === '') return '';
  return turndown.turndown(html).replace(/\n{3,}/g, '\n\n').trim();
}
