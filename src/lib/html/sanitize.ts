/**
 * Rich text written by administrators (organization description, pages) and the HTML rendered from
 * participants' Markdown is stored or shown as HTML. Before it is rendered with `set:html` it goes
 * through `sanitize-html` (a maintained parser-based sanitiser, not a regex) with this allow-list:
 * known formatting tags only, no attributes except a checked `href` on links, everything else
 * dropped; `<script>`/`<style>` lose their content too. The parser closes unclosed tags and drops
 * stray closing ones, so stored HTML cannot break the page around it.
 */
import sanitize from 'sanitize-html';

const ALLOWED_TAGS = ['p', 'br', 'strong', 'b', 'em', 'i', 'u', 'ul', 'ol', 'li', 'blockquote', 'h2', 'h3', 'h4', 'a', 'code', 'pre', 'hr'];

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Relative paths, anchors, http(s) and mailto only: never javascript:, data: and friends, and
 * nothing a browser would read as another host. Browsers drop tabs and newlines from URLs and read
 * `\` as `/`, so `/\evil.example` and `/<tab>/evil.example` are `//evil.example`: any control
 * character, space or backslash refuses the link.
 */
export function safeHref(raw: string): string | undefined {
  const href = raw.trim();
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (!href || /[\u0000-\u0020\u007f\\]/.test(href)) return undefined;
  if (/^(https?:\/\/[^/]|mailto:|\/(?!\/)|#)/i.test(href)) return href;
  return undefined;
}

const OPTIONS: sanitize.IOptions = {
  allowedTags: ALLOWED_TAGS,
  allowedAttributes: { a: ['href', 'rel'] },
  // The scheme check is safeHref's (below); sanitize-html's own runs first and agrees with it.
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'template', 'title', 'iframe', 'object', 'svg', 'math'],
  transformTags: {
    a: (tagName, attribs) => {
      const href = safeHref(attribs['href'] ?? '');
      return { tagName, attribs: href ? { href, rel: 'nofollow noopener' } : {} };
    },
  },
};

export function sanitizeHtml(input: string): string {
  return sanitize(input, OPTIONS);
}

/**
 * What participants' Markdown renders to (src/lib/markdown): the same allow-list plus mentions
 * (`<span class="mention">`); their links open apart and say they are user content, for search
 * engines (`ugc`).
 */
const USER_OPTIONS: sanitize.IOptions = {
  ...OPTIONS,
  allowedTags: [...ALLOWED_TAGS, 'span'],
  allowedAttributes: { a: ['href', 'rel', 'target'], span: ['class'] },
  allowedClasses: { span: ['mention'] },
  transformTags: {
    a: (tagName, attribs) => {
      const href = safeHref(attribs['href'] ?? '');
      return { tagName, attribs: href ? { href, rel: 'nofollow ugc noopener', target: '_blank' } : {} };
    },
  },
};

export function sanitizeUserHtml(input: string): string {
  return sanitize(input, USER_OPTIONS);
}

/** Plain text of stored HTML (for meta descriptions and summaries; Astro escapes it when shown). */
export function htmlToText(input: string): string {
  return input
    .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}
