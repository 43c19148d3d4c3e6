/**
 * The one text format participants write in (short and long texts alike, whatever
 * the component): a small Markdown subset parsed by `marked`, then passed through the sanitiser, so
 * what is shown can carry nothing but text and formatting.
 *
 * The subset: paragraphs and line breaks, **bold**, *italic*, `code` and code blocks, lists,
 * quotes, [links](https://…) and bare http(s) links (leaving with rel="nofollow ugc noopener"),
 * and @nickname mentions. Raw HTML is never interpreted: it is shown as typed. Headings and
 * images are not part of it (a heading is a paragraph, an image its text).
 */
import { Marked, type Tokens } from 'marked';
import { escapeHtml, safeHref, sanitizeUserHtml } from '../html/sanitize.ts';

const MENTION = /^@([A-Za-z0-9_-]{2,20})(?![A-Za-z0-9_-])/;

const markdown = new Marked({ gfm: true, breaks: true, async: false });
markdown.use({
  extensions: [
    {
      name: 'mention',
      level: 'inline',
      // Only an @ that starts a word: never the one in an email address.
      start(src: string) {
        const m = /(^|[^A-Za-z0-9_@.+-])@[A-Za-z0-9_-]{2,20}/.exec(src);
        return m ? m.index + (m[1]?.length ?? 0) : undefined;
      },
      tokenizer(src: string) {
        const m = MENTION.exec(src);
        return m ? { type: 'mention', raw: m[0], nickname: (m[1] ?? '').toLowerCase() } : undefined;
      },
      renderer(token: Tokens.Generic) {
        return `<span class="mention">@${escapeHtml(String(token['nickname']))}</span>`;
      },
    },
  ],
  renderer: {
    html(token: Tokens.HTML | Tokens.Tag) {
      // A block of raw HTML (a line starting with a tag) is a paragraph of text like any other,
      // so it reads, and converts back to Markdown (./from-html.ts), as the text around it.
      if (token.block) return `<p>${escapeHtml(token.text.replace(/\n+$/, '')).replace(/\n/g, '<br>')}</p>\n`;
      return escapeHtml(token.text);
    },
    heading({ tokens }: Tokens.Heading) {
      return `<p>${this.parser.parseInline(tokens)}</p>\n`;
    },
    image({ text }: Tokens.Image) {
      return escapeHtml(text);
    },
    link({ href, raw, tokens }: Tokens.Link) {
      const label = this.parser.parseInline(tokens);
      // An address written in the text stays text (no harvesting); [write to us](mailto:…) links.
      if (/^mailto:/i.test(href) && !raw.startsWith('[')) return label;
      const safe = /^(https?:|mailto:)/i.test(href) ? safeHref(href) : undefined;
      return safe ? `<a href="${escapeHtml(safe)}">${label}</a>` : label;
    },
  },
});

/** Safe HTML for text written in the Markdown subset. */
export function renderMarkdown(text: string): string {
  const html = markdown.parse(text.replace(/\r\n?/g, '\n')) as string;
  return sanitizeUserHtml(html).trim();
}
