import { describe, expect, it } from 'vitest';
import { tightLists } from '../../src/components/editor/MarkdownRichTextEditor.tsx';
import { normaliseLink } from '../../src/components/editor/link-dialog.ts';
import { sanitizeHtml } from '../../src/lib/html/sanitize.ts';
import { renderMarkdown } from '../../src/lib/markdown/index.ts';
import { markdownFromHtml } from '../../src/lib/markdown/from-html.ts';

/*
 * The link dialog's rule (what it accepts, what it refuses with its message) and the Markdown
 * editor's lists: a list typed in the editor comes back, once posted and rendered, as the tight
 * list the Markdown subset renders.
 */

describe('the link dialog accepts http(s) and mailto addresses only', () => {
  it.each([
    ['https://example.org/reglement', 'https://example.org/reglement'],
    ['  http://example.org  ', 'http://example.org'],
    ['example.org/page?x=1#y', 'https://example.org/page?x=1#y'],
    ['mailto:mairie@example.org', 'mailto:mairie@example.org'],
  ])('%s → %s', (raw, href) => {
    expect(normaliseLink(raw)).toBe(href);
    // What it accepts, the server's sanitiser keeps.
    expect(sanitizeHtml(`<a href="${href}">x</a>`)).toContain(`href="${href}"`);
  });

  it.each(['', 'javascript:alert(1)', 'data:text/html,x', 'https://', 'http://exa mple.org', '/relative', '//evil.example', 'mailto:nobody', 'pas une adresse', 'https://a\\b.org'])(
    'refuses %j',
    (raw) => expect(normaliseLink(raw)).toBeNull(),
  );
});

describe('lists written by the editor, as Markdown', () => {
  it('one paragraph per item is a tight list once rendered', () => {
    const html = '<p>Deux lieux :</p><ul><li><p>le parc</p></li><li><p>la <strong>place</strong></p></li></ul><ol><li><p>un</p></li><li><p>deux</p></li></ol>';
    const md = markdownFromHtml(tightLists(html));
    expect(renderMarkdown(md).replace(/>\n</g, '><')).toBe(
      '<p>Deux lieux :</p><ul><li>le parc</li><li>la <strong>place</strong></li></ul><ol><li>un</li><li>deux</li></ol>',
    );
  });

  it('an item of several paragraphs stays as it is', () => {
    const html = '<ul><li><p>un</p><p>suite</p></li></ul>';
    expect(tightLists(html)).toBe(html);
  });
});
