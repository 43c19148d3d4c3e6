/**
 * Rich text written by administrators (organization description, pages) is stored as HTML. Before
 * it is rendered with `set:html` it goes through this allow-list: known formatting tags only,
 * no attributes except a checked `href` on links, everything else escaped as text. Unclosed tags
 * are closed and stray closing tags dropped, so stored HTML cannot break the page around it.
 */
const BLOCK_AND_INLINE = new Set([
  'p', 'br', 'strong', 'b', 'em', 'i', 'u', 'ul', 'ol', 'li', 'blockquote', 'h2', 'h3', 'h4', 'a', 'code', 'pre', 'hr',
]);
const VOID = new Set(['br', 'hr']);
const TAG = /^<(\/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[^<>]*?)?)\s*(\/?)>/;
const ENTITY = /^&(#\d{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});/;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function safeHref(attrs: string): string | undefined {
  const m = /\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/i.exec(attrs);
  const raw = (m?.[1] ?? m?.[2] ?? m?.[3] ?? '').trim();
  if (!raw) return undefined;
  // Relative paths, anchors, http(s) and mailto only: never javascript:, data: and friends.
  if (/^(https?:\/\/|mailto:|\/(?!\/)|#)/i.test(raw)) return raw;
  return undefined;
}

export function sanitizeHtml(input: string): string {
  let out = '';
  const open: string[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i];
    if (c === '<') {
      const m = TAG.exec(input.slice(i, i + 2000));
      if (m) {
        const closing = m[1] === '/';
        const name = (m[2] ?? '').toLowerCase();
        i += m[0].length;
        if (!BLOCK_AND_INLINE.has(name)) continue;
        if (VOID.has(name)) {
          if (!closing) out += `<${name}>`;
          continue;
        }
        if (closing) {
          const at = open.lastIndexOf(name);
          if (at === -1) continue;
          while (open.length > at) out += `</${open.pop()}>`;
          continue;
        }
        if (name === 'a') {
          const href = safeHref(m[3] ?? '');
          out += href ? `<a href="${escapeHtml(href)}" rel="nofollow noopener">` : '<a>';
        } else {
          out += `<${name}>`;
        }
        open.push(name);
        continue;
      }
      out += '&lt;';
      i += 1;
      continue;
    }
    if (c === '&') {
      const m = ENTITY.exec(input.slice(i, i + 40));
      if (m) {
        out += m[0];
        i += m[0].length;
      } else {
        out += '&amp;';
        i += 1;
      }
      continue;
    }
    out += c === '>' ? '&gt;' : c === '"' ? '&quot;' : c;
    i += 1;
  }
  while (open.length) out += `</${open.pop()}>`;
  return out;
}

/** Plain text of stored HTML (for meta descriptions and summaries). */
export function htmlToText(input: string): string {
  return input
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
