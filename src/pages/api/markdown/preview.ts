import type { APIRoute } from 'astro';
import { renderMarkdown } from '@/lib/markdown/index.ts';
import { PREVIEW_MAX } from '@/lib/markdown/preview.ts';
import { privateJson } from '@/lib/http/json.ts';

/**
 * The preview of a text in the Markdown subset, for the fields' script (MarkdownField.astro):
 * `POST {"text": "…"}` → `{"html": "…"}`, the sanitised HTML the same text is stored as. The
 * browser never loads the parser or the sanitiser. Same-origin posts only (the Origin header must
 * be the site's: another site's page cannot use it); at most PREVIEW_MAX characters; no database
 * work, so it costs one parse per click.
 */
export const POST: APIRoute = async ({ request, url }) => {
  const origin = request.headers.get('origin');
  const site = request.headers.get('sec-fetch-site');
  if (origin !== url.origin || (site !== null && site !== 'same-origin')) return privateJson({ error: 'forbidden' }, 403);
  if (!/^application\/json\b/i.test(request.headers.get('content-type') ?? '')) return privateJson({ error: 'unsupported_media_type' }, 415);
  // JSON escapes may take up to 6 bytes per character; a longer body is refused unread.
  const length = Number(request.headers.get('content-length') ?? 'NaN');
  if (Number.isFinite(length) && length > PREVIEW_MAX * 6 + 100) return privateJson({ error: 'content_too_large' }, 413);
  let text: unknown;
  try {
    const raw = await request.text();
    if (raw.length > PREVIEW_MAX * 6 + 100) return privateJson({ error: 'content_too_large' }, 413);
    text = (JSON.parse(raw) as { text?: unknown } | null)?.text;
  } catch {
    return privateJson({ error: 'bad_request' }, 400);
  }
  if (typeof text !== 'string') return privateJson({ error: 'bad_request' }, 400);
  if (text.length > PREVIEW_MAX) return privateJson({ error: 'content_too_large' }, 413);
  return privateJson({ html: renderMarkdown(text) });
};
